package io.osprey.query.execution;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.IOException;
import java.io.OutputStream;

/** Writes a search page, {@code {"results":[...],"total":N}}, each execution as it is read. */
final class SearchPageWriter implements ExecutionQueries.PageSink {
    private final ObjectMapper json;
    private final ObjectWriter executions;
    private final OutputStream out;
    private JsonGenerator generator;
    private long total;

    SearchPageWriter(ObjectMapper json, ObjectWriter executions, OutputStream out) {
        this.json = json;
        this.executions = executions;
        this.out = out;
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
        executions.writeValue(generator, execution);
    }

    void finish() throws IOException {
        generator.writeEndArray();
        generator.writeNumberField("total", total);
        generator.writeEndObject();
        generator.close();
    }
}
