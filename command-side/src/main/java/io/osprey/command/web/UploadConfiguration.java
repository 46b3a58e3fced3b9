package io.osprey.command.web;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Multipart uploads. The upload endpoints read their body themselves, through {@link Uploads}, which streams
 * the file part from the request into the blob store and enforces {@link UploadLimits} while it does, and
 * only once the controller has checked the query parameters, so that a bad request is refused before a byte
 * of its body is read. The servlet container's own multipart parsing (which spools every part to a temporary
 * file) stays configured, lazily and within the same limits, for any part asked for through the servlet API;
 * these beans replace Spring Boot's {@code spring.servlet.multipart.*} ones.
 */
@Configuration
@EnableConfigurationProperties(UploadLimits.class)
public class UploadConfiguration {

    @Bean
    public MultipartConfigElement multipartConfigElement(UploadLimits limits) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(limits.maxFileSize());
        factory.setMaxRequestSize(limits.maxRequestSize());
        // fields and small files stay in memory (at most 1000 parts of 8 KB): Tomcat spooled every part, even a
        // one-byte field, to a temporary file, and a process killed mid-request leaves its files behind
        factory.setFileSizeThreshold(DataSize.ofKilobytes(8));
        return factory.createMultipartConfig();
    }

    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    public MultipartResolver multipartResolver() {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver();
        resolver.setResolveLazily(true);
        return resolver;
    }

    /**
     * An upload refused while the blob store was reading it surfaces from the store as the
     * {@link Uploads.RefusedWhileStreaming} {@code IOException}: this answers it as the problem it carries
     * (a 413 {@link UploadTooLargeException}, a 400), through the usual exception handlers.
     */
    @Bean
    public HandlerExceptionResolver uploadRefusalResolver(BeanFactory beans) {
        return new UploadRefusalResolver(beans);
    }

    private record UploadRefusalResolver(BeanFactory beans) implements HandlerExceptionResolver, Ordered {

        @Override
        public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                             Exception failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof Uploads.RefusedWhileStreaming refused) {
                    HandlerExceptionResolver mvc = beans.getBean("handlerExceptionResolver", HandlerExceptionResolver.class);
                    return mvc.resolveException(request, response, handler, refused.problem());
                }
            }
            return null;
        }

        /** After Spring Boot's error attributes, before Spring MVC's resolvers. */
        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE + 10;
        }
    }
}
