package io.osprey.blob.spring;

import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreProperties;
import io.osprey.blob.BlobStores;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives a Spring Boot application its {@link BlobStore}, chosen and configured under {@code osprey.blob}
 * ({@code type: local|s3}), and reports it in {@code /actuator/health}. The adapters stay framework-free.
 */
@AutoConfiguration
public class BlobStoreAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public BlobStore blobStore(Environment environment) {
        BlobStoreProperties properties = Binder.get(environment).bind("osprey.blob", BlobStoreProperties.class)
                .orElseGet(() -> new BlobStoreProperties(null, null, null));
        return BlobStores.create(properties);
    }

    @Bean
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnMissingBean(name = "blobStoreHealthIndicator")
    public HealthIndicator blobStoreHealthIndicator(BlobStore blobStore) {
        return new BlobStoreHealthIndicator(blobStore);
    }
}
