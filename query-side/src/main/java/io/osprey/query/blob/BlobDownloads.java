package io.osprey.query.blob;

import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How a file the caller may read is sent: its type and name, and, when the store serves downloads itself
 * ({@code osprey.blob.s3.direct-downloads}), a redirect to a short-lived URL instead of the bytes.
 */
@Component
public class BlobDownloads {

    private final BlobStore blobs;

    public BlobDownloads(BlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * A {@code 307} to the store for a GET, when the store serves downloads itself; the client sends its
     * {@code Range} there. A HEAD is answered here: a signed URL is good for one method only.
     */
    public <T> Optional<ResponseEntity<T>> redirect(HttpMethod method, BlobUri blob, String fileName, HttpHeaders headers) {
        if (!HttpMethod.GET.equals(method)) {
            return Optional.empty();
        }
        return blobs.directDownload(blob, contentType(fileName).toString(), attachment(fileName)).map(url ->
                ResponseEntity.status(HttpStatus.TEMPORARY_REDIRECT).headers(headers).location(url)
                        // the URL is a credential for a few minutes: no cache may keep it
                        .cacheControl(CacheControl.noStore())
                        .build());
    }

    /** Guessed from the name; a guess must not make a browser run what it downloads, hence {@code nosniff} beside it. */
    public static MediaType contentType(String fileName) {
        return MediaTypeFactory.getMediaType(fileName).orElse(MediaType.APPLICATION_OCTET_STREAM);
    }

    /** Plain for an ASCII name; otherwise with the RFC 5987 {@code filename*} that browsers decode. */
    public static String attachment(String fileName) {
        ContentDisposition.Builder disposition = ContentDisposition.attachment();
        return (StandardCharsets.US_ASCII.newEncoder().canEncode(fileName) ? disposition.filename(fileName)
                : disposition.filename(fileName, StandardCharsets.UTF_8)).build().toString();
    }
}
