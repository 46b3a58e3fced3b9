package io.osprey.command.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.osprey.command.dispatch.RequestMetadata;
import io.osprey.command.execution.CommandLimits;
import io.osprey.command.log.LogIngestLimits;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** Web plumbing of the command side: strict JSON, request metadata, the memory budget of request bodies. */
@Configuration
@EnableConfigurationProperties(CommandLimits.class)
public class CommandWebConfiguration implements WebMvcConfigurer {

    static {
        // resolved from the request's headers and principal, not a parameter a client sends
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(RequestMetadata.class);
    }

    private final BodyMemoryBudget bodyMemoryBudget;

    public CommandWebConfiguration(CommandLimits limits, LogIngestLimits logLimits) {
        this.bodyMemoryBudget = new BodyMemoryBudget(limits.inFlightBodyBytes().toBytes(),
                Math.max(limits.maxBodyBytes(), logLimits.maxBytes().toBytes()), limits.inFlightWait());
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestMetadataResolver());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new UnsupportedConditions());
        registry.addInterceptor(bodyMemoryBudget);
    }

    @Bean
    public BodyMemoryBudget bodyMemoryBudget() {
        return bodyMemoryBudget;
    }

    /**
     * A typo in a field name, a field given twice, 1.5 or "1" for an integer, 5 for a text must be a 400 naming it, not a field
     * silently ignored, overwritten, truncated or parsed; decimals in values are kept as sent, not rounded to a double.
     */
    @Bean
    public Jackson2ObjectMapperBuilderCustomizer strictCommandJson() {
        return builder -> builder.featuresToEnable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS,
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .postConfigurer(mapper -> {
                    mapper.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
                    // "12" for an integer: Java's parsing also took " 1" and Arabic-Indic or fullwidth digits
                    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                    // and 5, 1.5 or true for a text field (a namespace, an id, a label's value) is not its text
                    mapper.coercionConfigFor(LogicalType.Textual)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                });
    }
}
