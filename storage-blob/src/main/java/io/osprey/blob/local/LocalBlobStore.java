package io.osprey.blob.local;

import io.osprey.blob.BlobEntry;
import io.osprey.blob.BlobInfo;
import io.osprey.blob.BlobPage;
import io.osprey.blob.BlobPrefix;
import io.osprey.blob.BlobStore;
import io.osprey.blob.BlobStoreUnavailableException;
import io.osprey.blob.BlobUri;
import io.osprey.blob.DigestingInputStream;
import io.osprey.blob.InvalidBlobKeyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under one root directory: the embedded default.
 *
 * <p>Key {@code main/ns/a/b} is the file {@code root/main/ns/a/b+blob}. The suffix uses a character that
 * canonical keys never hold raw, which keeps blobs apart from temporary files and from folders: a blob
 * {@code a} and a folder {@code a/} (as in {@code a/b}) can live side by side, as in AWS S3. The file holds the content followed by its 32-byte SHA-256, so that the
 * checksum is written and renamed into place together with the bytes it describes.
 *
 * <p>A put writes a temporary file next to its target, forces it to disk, then renames it over the target
 * atomically: readers see the old blob or the new one, never a part, and a crash leaves at most a
 * temporary file that no listing shows.
 */
public final class LocalBlobStore implements BlobStore {

    static final String BLOB_SUFFIX = "+blob";
    static final String TEMP_MARK = "+tmp-";
    private static final int TRAILER = 32;
    private static final int BUFFER = 64 * 1024;
    /** Enough to outlast a delete pruning the folder that a put is about to write in. */
    private static final int CREATE_ATTEMPTS = 5;

    private final Path root;

