package io.osprey.query.projection;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the query side's settings; each read model registers its own processor with {@link TrackingProjections}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryProperties.class)
public class QueryProjectionConfiguration {
}
