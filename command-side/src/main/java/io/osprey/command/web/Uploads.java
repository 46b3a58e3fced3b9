package io.osprey.command.web;

import io.osprey.events.validation.InvalidInputException;
import io.osprey.events.web.QueryParameters;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What an upload endpoint reads from its multipart request, in the order that keeps bad requests cheap:
 * query parameters first (without touching the body), then the file part, which is streamed straight from the
 * request (never spooled to a temporary file nor held in memory) while {@link UploadLimits} are enforced.
 */
@Component
public class Uploads {

    private final UploadLimits limits;

    public Uploads(UploadLimits limits) {
        this.limits = limits;
    }

    /**
     * A query parameter of the request, null when absent, refused when repeated. Asking the servlet request for a
     * parameter would make the container parse the whole multipart body first; this reads the query string alone.
     */
    public String queryParameter(HttpServletRequest request, String name) {
        return QueryParameters.parse(request.getQueryString()).single(name);
    }

    /**
     * The named part of the multipart body, read from the request as it arrives: the body holds that part and
     * nothing else (any other part would be dropped unread, so it is a 400), and its
     * {@linkplain MultipartFile#getInputStream() stream} can be read once. That stream ends only
     * after the rest of the body has been read, so that a request over its limit never ends as a stored blob.
     * When a limit is passed (or the body turns out malformed) while it is read, the stream fails with an
     * {@link IOException} that carries the 413 (or 400) to answer, {@link RefusedWhileStreaming}; the blob store
     * drops what it had stored of the part, and {@link UploadConfiguration} answers it as the problem it carries.
     */
    public MultipartFile filePart(HttpServletRequest request, String name) {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            throw new InvalidInputException(name, "required", "a multipart/form-data body with a '" + name + "' part is required");
        }
        String boundary = MultipartReader.parameter(contentType, "boundary");
        if (!MultipartReader.isValidBoundary(boundary)) {
            throw new InvalidInputException(name, "multipart", "the Content-Type has no boundary of 1 to 70 characters");
        }
        if (request.getContentLengthLong() > limits.maxRequestSize().toBytes()) {
            throw UploadTooLargeException.requestTooLarge(limits);
        }
        try {
            MultipartReader body = new MultipartReader(request.getInputStream(), boundary,
                    limits.maxFileSize().toBytes(), limits.maxRequestSize().toBytes());
            MultipartReader.Part part = body.next();
            if (part != null) {
                if (!name.equals(part.name())) {
                    throw unknownPart(name, part);
                }
                return new StreamedPart(name, part, body);
            }
        } catch (IOException e) {
            throw problem(name, e);
        }
        throw new InvalidInputException(name, "required", "the multipart body has no '" + name + "' part");
    }

    /** A part beside the one an upload takes would be dropped unread: it is refused instead. */
    private static InvalidInputException unknownPart(String name, MultipartReader.Part part) {
        String given = part.name() == null || part.name().isEmpty() ? name : part.name();
        return new InvalidInputException(given, "unknown-part", "the multipart body holds one '" + name
                + "' part and nothing else; got " + (part.name() == null ? "a part with no name" : "'" + part.name() + "'"));
    }

    /** The 413 or 400 that a failure to read the body means. */
    private RuntimeException problem(String name, IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof RefusedWhileStreaming refused) {
                return refused.problem();
            }
            if (cause instanceof MultipartReader.TooLargeException tooLarge) {
                return switch (tooLarge.limit()) {
                    case PART -> UploadTooLargeException.fileTooLarge(name, limits);
                    case HEADERS -> new UploadTooLargeException("body", "max-part-header-size",
                            "a part's headers may hold at most " + MultipartReader.MAX_HEADER_BYTES + " bytes");
                    case BODY -> UploadTooLargeException.requestTooLarge(limits);
                };
            }
        }
        return new InvalidInputException(name, "multipart", "the multipart body cannot be read: " + message(failure));
    }

    private static String message(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest.getMessage() == null ? deepest.toString() : deepest.getMessage();
    }

    /**
     * A read of an upload stopped because the request broke a rule (a limit, the multipart syntax). An
     * {@link IOException}, so that a blob store takes it for the failure of its caller's stream (and keeps
     * nothing of it); it carries the problem to answer.
     */
    public static final class RefusedWhileStreaming extends IOException {

        private final RuntimeException problem;

        RefusedWhileStreaming(RuntimeException problem, Throwable cause) {
            super(problem.getMessage(), cause);
            this.problem = problem;
        }

        public RuntimeException problem() {
            return problem;
        }
    }

    /** One part, streamed from the request: no size is known before it has been read. */
    private final class StreamedPart implements MultipartFile {

        private final String name;
        private final MultipartReader.Part part;
        private final MultipartReader body;
        private boolean opened;

        StreamedPart(String name, MultipartReader.Part part, MultipartReader body) {
            this.name = name;
            this.part = part;
            this.body = body;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getOriginalFilename() {
            return part.fileName();
        }

        @Override
        public String getContentType() {
            return part.contentType();
        }

        /** Unknown until read: never reported as empty. */
        @Override
        public boolean isEmpty() {
            return false;
        }

        /** Unknown until read: -1. */
        @Override
        public long getSize() {
            return -1;
        }

        @Override
        public byte[] getBytes() throws IOException {
            try (InputStream in = getInputStream()) {
                return in.readAllBytes();
            }
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (opened) {
                throw new IllegalStateException("the streamed part '" + name + "' can be read only once");
            }
            opened = true;
            return new PartStream(part.data());
        }

        @Override
        public void transferTo(File dest) throws IOException {
            transferTo(dest.toPath());
        }

        @Override
        public void transferTo(Path dest) throws IOException {
            try (InputStream in = getInputStream(); OutputStream out = Files.newOutputStream(dest)) {
                in.transferTo(out);
            }
        }

        /**
         * Every failure to read the request is a {@link RefusedWhileStreaming}: a limit passed (413), a malformed
         * body or a client gone away mid-body (400, as when the container read the body).
         */
        private IOException refusal(IOException e) {
            return e instanceof RefusedWhileStreaming refused ? refused : new RefusedWhileStreaming(problem(name, e), e);
        }

        /** The part's bytes; at its end, the rest of the body is read (and checked) before the end is reported. */
        private final class PartStream extends FilterInputStream {

            private boolean ended;

            PartStream(InputStream part) {
                super(part);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (ended) {
                    return -1;
                }
                int n;
                try {
                    n = in.read(buffer, offset, length);
                    if (n < 0) {
                        readTheRest();
                        ended = true;
                    }
                } catch (IOException e) {
                    throw refusal(e);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                byte[] buffer = new byte[8192];
                long skipped = 0;
                while (skipped < n) {
                    int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                    if (read < 0) {
                        break;
                    }
                    skipped += read;
                }
                return skipped;
            }

            @Override
            public boolean markSupported() {
                return false;
            }

            /** After the part, the body must end: a second part of this name, or any other part, is refused. */
            private void readTheRest() throws IOException {
                MultipartReader.Part later = body.next();
                if (later == null) {
                    return;
                }
                throw new RefusedWhileStreaming(name.equals(later.name())
                        ? new InvalidInputException(name, "duplicate", "the multipart body may hold one '" + name
                        + "' part, got more")
                        : unknownPart(name, later), null);
            }
        }
    }
}
