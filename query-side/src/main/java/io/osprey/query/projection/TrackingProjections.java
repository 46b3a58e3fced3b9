package io.osprey.query.projection;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How every read-model projection runs: a tracking processor over the event store whose batches are one
 * transaction each (the handlers' rows and the processor's token commit together), handler failures that
 * roll the batch back and retry it rather than skip an event, pauses after a failure of at most
 * {@link #MAX_PAUSE}, and a signal to waiting queries after each commit.
 */
public final class TrackingProjections {

    /** The longest a processor waits before it tries again after a failure (and between claim attempts when idle). */
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private TrackingProjections() {
    }

    public static ConfigurerModule processor(String name, QueryProperties properties, ProjectionCommits commits) {
        TrackingEventProcessorConfiguration tracking = TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                .andBatchSize(properties.projectionBatchSize());
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerEventProcessor(name, (processorName, configuration, handlers) -> {
                    // as Axon's registerTrackingEventProcessor builds it, but with ShortPauses
                    EventProcessingConfiguration processors = configuration.eventProcessingConfiguration();
                    return new ShortPauses(TrackingEventProcessor.builder()
                            .name(processorName)
                            .eventHandlerInvoker(handlers)
                            .rollbackConfiguration(processors.rollbackConfiguration(processorName))
                            .errorHandler(processors.errorHandler(processorName))
                            .messageMonitor(processors.messageMonitor(TrackingEventProcessor.class, processorName))
                            .messageSource(configuration.eventStore())
                            .tokenStore(processors.tokenStore(processorName))
                            .transactionManager(processors.transactionManager(processorName))
                            .trackingEventProcessorConfiguration(tracking)
                            .spanFactory(configuration.getComponent(EventProcessorSpanFactory.class)));
                })
                .registerListenerInvocationErrorHandler(name, configuration -> PropagatingErrorHandler.instance())
                .registerHandlerInterceptor(name, configuration -> signalAfterCommit(commits)));
    }

    /**
     * Axon's tracking processor, waiting at most {@link #MAX_PAUSE} where it would wait longer. After a failure its
     * workers and its launcher pause for a time that doubles up to a minute, so after an outage of a minute or more
     * the read models stayed behind, and reads at a position timed out, for up to a minute after PostgreSQL was back
     * (60.6 s in a probe with connections refused for 90 s). A failed attempt costs one refused connection.
     */
    static final class ShortPauses extends TrackingEventProcessor {

        ShortPauses(Builder builder) {
            super(builder);
        }

        @Override
        protected void doSleepFor(long millisToSleep, AtomicBoolean wakeUp) {
            super.doSleepFor(Math.min(millisToSleep, MAX_PAUSE.toMillis()), wakeUp);
        }
    }

    private static MessageHandlerInterceptor<EventMessage<?>> signalAfterCommit(ProjectionCommits commits) {
        return (unitOfWork, chain) -> {
            // the interceptor sees every event of a batch; one signal per batch is enough
            if (!(unitOfWork instanceof BatchingUnitOfWork<?> batch) || batch.isFirstMessage()) {
                unitOfWork.afterCommit(committed -> commits.committed());
            }
            return chain.proceed();
        };
    }
}
