package io.osprey.events.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

import java.io.IOException;
import java.util.List;

/** Every answer of an Osprey web application that is an error is an RFC 9457 problem, wherever it is refused. */
@AutoConfiguration(before = {ErrorMvcAutoConfiguration.class, DispatcherServletAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebMvcProperties.class)
public class WebProblemsAutoConfiguration {

    /**
     * Spring Boot's DispatcherServlet, set up as Boot sets it up, but a TRACE goes to the handler mappings like any
     * other method (a 405 problem): Spring's own handling would append an echo of the request to that problem.
     */
    @Bean(name = DispatcherServletAutoConfiguration.DEFAULT_DISPATCHER_SERVLET_BEAN_NAME)
    public DispatcherServlet dispatcherServlet(WebMvcProperties properties) {
        DispatcherServlet servlet = new TraceAsAnyMethodDispatcherServlet();
        servlet.setDispatchOptionsRequest(properties.isDispatchOptionsRequest());
        servlet.setDispatchTraceRequest(true);
        servlet.setPublishEvents(properties.isPublishRequestHandledEvents());
        servlet.setEnableLoggingRequestDetails(properties.isLogRequestDetails());
        return servlet;
    }

    static final class TraceAsAnyMethodDispatcherServlet extends DispatcherServlet {
        @Override
        protected void doTrace(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            processRequest(request, response);
        }
    }

    /**
     * A browser's request to a name this node does not know as its own, a write from a page of another origin, a query string that does not decode, a single-valued parameter given
     * twice, a body typed with a wildcard or coded, an HTTP/1.0 body that is chunked, or a parameter or body a write
     * does not read is a 4xx before any controller.
     */
    @Bean
    public WebMvcConfigurer requestRules(Environment environment) {
        List<String> allowedHosts = List.of(environment.getProperty(BrowserHosts.SETTING, String[].class, new String[0]));
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new BrowserHosts(allowedHosts));
                registry.addInterceptor(new SameOriginWrites());
                registry.addInterceptor(new RequestFramingRules());
                registry.addInterceptor(new QueryParameterRules());
                registry.addInterceptor(new WriteRequestRules());
            }
        };
    }

    /** Every handler mapping (controllers, actuator, static resources) refuses cross-origin requests as problems. */
    @Bean
    public static BeanPostProcessor problemCorsRefusals() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractHandlerMapping mapping) {
                    mapping.setCorsProcessor(new ProblemCorsProcessor());
                }
                return bean;
            }
        };
    }

    @Bean
    public RequestProblemHandler requestProblemHandler(Environment environment) {
        return new RequestProblemHandler(environment.getProperty("osprey.web.not-found-hint"));
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

        /** Tomcat refuses TRACE itself with an empty 405; let it through to the dispatcher servlet above instead. */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> traceAsAnyMethod() {
            return factory -> factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        }
    }
}
