package io.osprey.events.execution.upcasting;

import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The execution events' upcasters, in every application that reads the event store. Axon's Spring Boot
 * auto-configuration registers each {@link EventUpcaster} bean in the configuration's upcaster chain, which the
 * event storage engine applies to every event it reads.
 */
@AutoConfiguration
public class ExecutionUpcastingAutoConfiguration {

    @Bean
    public EventUpcaster executionCreatedFilesUpcaster() {
        return AddFilesUpcaster.executionCreated();
    }

    @Bean
    public EventUpcaster taskRunOutputsRecordedFilesUpcaster() {
        return AddFilesUpcaster.taskRunOutputsRecorded();
    }

    @Bean
    public EventUpcaster executionOutputsRecordedFilesUpcaster() {
        return AddFilesUpcaster.executionOutputsRecorded();
    }

    @Bean
    public EventUpcaster executionVariablesSetFilesUpcaster() {
        return AddFilesUpcaster.executionVariablesSet();
    }
}
