package io.osprey.events.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every answer of an Osprey web application that is an error is an RFC 9457 problem, wherever it is refused. */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebProblemsAutoConfiguration {

    @Bean
    public RequestProblemHandler requestProblemHandler() {
        return new RequestProblemHandler();
    }

    /** In place of Spring Boot's {@code BasicErrorController}, which backs off when an ErrorController exists. */
    @Bean
    public ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(StandardHost.class)
    static class TomcatProblems {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                } else {
                    throw new IllegalStateException("the Tomcat context has no host to set the error report valve on");
                }
            });
        }

        /**
         * Tomcat refuses TRACE itself with an empty 405; let it through to Spring MVC instead, which (told by
         * {@code spring.mvc.dispatch-trace-request} in osprey-defaults.yml not to echo the request) answers it like
         * any other method a path does not take.
         */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> traceAsAnyMethod() {
            return factory -> factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        }
    }
}
