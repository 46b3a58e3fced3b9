package io.osprey.query.projection;

import org.axonframework.config.Configuration;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;

/**
 * How every read-model projection runs: a tracking processor over the event store whose batches are one
 * transaction each (the handlers' rows and the processor's token commit together), handler failures that
 * roll the batch back and retry it rather than skip an event (at once when the database comes back,
 * {@link ProjectionRecovery}), and a signal to waiting queries after each commit.
 */
public final class TrackingProjections {

    private TrackingProjections() {
    }

    public static ConfigurerModule processor(String name, QueryProperties properties, ProjectionCommits commits,
                                             ProjectionRecovery recovery) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerTrackingEventProcessor(name, Configuration::eventStore, configuration ->
                        TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(properties.projectionBatchSize())
                                .andEventTrackerStatusChangeListener(recovery.listener(name)))
                .registerListenerInvocationErrorHandler(name, configuration -> PropagatingErrorHandler.instance())
                .registerHandlerInterceptor(name, configuration -> signalAfterCommit(commits)));
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
