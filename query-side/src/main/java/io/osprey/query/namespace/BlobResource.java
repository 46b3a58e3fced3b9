package io.osprey.query.namespace;

import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobUri;
import org.springframework.core.io.AbstractResource;

import java.io.InputStream;

/**
 * A blob as a Spring resource of known size and name, so that Spring MVC streams it with its length and
 * serves range requests. Each read opens the blob again. A blob the read model knows but the store does not
 * is lost data, not a 404; Spring would answer a {@code FileNotFoundException} with an empty body, so it is
 * reported as an {@link IllegalStateException}.
 */
final class BlobResource extends AbstractResource {

    private final BlobStore blobs;
    private final BlobUri uri;
    private final long size;
    private final String fileName;

    BlobResource(BlobStore blobs, BlobUri uri, long size, String fileName) {
        this.blobs = blobs;
        this.uri = uri;
        this.size = size;
        this.fileName = fileName;
    }

    @Override
    public InputStream getInputStream() {
        return blobs.get(uri).orElseThrow(() -> new IllegalStateException("the blob " + uri + " is missing from the store"));
    }

    BlobUri uri() {
        return uri;
    }

    @Override
    public long contentLength() {
        return size;
    }

    @Override
    public String getFilename() {
        return fileName;
    }

    @Override
    public String getDescription() {
        return "blob " + uri;
    }
}
