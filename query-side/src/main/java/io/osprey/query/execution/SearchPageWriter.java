package io.osprey.query.execution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Writes a search page, {@code {"results":[...],"total":N}}, each execution as it is read. Nothing is written before
 * the total is known, so that a database that fails the count is still answered with a problem. The page's
 * transaction lasts as long as the client takes to read it, holding a connection and a snapshot (which keeps
 * PostgreSQL from vacuuming): a page not written within its timeout ({@code osprey.query.page-write-timeout}) is cut
 * off. A client that reads nothing at all is ended sooner or later by the container's write timeout.
 */
final class SearchPageWriter implements ExecutionQueries.PageSink {
    private final ObjectMapper json;
    private final ObjectWriter executions;
    private final OutputStream out;
    private final Duration timeout;
    private final long deadline;
    private JsonGenerator generator;
    private long total;

    SearchPageWriter(ObjectMapper json, ObjectWriter executions, OutputStream out, Duration timeout) {
        this.json = json;
        this.executions = executions;
        this.out = out;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public void total(long total) throws IOException {
        this.total = total;
        generator = json.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.writeStartObject();
        generator.writeArrayFieldStart("results");
    }

    @Override
    public void execution(ExecutionView execution) throws IOException {
        if (System.nanoTime() - deadline > 0) {
            throw new IOException("the page was not read within " + timeout + ": cut off");
        }
        executions.writeValue(generator, execution);
    }

    void finish() throws IOException {
        generator.writeEndArray();
        generator.writeNumberField("total", total);
        generator.writeEndObject();
        generator.close();
    }
}
