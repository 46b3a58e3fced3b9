package io.osprey.query.execution;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A search page as it is read from the database, held until it is whole: in memory up to a limit, in a temporary file
 * beyond. The page's transaction (a connection and a snapshot) then lasts as long as the database takes to send it,
 * not as long as the client takes to read it: a few clients that stop reading would otherwise hold every connection of
 * the node. Closing it deletes the file.
 */
final class PageSpool extends OutputStream {

    private final int inMemoryLimit;
    private byte[] memory = new byte[8192];
    private int inMemory;
    private Path file;
    private OutputStream toFile;

    PageSpool(int inMemoryLimit) {
        this.inMemoryLimit = inMemoryLimit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (toFile == null && inMemory + length <= inMemoryLimit) {
            if (inMemory + length > memory.length) {
                memory = Arrays.copyOf(memory, Math.min(inMemoryLimit, Math.max(memory.length * 2, inMemory + length)));
            }
            System.arraycopy(bytes, offset, memory, inMemory, length);
            inMemory += length;
            return;
        }
        if (toFile == null) {
            file = Files.createTempFile("osprey-page-", ".json");
            toFile = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            toFile.write(memory, 0, inMemory);
            memory = null;
        }
        toFile.write(bytes, offset, length);
    }

    /** Whether the page went beyond memory into a file. */
    boolean spilled() {
        return file != null;
    }

    /** Writes the whole page to the client. */
    void sendTo(OutputStream client) throws IOException {
        if (file == null) {
            client.write(memory, 0, inMemory);
            return;
        }
        toFile.flush();
        Files.copy(file, client);
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            try {
                toFile.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
