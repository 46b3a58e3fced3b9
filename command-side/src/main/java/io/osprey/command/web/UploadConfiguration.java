package io.osprey.command.web;

import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.MultipartConfigFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Multipart uploads: the servlet container enforces {@link UploadLimits} while it spools each part to a
 * temporary file (never into memory), and only when a controller first asks for a part, so that the
 * controller can refuse a bad request before a byte of its body is read. These beans replace Spring Boot's
 * {@code spring.servlet.multipart.*} ones.
 */
@Configuration
@EnableConfigurationProperties(UploadLimits.class)
public class UploadConfiguration {

    @Bean
    public MultipartConfigElement multipartConfigElement(UploadLimits limits) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(limits.maxFileSize());
        factory.setMaxRequestSize(limits.maxRequestSize());
        return factory.createMultipartConfig();
    }

    @Bean(name = DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    public MultipartResolver multipartResolver() {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver();
        resolver.setResolveLazily(true);
        return resolver;
    }
}
