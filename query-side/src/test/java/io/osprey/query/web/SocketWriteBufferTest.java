package io.osprey.query.web;

import io.osprey.query.QuerySide;
import io.osprey.query.projection.QueryProperties;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SocketWriteBufferTest {

    @Test
    void theConfiguredSizeReachesTomcatsConnector() {
        try (QuerySide querySide = QuerySide.start("--osprey.query.socket-write-buffer=128KB")) {
            Connector connector = ((TomcatWebServer) querySide.webServer()).getTomcat().getConnector();

            // the attribute Tomcat hands to its endpoint's socket properties (as server.xml's socket.appWriteBufSize)
            assertThat(connector.getProperty("socket.appWriteBufSize")).hasToString(Integer.toString(128 * 1024));
        }
    }

    @Test
    void theDefaultIs64KiB() {
        assertThat(new QueryProperties(null, null, null, null).socketWriteBuffer()).isEqualTo(DataSize.ofKilobytes(64));
    }

    @Test
    void aSizeOutside8KiBTo1MiBIsRefused() {
        assertThatThrownBy(() -> new QueryProperties(null, null, null, DataSize.ofKilobytes(4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("osprey.query.socket-write-buffer");
        assertThatThrownBy(() -> new QueryProperties(null, null, null, DataSize.ofMegabytes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 8KB and 1MB");
        assertThat(new QueryProperties(null, null, null, DataSize.ofKilobytes(8)).socketWriteBuffer().toBytes()).isEqualTo(8192);
    }
}
