package io.osprey.command.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultipartReaderTest {

    private static final String BOUNDARY = "----osprey7MA4YWxkTrZu0gW";
    private static final long NO_LIMIT = Long.MAX_VALUE;

    /** A part as read: headers and all its bytes. */
    record Read(String name, String fileName, String contentType, byte[] data) {
    }

    @Test
    void readsEveryPartWithItsHeadersAndBytes() throws IOException {
        byte[] binary = randomBytes(300_000, 1);
        byte[] body = body(
                part("form-data; name=\"namespace\"", null, "company.team"),
                part("form-data; name=\"fileContent\"; filename=\"data.bin\"", "application/octet-stream", binary),
                part("form-data; name=empty", null, new byte[0]));

        List<Read> parts = readAll(new ByteArrayInputStream(body));

        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).name()).isEqualTo("namespace");
        assertThat(parts.get(0).fileName()).isNull();
        assertThat(new String(parts.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("company.team");
        assertThat(parts.get(1).name()).isEqualTo("fileContent");
        assertThat(parts.get(1).fileName()).isEqualTo("data.bin");
        assertThat(parts.get(1).contentType()).isEqualTo("application/octet-stream");
        assertThat(parts.get(1).data()).isEqualTo(binary);
        assertThat(parts.get(2).name()).isEqualTo("empty");
        assertThat(parts.get(2).data()).isEmpty();
    }

    /** Whatever sizes the body arrives in, down to one byte per read, the parts are the same. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 45, 4096, 65_536})
    void theSizesTheBodyArrivesInDoNotMatter(int chunk) throws IOException {
        byte[] data = randomBytes(100_000, chunk);
        byte[] body = body(part("form-data; name=\"a\"", null, data), part("form-data; name=\"b\"", null, "bee"));

        List<Read> parts = readAll(new Trickle(body, chunk));

        assertThat(parts).extracting(Read::name).containsExactly("a", "b");
        assertThat(parts.get(0).data()).isEqualTo(data);
        assertThat(parts.get(1).data()).isEqualTo("bee".getBytes(StandardCharsets.UTF_8));
    }

    /** Data full of near-delimiters: CRLF, dashes, the boundary without its CRLF, the delimiter cut short. */
    @Test
    void dataThatAlmostHoldsTheDelimiterIsKeptWhole() throws IOException {
        String delimiter = "\r\n--" + BOUNDARY;
        String tricky = "\r\n\r\n--\r\n-" + "--" + BOUNDARY + " " + delimiter.substring(0, delimiter.length() - 1) + "x"
                + "\n" + delimiter.substring(1) + "\r\n--" + BOUNDARY.substring(0, 10) + "\r\n";
        byte[] data = (tricky.repeat(2000) + "\r").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = body(part("form-data; name=\"f\"", null, data));

        for (int chunk : new int[]{1, 13, 8192}) {
            List<Read> parts = readAll(new Trickle(body, chunk));
            assertThat(parts).hasSize(1);
            assertThat(parts.get(0).data()).as("read %d bytes at a time", chunk).isEqualTo(data);
        }
    }

    @Test
    void thePreambleTheEpilogueAndTransportPaddingAreIgnored() throws IOException {
        byte[] body = ("this is a preamble\r\n--" + BOUNDARY + " \t\r\n"
                + "Content-Disposition: form-data; name=\"x\"\r\n\r\nvalue\r\n--" + BOUNDARY + "--\r\nan epilogue")
                .getBytes(StandardCharsets.UTF_8);

        List<Read> parts = readAll(new ByteArrayInputStream(body));

        assertThat(parts).hasSize(1);
        assertThat(new String(parts.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("value");
    }

    @Test
    void aPartLeftUnreadIsSkippedAndItsStreamThenReadsNothing() throws IOException {
        byte[] body = body(part("form-data; name=\"a\"", null, randomBytes(50_000, 2)), part("form-data; name=\"b\"", null, "bee"));
        MultipartReader reader = reader(new ByteArrayInputStream(body), NO_LIMIT, NO_LIMIT);

        MultipartReader.Part first = reader.next();
        assertThat(first.data().read(new byte[100])).isEqualTo(100);
        MultipartReader.Part second = reader.next();

        assertThat(first.data().read(new byte[100])).isEqualTo(-1);
        assertThat(second.data().readAllBytes()).isEqualTo("bee".getBytes(StandardCharsets.UTF_8));
        assertThat(reader.next()).isNull();
        assertThat(reader.next()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "form-data; name=\"a\"; filename=\"r\\\"port.txt\"       | a  | r\"port.txt",
            "form-data; name=a; filename=b.txt                     | a  | b.txt",
            "form-data ; NAME=\"a;b\" ; FileName = \"c; d.txt\"     | a;b | c; d.txt",
            "form-data; flag; name=\"n\"                           | n  | ",
            "form-data; filename*=x.txt; name=\"n\"                | n  | ",
    })
    void contentDispositionParametersAreParsed(String disposition, String name, String fileName) {
        assertThat(MultipartReader.parameter(disposition, "name")).isEqualTo(name);
        assertThat(MultipartReader.parameter(disposition, "filename")).isEqualTo(fileName);
    }

    @Test
    void onlyAFormDataPartHasAName() throws IOException {
        byte[] body = body(part("form-data; name=\"a\"", null, "1"), part("FORM-DATA;name=b", null, "2"),
                part("attachment; name=\"c\"", null, "3"), part("form-datax; name=\"d\"", null, "4"));

        assertThat(readAll(new ByteArrayInputStream(body))).extracting(Read::name).containsExactly("a", "b", null, null);
    }

    @Test
    void aUtf8FileNameIsRead() throws IOException {
        byte[] body = body(part("form-data; name=\"f\"; filename=\"résumé 履歴.txt\"", "text/plain", "x"));

        assertThat(readAll(new ByteArrayInputStream(body)).get(0).fileName()).isEqualTo("résumé 履歴.txt");
    }

    /**
     * No delimiter at all; none to close; ends in the headers; ends after a delimiter; a delimiter run on; a nameless
     * header; a quoted file name left open; a file name given twice.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "just some bytes",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue",
            "--B\r\nContent-Disposition: form-da",
            "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B",
            "--Bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B--",
            "--B\r\nno colon here\r\n\r\nv\r\n--B--",
            "--B\r\nContent-Disposition: form-data; name=\"a\"; filename=\"abc.txt\r\n\r\nv\r\n--B--",
            "--B\r\nContent-Disposition: form-data; name=\"a\"; filename=abc.txt; FILENAME=\"evil.txt\"\r\n\r\nv\r\n--B--",
    })
    void aMalformedBodyFailsTheRead(String text) {
        byte[] body = text.replace("--B", "--" + BOUNDARY).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body))).isInstanceOf(MultipartReader.MalformedException.class);
    }

    @Test
    void headersLongerThanTheLimitFailTheRead() {
        String longValue = "x".repeat(MultipartReader.MAX_HEADER_BYTES);
        byte[] body = body(part("form-data; name=\"a\"; filename=\"" + longValue + "\"", null, "v"));

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(body)))
                .isInstanceOfSatisfying(MultipartReader.TooLargeException.class,
                        tooLarge -> assertThat(tooLarge.limit()).isEqualTo(MultipartReader.Limit.HEADERS));
    }

    @Test
    void aPartOverItsLimitFailsTheReadAndOneAtItsLimitPasses() throws IOException {
        byte[] atTheLimit = body(part("form-data; name=\"a\"", null, new byte[1000]));
        byte[] overTheLimit = body(part("form-data; name=\"a\"", null, new byte[1001]));

        assertThat(readAll(reader(new ByteArrayInputStream(atTheLimit), 1000, NO_LIMIT)).get(0).data()).hasSize(1000);
        assertThatThrownBy(() -> readAll(reader(new ByteArrayInputStream(overTheLimit), 1000, NO_LIMIT)))
                .isInstanceOf(MultipartReader.TooLargeException.class);
    }

    @Test
    void aSkippedPartCountsAgainstTheLimitsToo() {
        byte[] body = body(part("form-data; name=\"skipped\"", null, new byte[5000]), part("form-data; name=\"b\"", null, "v"));

        assertThatThrownBy(() -> {
            MultipartReader reader = reader(new ByteArrayInputStream(body), 1000, NO_LIMIT);
            while (reader.next() != null) {
                // skip every part
            }
        }).isInstanceOf(MultipartReader.TooLargeException.class);
    }

    @Test
    void aBodyOverItsLimitFailsTheRead() throws IOException {
        byte[] body = body(part("form-data; name=\"a\"", null, new byte[600]), part("form-data; name=\"b\"", null, new byte[600]));

        assertThatThrownBy(() -> readAll(reader(new ByteArrayInputStream(body), 1000, 1000)))
                .isInstanceOf(MultipartReader.TooLargeException.class);
        assertThat(readAll(reader(new ByteArrayInputStream(body), 1000, body.length))).hasSize(2);
    }

    private static MultipartReader reader(InputStream in, long maxPart, long maxBody) {
        return new MultipartReader(in, BOUNDARY, maxPart, maxBody);
    }

    private static List<Read> readAll(InputStream in) throws IOException {
        return readAll(reader(in, NO_LIMIT, NO_LIMIT));
    }

    private static List<Read> readAll(MultipartReader reader) throws IOException {
        List<Read> parts = new ArrayList<>();
        for (MultipartReader.Part part; (part = reader.next()) != null; ) {
            // odd-sized reads, so that copies straddle the buffer's refills
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            byte[] chunk = new byte[1021];
            for (int n; (n = part.data().read(chunk, 0, chunk.length)) >= 0; ) {
                data.write(chunk, 0, n);
            }
            parts.add(new Read(part.name(), part.fileName(), part.contentType(), data.toByteArray()));
        }
        return parts;
    }

    private static byte[] part(String disposition, String contentType, String data) {
        return part(disposition, contentType, data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] part(String disposition, String contentType, byte[] data) {
        String headers = "Content-Disposition: " + disposition + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n";
        byte[] head = headers.getBytes(StandardCharsets.UTF_8);
        byte[] part = Arrays.copyOf(head, head.length + data.length);
        System.arraycopy(data, 0, part, head.length, data.length);
        return part;
    }

    private static byte[] body(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(("--" + BOUNDARY + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(part);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** A body that arrives at most {@code chunk} bytes per read, as over a slow network. */
    private static final class Trickle extends InputStream {

        private final ByteArrayInputStream in;
        private final int chunk;

        Trickle(byte[] body, int chunk) {
            this.in = new ByteArrayInputStream(body);
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            return in.read(target, offset, Math.min(length, chunk));
        }
    }
}
