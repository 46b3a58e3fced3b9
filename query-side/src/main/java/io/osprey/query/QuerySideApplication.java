package io.osprey.query;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The query side on its own: projections from the event store into read models, and the query REST API. */
@SpringBootApplication
public class QuerySideApplication {

    public static SpringApplicationBuilder builder() {
        // a storage engine does not phone home: Axon's update checker stays off unless asked for
        System.setProperty("axoniq.update-checker.disabled", System.getProperty("axoniq.update-checker.disabled", "true"));
        return new SpringApplicationBuilder(QuerySideApplication.class)
                .properties("spring.config.name=query-side");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
