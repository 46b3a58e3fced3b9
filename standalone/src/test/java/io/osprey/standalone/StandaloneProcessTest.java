package io.osprey.standalone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test of the standalone application in a JVM of its own ({@link StandaloneProcess}), stopped after each test. */
abstract class StandaloneProcessTest {

    @TempDir
    Path dir;
    StandaloneProcess server;

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }
}
