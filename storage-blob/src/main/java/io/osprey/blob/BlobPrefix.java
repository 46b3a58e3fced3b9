package io.osprey.blob;

/**
 * A prefix of storage keys, for listing and deleting many blobs at once. It always starts with a whole
 * tenant ({@code tenant/}), so no listing or deletion crosses tenants. The factories give folder prefixes
 * ending in '/'; the last part may also be the start of a name (e.g. {@code main/company.team/_files/rep}).
 */
public record BlobPrefix(String value) {

    public BlobPrefix {
        if (value == null) {
            throw new InvalidBlobKeyException("a prefix is required");
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw new InvalidBlobKeyException("a prefix must start with a whole tenant and '/': " + value);
        }
        BlobKeys.tenant(value.substring(0, slash));
        String[] parts = value.substring(slash + 1).split("/", -1);
        for (int i = 0; i < parts.length - 1; i++) {
            if (i == 0) {
                BlobKeys.namespace(parts[0]);
            } else if (!BlobKeys.canonicalSegment(parts[i]).equals(parts[i])) {
                throw new InvalidBlobKeyException("prefix segment is not in canonical form: " + parts[i]);
            }
        }
        String last = parts[parts.length - 1];
        if (!last.isEmpty() && !BlobKeys.canonicalSegment(last).equals(last)) {
            throw new InvalidBlobKeyException("prefix segment is not in canonical form: " + last);
        }
        BlobKeys.checkKeyLength(value);
    }

    /** Everything of one tenant. */
    public static BlobPrefix of(String tenant) {
        return new BlobPrefix(BlobKeys.tenant(tenant) + "/");
    }

    /** The folder {@code tenant/namespace/segments.../}, from raw (unencoded) segments. */
    public static BlobPrefix of(String tenant, String namespace, String... segments) {
        StringBuilder value = new StringBuilder(BlobKeys.tenant(tenant)).append('/')
                .append(BlobKeys.namespace(namespace)).append('/');
        for (String segment : segments) {
            value.append(BlobKeys.segment(segment)).append('/');
        }
        return new BlobPrefix(value.toString());
    }

    /** True when {@code key} lies under this prefix. */
    public boolean contains(String key) {
        return key.startsWith(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
