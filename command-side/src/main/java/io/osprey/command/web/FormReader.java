package io.osprey.command.web;

import io.osprey.events.validation.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.http.ContentDisposition;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a whole {@code multipart/form-data} body with {@link MultipartReader} rather than the container's parser,
 * which drops a part without a form-data name unseen: a file sent so was answered 201 and stored nowhere. Here such a
 * part is a 400. Fields are held in memory; a file part too, up to 8 KB, and beyond that in a temporary file deleted
 * when the request ends. The container's limits on a form apply as they did, each a 413 naming it: the number of
 * parts ({@code server.tomcat.max-part-count}), a part's headers ({@code server.tomcat.max-part-header-size}), the
 * fields together ({@code server.tomcat.max-http-form-post-size}), a file and the body ({@link UploadLimits}). As in
 * Tomcat, a negative one of the three is no limit (the reader still holds a part's headers to what its buffer takes).
 */
@Component
public class FormReader {

    private static final int IN_MEMORY_BYTES = 8 * 1024;

    private final UploadLimits limits;
    private final ServerProperties.Tomcat container;

    public FormReader(UploadLimits limits, ServerProperties server) {
        this.limits = limits;
        this.container = server.getTomcat();
    }

    /** A part of a form: a field ({@code fileName} null) or a file, and its bytes. */
    public record FormPart(String name, String fileName, String contentType, Bytes bytes) {

        public boolean isFile() {
            return fileName != null;
        }
    }

    /** A part's bytes, which may be opened more than once while the request lasts. */
    public interface Bytes {
        InputStream open() throws IOException;
    }

    /**
     * The parts of the request's form, in order. {@code field} names what the form holds ("inputs", "outputs"): a part
     * without a name, and a file over its limit, are named below it.
     *
     * @throws InvalidInputException  not a form, a part without a name, or a body that breaks the multipart syntax
     * @throws UploadTooLargeException a limit broken
     */
    public List<FormPart> read(HttpServletRequest request, String field) {
        String contentType = request.getContentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new InvalidInputException("body", "multipart", "a multipart/form-data body is required");
        }
        String boundary = MultipartReader.parameter(contentType, "boundary");
        if (!MultipartReader.isValidBoundary(boundary)) {
            throw new InvalidInputException("body", "multipart", "the Content-Type has no boundary of 1 to 70 characters");
        }
        if (request.getContentLengthLong() > limits.maxRequestSize().toBytes()) {
            throw UploadTooLargeException.requestTooLarge(limits);
        }
        long maxFieldsBytes = limit(container.getMaxHttpFormPostSize());
        List<FormPart> parts = new ArrayList<>();
        String current = null;
        try {
            // a field is held to the fields' limit below, a file to max-file-size: the reader's part limit is neither
            MultipartReader body = new MultipartReader(request.getInputStream(), boundary, Long.MAX_VALUE,
                    (int) Math.min(Integer.MAX_VALUE, limit(container.getMaxPartHeaderSize())),
                    limits.maxRequestSize().toBytes());
            long fieldBytes = 0;
            for (MultipartReader.Part part; (part = body.next()) != null; ) {
                // a negative count, Tomcat's "no limit", is never reached
                if (parts.size() == container.getMaxPartCount()) {
                    throw new UploadTooLargeException("body", "max-parts",
                            "the multipart body may hold at most " + container.getMaxPartCount() + " parts");
                }
                String name = part.name();
                if (name == null || name.isBlank()) {
                    throw new InvalidInputException(field, "part-name", "every part of the form needs a form-data name,"
                            + " the " + field + " it is; got a part " + (part.disposition() == null
                            ? "without a Content-Disposition" : "with Content-Disposition: " + part.disposition()));
                }
                current = name;
                String fileName = fileName(field + "." + name, part.disposition());
                if (fileName == null) {
                    // read no more than the fields' limit allows, plus one byte to tell it was passed
                    long room = maxFieldsBytes - fieldBytes;
                    byte[] value = part.data().readNBytes((int) Math.min(Integer.MAX_VALUE - 9, room) + 1);
                    fieldBytes += value.length;
                    if (fieldBytes > maxFieldsBytes) {
                        throw new UploadTooLargeException("body", "max-fields-size", "the fields of the multipart body may"
                                + " hold at most " + maxFieldsBytes
                                + " bytes together; send larger values as file parts");
                    }
                    parts.add(new FormPart(name, null, part.contentType(), () -> new ByteArrayInputStream(value)));
                } else {
                    parts.add(new FormPart(name, fileName, part.contentType(),
                            kept(new BoundedPart(part.data(), limits.maxFileSize().toBytes()))));
                }
            }
        } catch (MultipartReader.TooLargeException tooLarge) {
            throw switch (tooLarge.limit()) {
                case PART -> UploadTooLargeException.fileTooLarge(field + "." + current, limits); // a file part only
                // with no limit set, the reader's own (what its buffer holds) was broken: its message says which
                case HEADERS -> new UploadTooLargeException("body", "max-part-header-size",
                        container.getMaxPartHeaderSize().isNegative() ? tooLarge.getMessage() : "a part's headers (its"
                                + " name, file name and content type) may hold at most "
                                + container.getMaxPartHeaderSize().toBytes() + " bytes");
                case BODY -> UploadTooLargeException.requestTooLarge(limits);
            };
        } catch (IOException e) {
            throw new InvalidInputException("body", "multipart", "the multipart body cannot be read: " + e.getMessage());
        }
        if (parts.isEmpty()) {
            throw new InvalidInputException("body", "multipart", "the multipart body holds no parts");
        }
        return parts;
    }

    /** Tomcat's reading of a size limit: a negative one is none. */
    private static long limit(DataSize size) {
        return size.isNegative() ? Long.MAX_VALUE : size.toBytes();
    }

    /** The part's file name (Spring's reading, {@code filename*} included); null for a field. */
    private static String fileName(String field, String disposition) {
        try {
            return ContentDisposition.parse(disposition).getFilename();
        } catch (IllegalArgumentException unreadable) {
            throw new InvalidInputException(field, "multipart", field + " has a Content-Disposition that cannot be read: "
                    + disposition);
        }
    }

    /**
     * A file part's bytes: in memory while they are few, else in a temporary file deleted when the request ends.
     * A failure to read the part is the request's ({@link IOException}); one to write the file is this node's.
     */
    private static Bytes kept(InputStream data) throws IOException {
        byte[] chunk = data.readNBytes(IN_MEMORY_BYTES + 1);
        if (chunk.length <= IN_MEMORY_BYTES) {
            byte[] whole = chunk;
            return () -> new ByteArrayInputStream(whole);
        }
        Path file = temporaryFile();
        OutputStream out = spooled(() -> Files.newOutputStream(file));
        try {
            for (int n = chunk.length; n >= 0; n = data.read(chunk)) {
                int length = n;
                spooled(() -> {
                    out.write(chunk, 0, length);
                    return out;
                });
            }
        } catch (IOException | RuntimeException failed) {
            try {
                out.close();
            } catch (IOException alsoFailed) {
                failed.addSuppressed(alsoFailed);
            }
            throw failed;
        }
        spooled(() -> {
            out.close();
            return out;
        });
        return () -> Files.newInputStream(file);
    }

    /** A file part's data, failing as the reader fails a part over its limit once it holds more than max bytes. */
    private static final class BoundedPart extends FilterInputStream {

        private final long maxBytes;
        private long read;

        BoundedPart(InputStream data, long maxBytes) {
            super(data);
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            int n = super.read(target, offset, length);
            if (n > 0 && (read += n) > maxBytes) {
                throw new MultipartReader.TooLargeException(MultipartReader.Limit.PART,
                        "a file part holds more than " + maxBytes + " bytes");
            }
            return n;
        }
    }

    private interface FileStep<T> {
        T run() throws IOException;
    }

    /** A step on the temporary file: its failure is this node's, not the request's. */
    private static <T> T spooled(FileStep<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw new FormSpoolException(e);
        }
    }

    private static Path temporaryFile() {
        Path file = spooled(() -> Files.createTempFile("osprey-form-", ".part"));
        RequestContextHolder.currentRequestAttributes().registerDestructionCallback(file.toString(), () -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException leftBehind) {
                file.toFile().deleteOnExit();
            }
        }, RequestAttributes.SCOPE_REQUEST);
        return file;
    }

    /** This node could not keep a form's file part in a temporary file (a full disk): a 503 that wrote nothing. */
    public static final class FormSpoolException extends RuntimeException {
        FormSpoolException(IOException cause) {
            super("this node could not keep the form's files to read them: " + cause.getMessage(), cause);
        }
    }
}
