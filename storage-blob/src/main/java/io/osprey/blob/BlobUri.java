package io.osprey.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A blob's address, {@code osprey:///{tenant}/{namespace}/{path}}: the only form events carry.
 *
 * <p>{@code path} is relative to the namespace and canonical (every segment percent-encoded the one
 * way {@link #of} does it), so two URIs name the same blob exactly when they are equal, and no URI can
 * point outside its tenant and namespace. Build URIs with {@link BlobPaths}; read stored ones back with
 * {@link #parse(String)}.
 */
public record BlobUri(String tenant, String namespace, String path) {

    public static final String SCHEME = "osprey";

    public BlobUri {
        BlobKeys.tenant(tenant);
        BlobKeys.namespace(namespace);
        if (path == null || path.isEmpty()) {
            throw new InvalidBlobKeyException("a blob URI needs a path below its namespace");
        }
        for (String segment : path.split("/", -1)) {
            if (!BlobKeys.canonicalSegment(segment).equals(segment)) {
                throw new InvalidBlobKeyException("path segment is not in canonical form: " + segment);
            }
        }
        BlobKeys.checkKeyLength(tenant + "/" + namespace + "/" + path);
    }

    /** A URI from raw (unencoded) path segments, each checked and percent-encoded. */
    public static BlobUri of(String tenant, String namespace, String... segments) {
        if (segments.length == 0) {
            throw new InvalidBlobKeyException("a blob URI needs a path below its namespace");
        }
        List<String> encoded = new ArrayList<>(segments.length);
        for (String segment : segments) {
            encoded.add(BlobKeys.segment(segment));
        }
        return new BlobUri(tenant, namespace, String.join("/", encoded));
    }

    public static BlobUri parse(String uri) {
        if (uri == null) {
            throw new InvalidBlobKeyException("a blob URI is required");
        }
        try {
            return parse(new URI(uri));
        } catch (URISyntaxException e) {
            throw new InvalidBlobKeyException("not a URI: " + e.getMessage());
        }
    }

    /** Accepts only {@code osprey:///tenant/namespace/path} with no host, query or fragment; canonicalises escapes. */
    public static BlobUri parse(URI uri) {
        if (uri == null || !SCHEME.equalsIgnoreCase(uri.getScheme()) || uri.isOpaque()
                || uri.getRawAuthority() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
            throw new InvalidBlobKeyException("a blob URI must look like " + SCHEME + ":///{tenant}/{namespace}/{path}: " + uri);
        }
        return fromSegments(uri.getRawPath().substring(1).split("/", -1));
    }

    /** The blob stored under {@code key} ({@link #key()}), or empty when the key is not a canonical blob key. */
    public static Optional<BlobUri> fromKey(String key) {
        try {
            BlobUri uri = fromSegments(key.split("/", -1));
            return uri.key().equals(key) ? Optional.of(uri) : Optional.empty();
        } catch (InvalidBlobKeyException e) {
            return Optional.empty();
        }
    }

    private static BlobUri fromSegments(String[] segments) {
        if (segments.length < 3) {
            throw new InvalidBlobKeyException("a blob URI needs a tenant, a namespace and a path");
        }
        List<String> path = new ArrayList<>(segments.length - 2);
        for (int i = 2; i < segments.length; i++) {
            path.add(BlobKeys.canonicalSegment(segments[i]));
        }
        return new BlobUri(BlobKeys.decode(segments[0]), BlobKeys.decode(segments[1]), String.join("/", path));
    }

    /** The storage key: {@code tenant/namespace/path}, ASCII, at most 1024 bytes. */
    public String key() {
        return tenant + "/" + namespace + "/" + path;
    }

    /** The decoded path segments below the namespace. */
    public List<String> segments() {
        return Arrays.stream(path.split("/")).map(BlobKeys::decode).toList();
    }

    /** The decoded last segment, e.g. for a download's file name. */
    public String fileName() {
        return BlobKeys.decode(path.substring(path.lastIndexOf('/') + 1));
    }

    public URI toUri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return SCHEME + ":///" + key();
    }
}