    public LocalBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw unavailable("cannot create blob root " + this.root + " (osprey.blob.local.root): " + e, e);
        }
        // a root the process may list but not write to would start healthy and refuse every upload with a 503
        try {
            Files.delete(Files.createTempFile(this.root, TEMP_MARK + "writable-", ""));
        } catch (IOException e) {
            throw unavailable("cannot write in blob root " + this.root + " (osprey.blob.local.root)", e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobInfo put(BlobUri uri, InputStream content) throws IOException {
        Path target = resolve(uri.key());
        Path temp = createTemp(target);
        DigestingInputStream in = new DigestingInputStream(content);
        try {
            String sha256;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    writeFully(channel, ByteBuffer.wrap(buffer, 0, n));
                }
                sha256 = in.sha256Hex();
                writeFully(channel, ByteBuffer.wrap(HexFormat.of().parseHex(sha256)));
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolder(target.getParent());
            return new BlobInfo(uri, in.size(), sha256);
        } catch (IOException e) {
            if (e == in.sourceFailure()) {
                throw e; // the caller's stream broke, not the disk
            }
            throw unavailable("cannot write " + uri, e);
        } finally {
            deleteLeftover(temp);
        }
    }

    @Override
    public Optional<InputStream> get(BlobUri uri, long offset, long length) {
        BlobStore.checkRange(offset, length);
        Path file = resolve(uri.key());
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            long size = contentSize(channel);
            long start = Math.min(offset, size);
            channel.position(start);
            return Optional.of(new RangeInputStream(Channels.newInputStream(channel), Math.min(length, size - start)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            closeQuietly(channel);
            throw unavailable("cannot read " + uri, e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobUri uri) {
        try (FileChannel channel = FileChannel.open(resolve(uri.key()), StandardOpenOption.READ)) {
            long size = contentSize(channel);
            ByteBuffer sha256 = ByteBuffer.allocate(TRAILER);
            while (sha256.hasRemaining() && channel.read(sha256, size + sha256.position()) >= 0) {
                // positional reads until the trailer is complete
            }
            return Optional.of(new BlobInfo(uri, size, HexFormat.of().formatHex(sha256.array())));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw unavailable("cannot stat " + uri, e);
        }
    }

    @Override
    public boolean exists(BlobUri uri) {
        return Files.isRegularFile(resolve(uri.key()));
    }

    @Override
    public BlobPage list(BlobPrefix prefix, String after, int pageSize) {
        BlobStore.checkPageSize(pageSize);
        List<BlobEntry> entries = new ArrayList<>();
        try {
            walk(root, "", prefix, after, false, (file, uri) -> {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                entries.add(new BlobEntry(uri, attributes.size() - TRAILER, attributes.lastModifiedTime().toInstant()));
                return entries.size() <= pageSize;
            });
        } catch (IOException e) {
            throw unavailable("cannot list " + prefix, e);
        }
        return BlobPage.of(entries, pageSize);
    }

    @Override
    public boolean delete(BlobUri uri) {
        Path file = resolve(uri.key());
        try {
            boolean deleted = Files.deleteIfExists(file);
            for (Path dir = file.getParent(); deleted && !dir.equals(root) && deleteIfEmpty(dir); dir = dir.getParent()) {
                // prune the folders this delete emptied, so removed executions leave no trees behind
            }
            return deleted;
        } catch (IOException e) {
            throw unavailable("cannot delete " + uri, e);
        }
    }

    @Override
    public long deleteByPrefix(BlobPrefix prefix) {
        long[] deleted = {0};
        try {
            walk(root, "", prefix, null, true, (file, uri) -> {
                if (Files.deleteIfExists(file)) {
                    deleted[0]++;
                }
                return true;
            });
        } catch (IOException e) {
            throw unavailable("cannot delete under " + prefix, e);
        }
        return deleted[0];
    }

    /** The temporary files of puts under the prefix that were not renamed into place (the process died first). */
    @Override
    public long deleteUnfinished(BlobPrefix prefix, Instant startedBefore) {
        String value = prefix.value();
        // a prefix ends at a '/' or inside a name: walk the deepest folder it names whole
        Path folder = root.resolve(value.substring(0, value.lastIndexOf('/') + 1)).normalize();
        if (!folder.startsWith(root) || !Files.isDirectory(folder)) {
            return 0;
        }
        long deleted = 0;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (file.getFileName().toString().contains(TEMP_MARK) && relative.startsWith(value)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(startedBefore)
                        && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw unavailable("cannot delete unfinished puts under " + prefix, e);
        } catch (UncheckedIOException e) {
            throw unavailable("cannot delete unfinished puts under " + prefix, e.getCause());
        }
        return deleted;
    }

    @Override
    public void close() {
        // holds no open resources between calls
    }

    /**
     * The blob file of {@code key}, refusing anything that would leave the root. Keys reaching here were
     * already checked by {@link BlobUri}; this is the second wall, against a rule slipping there.
     */
    Path resolve(String key) {
        if (BlobUri.fromKey(key).isEmpty()) {
            throw new InvalidBlobKeyException("not a blob key: " + key);
        }
        Path file = root.resolve(key + BLOB_SUFFIX).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new InvalidBlobKeyException("key resolves outside the blob root: " + key);
        }
        return file;
    }

    private Path createTemp(Path target) {
        String name = target.getFileName().toString();
        Path temp = target.resolveSibling(name.substring(0, name.length() - BLOB_SUFFIX.length()) + TEMP_MARK + UUID.randomUUID());
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(target.getParent());
                return Files.createFile(temp);
            } catch (NoSuchFileException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw unavailable("cannot create " + temp, e);
                }
                // a concurrent delete pruned the folder between the two calls: create it again
            } catch (IOException e) {
                throw unavailable("cannot create " + temp, e);
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Makes the rename itself durable. */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms (Windows) cannot open a folder to flush it; the rename is atomic there anyway
        }
    }

    private static void deleteLeftover(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // harmless: no listing shows a temporary file, and the put's own outcome is what matters
        }
    }

    private static long contentSize(FileChannel channel) throws IOException {
        long size = channel.size() - TRAILER;
        if (size < 0) {
            throw new IOException("blob file is shorter than its checksum trailer");
        }
        return size;
    }

    private static boolean deleteIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        }
    }

    private interface Visitor {
        /** Returns false to stop the walk. */
        boolean visit(Path file, BlobUri uri) throws IOException;
    }

    /**
     * Visits the blobs under {@code prefix} with keys after {@code after}, in key order, entering only the
     * folders that can hold such keys. Children sort by their key, a folder's key ending in '/', which
     * is exactly the order of the full keys beneath them. Files that are not blobs (temporary files,
     * strangers) are passed over.
     */
    private boolean walk(Path dir, String dirKey, BlobPrefix prefix, String after, boolean prune, Visitor visitor)
            throws IOException {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    String key = dirKey + name + "/";
                    boolean inPrefix = prefix.contains(key) || prefix.value().startsWith(key);
                    boolean allBeforeAfter = after != null && after.compareTo(key) >= 0 && !after.startsWith(key);
                    if (inPrefix && !allBeforeAfter) {
                        children.add(new Child(path, key, true));
                    }
                } else if (name.endsWith(BLOB_SUFFIX) && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    String key = dirKey + name.substring(0, name.length() - BLOB_SUFFIX.length());
                    if (prefix.contains(key) && (after == null || key.compareTo(after) > 0)) {
                        children.add(new Child(path, key, false));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return true; // removed while we walked: nothing in it any more
        }
        children.sort(Comparator.comparing(Child::key));
        for (Child child : children) {
            if (child.folder()) {
                if (!walk(child.path(), child.key(), prefix, after, prune, visitor)) {
                    return false;
                }
                if (prune) {
                    deleteIfEmpty(child.path());
                }
            } else {
                Optional<BlobUri> uri = BlobUri.fromKey(child.key());
                try {
                    if (uri.isPresent() && !visitor.visit(child.path(), uri.get())) {
                        return false;
                    }
                } catch (NoSuchFileException e) {
                    // deleted between listing its folder and visiting it
                }
            }
        }
        return true;
    }

    private record Child(Path path, String key, boolean folder) {
    }

    private static BlobStoreUnavailableException unavailable(String message, IOException cause) {
        return new BlobStoreUnavailableException(message + ": " + cause, cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // already failing with the error that matters
            }
        }
    }
}
