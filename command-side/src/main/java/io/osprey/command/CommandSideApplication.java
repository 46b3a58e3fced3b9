package io.osprey.command;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The command side on its own: command REST API, aggregates, event store writes. */
@SpringBootApplication
public class CommandSideApplication {

    public static SpringApplicationBuilder builder() {
        // a storage engine does not phone home: Axon's update checker stays off unless asked for
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        return new SpringApplicationBuilder(CommandSideApplication.class)
                .properties("spring.config.name=command-side");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
