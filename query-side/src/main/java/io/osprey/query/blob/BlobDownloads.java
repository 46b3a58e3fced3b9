package io.osprey.query.blob;

import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.coyote.CloseNowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Optional;

/**
 * How a file the caller may read is sent, by both download endpoints (namespace files, execution files): with its
 * type and name, the whole file or one byte range of it, streamed from the store as it is written; or, when the
 * store serves downloads itself ({@code osprey.blob.s3.direct-downloads}), a redirect to a short-lived URL instead.
 */
@Component
public class BlobDownloads {

    private static final Pattern LONG_DIGITS = Pattern.compile("[0-9]{19,}");

    /** From this size on, the response buffer below is used rather than Tomcat's default of 8 KB. */
    private static final long LARGE_FILE_BYTES = 16L * 1024 * 1024;
    // measured: +15 % MB/s on 256 MiB; on 1 MiB files the larger buffer per request cost more than it saved
    private static final int LARGE_FILE_BUFFER_BYTES = 256 * 1024;

    /** As {@link InputStream#transferTo}'s. */
    private static final int COPY_BUFFER_BYTES = 8192;
    private static final Logger log = LoggerFactory.getLogger(BlobDownloads.class);

    private final BlobStore blobs;

    public BlobDownloads(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Throws {@link BlobMissingException} when the store does not hold the file's bytes. */
    public void requireStored(BlobUri uri) {
        if (!blobs.exists(uri)) {
            throw new BlobMissingException(uri);
        }
    }

    /** A file as the read model knows it. */
    /** A file to serve; its SHA-256 is its entity tag. */
    public record DownloadableFile(BlobUri uri, long size, String fileName, String sha256) {

        /** Null for a file recorded without its digest. */
        String entityTag() {
            return sha256 == null ? null : "\"" + sha256 + "\"";
        }
    }

    /**
     * Answers a GET or a HEAD of a file. A GET is redirected ({@code 307}) to the store when it serves downloads
     * itself; the client sends its {@code Range} there. Otherwise the reply is the whole file ({@code 200}) or the one
     * byte range asked for ({@code 206}), read from the store as a range rather than skipped through. Several ranges,
     * or a {@code Range} that is not {@code bytes=}, get the whole file, as RFC 9110 lets a server do; a range that
     * starts past the end is a {@link RangeNotSatisfiableException}. A HEAD gets the headers of the whole file from
     * the read model, once the store has said it holds the blob. {@code headers} (the read's position) go with every reply.
     * The file's SHA-256 is its strong entity tag: {@code If-Match} naming another is a 412, {@code If-None-Match}
     * naming it a 304, and a range asked for {@code If-Range} another tag (or a date, which this never sends) is
     * ignored and the whole file sent, so that a resumed download never splices two revisions.
     */
    public void send(HttpServletRequest request, DownloadableFile file, HttpHeaders headers,
                     HttpServletResponse response) throws IOException {
        String tag = file.entityTag();
        String ifMatch = request.getHeader(HttpHeaders.IF_MATCH);
        if (ifMatch != null && !EntityTags.anyMatches(ifMatch, tag, false)) {
            throw new PreconditionFailedException(tag);
        }
        String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && EntityTags.anyMatches(ifNoneMatch, tag, true)) {
            copy(headers, response);
            response.setStatus(HttpStatus.NOT_MODIFIED.value());
            if (tag != null) {
                response.setHeader(HttpHeaders.ETAG, tag);
            }
            return;
        }
        boolean get = HttpMethod.GET.matches(request.getMethod());
        if (get) {
            Optional<URI> direct = blobs.directDownload(file.uri(), contentType(file.fileName()).toString(),
                    attachment(file.fileName()));
            if (direct.isPresent()) {
                copy(headers, response);
                response.setStatus(HttpStatus.TEMPORARY_REDIRECT.value());
                response.setHeader(HttpHeaders.LOCATION, direct.get().toString());
                // the URL is a credential for a few minutes: no cache may keep it
                response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
                return;
            }
        }
        long size = file.size();
        String ifRange = request.getHeader(HttpHeaders.IF_RANGE);
        boolean rangeStillFits = ifRange == null || (tag != null && ifRange.trim().equals(tag));
        HttpRange wanted = get && rangeStillFits ? singleRange(request.getHeader(HttpHeaders.RANGE)) : null;
        if (wanted != null && size == 0 && suffixOfSomeBytes(wanted)) {
            wanted = null; // satisfiable (RFC 9110 14.1.1), but no 206 can show an empty part: the whole, empty file
        }
        long start = 0;
        long length = size;
        if (wanted != null) {
            if (!satisfiable(wanted, size)) {
                throw new RangeNotSatisfiableException(size);
            }
            start = wanted.getRangeStart(size);
            length = wanted.getRangeEnd(size) - start + 1;
        }
        // opened (or, for a HEAD, looked up) before anything is written: a store that is away is a 503, a lost blob
        // a 404 naming it, not a cut reply
        InputStream content = get ? blobs.get(file.uri(), start, length).orElseThrow(() -> new BlobMissingException(file.uri()))
                : null;
        if (!get) {
            requireStored(file.uri());
        }
        try (content) {
            copy(headers, response);
            response.setContentType(contentType(file.fileName()).toString());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, attachment(file.fileName()));
            // a guessed type (text/html...) must not make a browser run what it downloads
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
            if (tag != null) {
                response.setHeader(HttpHeaders.ETAG, tag);
            }
            response.setContentLengthLong(length);
            if (wanted != null) {
                response.setStatus(HttpStatus.PARTIAL_CONTENT.value());
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + (start + length - 1) + "/" + size);
            }
            if (content != null) {
                if (length >= LARGE_FILE_BYTES) {
                    // the socket writes are osprey.query.socket-write-buffer each
                    response.setBufferSize(LARGE_FILE_BUFFER_BYTES);
                }
                send(file.uri(), content, length, response);
            }
        }
    }

    /**
     * Copies the {@code length} bytes promised by {@code Content-Length}. A store that gives fewer (a blob truncated
     * behind Osprey's back, a connection to the store cut) cannot be answered any more: the reply is cut at once,
     * else the client would wait for the missing bytes until the connection times out.
     */
    private static void send(BlobUri uri, InputStream content, long length, HttpServletResponse response)
            throws IOException {
        OutputStream out = response.getOutputStream();
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        long sent = 0;
        while (sent < length) {
            int read;
            try {
                read = content.read(buffer);
            } catch (IOException e) {
                throw cut(uri, sent, length, e.toString(), response);
            }
            if (read < 0) {
                throw cut(uri, sent, length, "the store holds fewer bytes than recorded", response);
            }
            out.write(buffer, 0, read);
            sent += read;
        }
    }

    /**
     * Commits what is written and gives the exception that cuts the reply: thrown on, Tomcat closes the connection
     * (the client sees an incomplete reply) without logging it again.
     */
    private static CloseNowException cut(BlobUri uri, long sent, long length, String why, HttpServletResponse response) {
        log.warn("the download of {} was cut after {} of {} bytes: {}", uri, sent, length, why);
        try {
            response.flushBuffer();
        } catch (IOException clientGoneToo) {
            // the connection is being cut anyway
        }
        return new CloseNowException("the download of " + uri + " was cut after " + sent + " of " + length + " bytes");
    }

    /** The one range asked for; none without a Range header, with several ranges, or one this does not read. */
    private static HttpRange singleRange(String header) {
        if (header == null) {
            return null;
        }
        String unit = "bytes=";
        if (header.regionMatches(true, 0, unit, 0, unit.length())) {
            header = unit + header.substring(unit.length()); // the unit is case-insensitive (RFC 9110); Spring's parser is not
        }
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(saturated(header));
            return ranges.size() == 1 ? ranges.get(0) : null;
        } catch (IllegalArgumentException unread) {
            return null;
        }
    }

    /**
     * The header with each position too large for a long made the largest long, which means the same for any file:
     * Spring's parser refuses such a number, and the range was then ignored (a start past the end is a 416).
     */
    private static String saturated(String header) {
        return LONG_DIGITS.matcher(header).replaceAll(digits -> {
            try {
                Long.parseLong(digits.group());
                return digits.group();
            } catch (NumberFormatException tooLarge) {
                return Long.toString(Long.MAX_VALUE);
            }
        });
    }

    /** A range of the last N bytes, N > 0 ({@code bytes=-N}): Spring shows no other way to tell than its text. */
    private static boolean suffixOfSomeBytes(HttpRange range) {
        String text = range.toString();
        return text.startsWith("-") && !text.equals("-0");
    }

    /** Whether the range starts within the file: one starting at or past its end throws, or ends before it starts. */
    private static boolean satisfiable(HttpRange range, long size) {
        try {
            return range.getRangeStart(size) <= range.getRangeEnd(size);
        } catch (IllegalArgumentException startsPastTheEnd) {
            return false;
        }
    }

    private static void copy(HttpHeaders headers, HttpServletResponse response) {
        headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
    }

    /** Guessed from the name; a guess must not make a browser run what it downloads, hence {@code nosniff} beside it. */
    private static MediaType contentType(String fileName) {
        return MediaTypeFactory.getMediaType(fileName).orElse(MediaType.APPLICATION_OCTET_STREAM);
    }

    /** Plain for an ASCII name; otherwise with the RFC 5987 {@code filename*} that browsers decode. */
    private static String attachment(String fileName) {
        ContentDisposition.Builder disposition = ContentDisposition.attachment();
        return (StandardCharsets.US_ASCII.newEncoder().canEncode(fileName) ? disposition.filename(fileName)
                : disposition.filename(fileName, StandardCharsets.UTF_8)).build().toString();
    }
}
