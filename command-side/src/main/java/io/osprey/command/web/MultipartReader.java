package io.osprey.command.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code multipart/form-data} body (RFC 7578, RFC 2046) read part after part as it arrives, each part's bytes
 * streamed, nothing spooled. The delimiter is found with a Boyer-Moore-Horspool search, which looks at about one
 * byte in forty of a part's data; the byte-at-a-time search of commons-fileupload was the largest item of the
 * command side's CPU on uploads (perf, {@code bench/run blobs}).
 *
 * <p>Limits are counted on the bytes read: a part's data over {@code maxPartBytes}, its headers over
 * {@code maxHeaderBytes}, or the body over {@code maxBodyBytes}, fails the read with {@link TooLargeException} naming
 * the limit. Anything that is not a well-formed body (no opening delimiter, a part's headers unterminated, the body
 * ending before the closing delimiter) fails it with {@link MalformedException}. A part has a name only when its
 * {@code Content-Disposition} is {@code form-data} with a {@code name} (RFC 7578). Not thread-safe; one reader per
 * request.
 */
final class MultipartReader {

    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};

    private final InputStream in;
    private final byte[] delimiter;
    private final int[] shift = new int[256];
    private final long maxPartBytes;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    private boolean sourceEnded;
    private long bodyBytes;
    /** End of the bytes in the buffer known to be the current part's data; -1 when not scanned since the last fill. */
    private int dataEnd = -1;
    private boolean delimiterAtDataEnd;
    private long partBytes;
    /** Bytes of the current part's header block read so far. */
    private int headerBytes;
    private boolean inPart;
    private boolean closed;
    /** Which part is current: the stream of an earlier part reads nothing more. */
    private int partNumber;

    /**
     * One part: its name and file name from {@code Content-Disposition} (the whole header too, null when it has none),
     * its {@code Content-Type}, and its data.
     */
    record Part(String name, String fileName, String disposition, String contentType, InputStream data) {
    }

    /** The body breaks the multipart syntax. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** The limits a body is read within. */
    enum Limit { PART, HEADERS, BODY }

    /** A part's data, a part's headers or the whole body went over its limit. */
    static final class TooLargeException extends IOException {
        private final Limit limit;

        TooLargeException(Limit limit, String message) {
            super(message);
            this.limit = limit;
        }

        Limit limit() {
            return limit;
        }
    }

    MultipartReader(InputStream in, String boundary, long maxPartBytes, long maxBodyBytes) {
        this(in, boundary, maxPartBytes, MAX_HEADER_BYTES, maxBodyBytes);
    }

    MultipartReader(InputStream in, String boundary, long maxPartBytes, int maxHeaderBytes, long maxBodyBytes) {
        if (!isValidBoundary(boundary)) {
            throw new IllegalArgumentException("a boundary has 1 to 70 characters, got " + boundary);
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxPartBytes = maxPartBytes;
        this.maxHeaderBytes = Math.min(maxHeaderBytes, BUFFER_BYTES / 2);
        this.maxBodyBytes = maxBodyBytes;
        Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
        // The first delimiter may open the body without the CRLF that precedes every other one: reading the body
        // as if it began with a CRLF makes the preamble an empty or ignored part like any other.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
        inPart = true; // the preamble, skipped by the first next()
    }

    /** RFC 2046: a boundary has 1 to 70 characters. */
    static boolean isValidBoundary(String boundary) {
        return boundary != null && !boundary.isEmpty() && boundary.length() <= 70;
    }

    /** The next part, the rest of the current one skipped; null after the closing delimiter. */
    Part next() throws IOException {
        if (closed) {
            return null;
        }
        skipData();
        if (!ensure(2)) {
            throw new MalformedException("the body ends right after a delimiter");
        }
        if (buffer[pos] == '-' && buffer[pos + 1] == '-') {
            closed = true;
            drainEpilogue();
            return null;
        }
        skipTransportPadding();
        String name = null;
        String fileName = null;
        String disposition = null;
        String contentType = null;
        headerBytes = 0;
        for (String line; !(line = headerLine()).isEmpty(); ) {
            if (headerBytes > maxHeaderBytes) {
                throw headersTooLarge();
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedException("a part's header line has no name: " + abbreviate(line));
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                checkParameters(value);
                disposition = value;
                boolean formData = value.regionMatches(true, 0, "form-data", 0, 9)
                        && (value.length() == 9 || value.charAt(9) == ';' || value.charAt(9) == ' ');
                name = formData ? parameter(value, "name") : null;
                fileName = parameter(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        inPart = true;
        partBytes = 0;
        dataEnd = -1;
        partNumber++;
        return new Part(name, fileName, disposition, contentType, new PartData(partNumber));
    }

    /**
     * Reads the current part's data into {@code target} (or passes over it when null); -1 once its delimiter has been
     * reached (and consumed).
     */
    private int readData(byte[] target, int offset, int length) throws IOException {
        if (!inPart) {
            return -1;
        }
        while (true) {
            if (dataEnd < 0) {
                scan();
            }
            if (dataEnd > pos) {
                int n = Math.min(length, dataEnd - pos);
                if (target != null) {
                    System.arraycopy(buffer, pos, target, offset, n);
                }
                pos += n;
                partBytes += n;
                if (partBytes > maxPartBytes) {
                    throw new TooLargeException(Limit.PART, "a part holds more than " + maxPartBytes + " bytes");
                }
                return n;
            }
            if (delimiterAtDataEnd) {
                pos += delimiter.length;
                inPart = false;
                dataEnd = -1;
                return -1;
            }
            if (!fill()) {
                throw new MalformedException("the body ends before its closing delimiter");
            }
        }
    }

    /** Passes over what is left of the current part, counted against the limits. */
    private void skipData() throws IOException {
        while (readData(null, 0, Integer.MAX_VALUE) >= 0) {
            // each call passes over the data the buffer holds
        }
    }

    /** Sets {@link #dataEnd}: at the next delimiter in the buffer, or where one could begin that is not all read yet. */
    private void scan() {
        int last = delimiter.length - 1;
        for (int i = pos; i + last < limit; i += shift[buffer[i + last] & 0xff]) {
            int j = last;
            while (j >= 0 && buffer[i + j] == delimiter[j]) {
                j--;
            }
            if (j < 0) {
                dataEnd = i;
                delimiterAtDataEnd = true;
                return;
            }
        }
        dataEnd = Math.max(pos, limit - last);
        delimiterAtDataEnd = false;
    }

    /** Transport padding (spaces and tabs) may follow a delimiter before its CRLF. */
    private void skipTransportPadding() throws IOException {
        while (ensure(1) && (buffer[pos] == ' ' || buffer[pos] == '\t')) {
            pos++;
        }
        if (!ensure(2) || buffer[pos] != '\r' || buffer[pos + 1] != '\n') {
            throw new MalformedException("a delimiter is not followed by CRLF");
        }
        pos += 2;
    }

    /** One header line without its CRLF; headers are UTF-8 (RFC 7578 allows it for file names). */
    private String headerLine() throws IOException {
        while (true) {
            int crlf = indexOf(CRLF, pos);
            if (crlf >= 0) {
                headerBytes += crlf + 2 - pos;
                String line = new String(buffer, pos, crlf - pos, StandardCharsets.UTF_8);
                pos = crlf + 2;
                return line;
            }
            if (limit - pos > maxHeaderBytes) {
                throw headersTooLarge();
            }
            if (!fill()) {
                throw new MalformedException("the body ends in a part's headers");
            }
        }
    }

    private TooLargeException headersTooLarge() {
        return new TooLargeException(Limit.HEADERS, "a part's headers hold more than " + maxHeaderBytes + " bytes");
    }

    private int indexOf(byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= limit; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (buffer[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The epilogue after the closing delimiter is read (and counted) but ignored. */
    private void drainEpilogue() throws IOException {
        pos = limit;
        while (fill()) {
            pos = limit;
        }
    }

    private boolean ensure(int bytes) throws IOException {
        while (limit - pos < bytes) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Moves what is left to the buffer's start and reads more after it; false when the body has ended. */
    private boolean fill() throws IOException {
        if (sourceEnded) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        dataEnd = -1;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            sourceEnded = true;
            return false;
        }
        limit += n;
        bodyBytes += n;
        if (bodyBytes > maxBodyBytes) {
            throw new TooLargeException(Limit.BODY, "the body holds more than " + maxBodyBytes + " bytes");
        }
        return true;
    }

    /**
     * A parameter of a {@code Content-Disposition} value ({@code form-data; name="a"; filename="b.txt"}): a token or
     * a quoted string, in which a backslash escapes the next character; null when absent.
     */
    static String parameter(String value, String wanted) {
        int i = value.indexOf(';');
        while (i >= 0) {
            int start = i + 1;
            int equals = value.indexOf('=', start);
            int nextSemicolon = value.indexOf(';', start);
            if (equals < 0) {
                return null;
            }
            if (nextSemicolon >= 0 && nextSemicolon < equals) {
                i = nextSemicolon; // a parameter without a value
                continue;
            }
            String key = value.substring(start, equals).trim();
            int j = equals + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            String parsed;
            if (j < value.length() && value.charAt(j) == '"') {
                StringBuilder quoted = new StringBuilder();
                for (j++; j < value.length() && value.charAt(j) != '"'; j++) {
                    if (value.charAt(j) == '\\' && j + 1 < value.length()) {
                        j++;
                    }
                    quoted.append(value.charAt(j));
                }
                parsed = quoted.toString();
                i = value.indexOf(';', j);
            } else {
                int end = value.indexOf(';', j);
                parsed = value.substring(j, end < 0 ? value.length() : end).trim();
                i = end;
            }
            if (key.equalsIgnoreCase(wanted)) {
                return parsed;
            }
        }
        return null;
    }

    /**
     * Refuses a {@code Content-Disposition} whose parameters cannot be read one way only: a quoted string left open
     * ({@code filename="a.txt}: the file was stored as {@code "a.txt}), or a parameter given twice (which file name?).
     */
    private static void checkParameters(String value) throws MalformedException {
        Set<String> seen = new HashSet<>();
        int i = value.indexOf(';');
        while (i >= 0) {
            int equals = value.indexOf('=', i + 1);
            int nextSemicolon = value.indexOf(';', i + 1);
            if (equals < 0 || (nextSemicolon >= 0 && nextSemicolon < equals)) {
                i = nextSemicolon;
                continue;
            }
            String key = value.substring(i + 1, equals).trim().toLowerCase(Locale.ROOT);
            if (!seen.add(key)) {
                throw new MalformedException("a part's Content-Disposition gives " + key + " twice: " + abbreviate(value));
            }
            int j = equals + 1;
            while (j < value.length() && value.charAt(j) == ' ') {
                j++;
            }
            if (j < value.length() && value.charAt(j) == '"') {
                for (j++; j < value.length() && value.charAt(j) != '"'; j++) {
                    if (value.charAt(j) == '\\') {
                        j++;
                    }
                }
                if (j >= value.length()) {
                    throw new MalformedException("a part's Content-Disposition leaves the quoted " + key + " open: "
                            + abbreviate(value));
                }
            }
            i = value.indexOf(';', Math.min(j, value.length()));
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }

    /** The current part's data as a stream; it ends at the part's delimiter. */
    private final class PartData extends InputStream {

        private final int number;

        PartData(int number) {
            this.number = number;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, target.length);
            if (number != partNumber) {
                return -1;
            }
            return length == 0 ? 0 : readData(target, offset, length);
        }
    }
}
