package io.osprey.standalone;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Both sides in one process on the embedded default: H2 file database, local files and the local
 * index, all under {@code ./data}. Same HTTP paths as the separate command-side and query-side.
 */
@SpringBootApplication(scanBasePackages = {"io.osprey.command", "io.osprey.query"})
public class StandaloneApplication {

    public static SpringApplicationBuilder builder() {
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        return new SpringApplicationBuilder(StandaloneApplication.class)
                .properties("spring.config.name=standalone");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
