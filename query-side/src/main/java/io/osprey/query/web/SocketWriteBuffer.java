package io.osprey.query.web;

import io.osprey.query.projection.QueryProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat copies every response through a per-connection buffer of {@code socket.appWriteBufSize} bytes (8 KiB by
 * default) and writes it to the socket each time it fills, whatever the size of the application's writes: a
 * 1 MiB download took 128 writes. The query side streams files and logs, so its buffer is
 * {@code osprey.query.socket-write-buffer}.
 */
@Configuration(proxyBeanMethods = false)
class SocketWriteBuffer {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> tomcatSocketWriteBuffer(QueryProperties properties) {
        String bytes = Long.toString(properties.socketWriteBuffer().toBytes());
        return factory -> factory.addConnectorCustomizers(connector -> connector.setProperty("socket.appWriteBufSize", bytes));
    }
}
