package io.osprey.blob.s3;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few reusable byte arrays for small puts. A buffer of a few MiB is a humongous object for G1 (any array of half
 * a region or more, and regions are 1 MiB below a 2 GB heap); allocating one per upload, as minio-java's growing
 * part buffer does, made GC the command side's largest cost during small uploads. Buffers are created on demand,
 * never more than {@code capacity}, and kept for the next upload. When all are in use, {@link #take()} answers
 * null and the caller streams instead, so memory stays bounded however many uploads run at once.
 */
final class UploadBuffers {

    private final int bufferSize;
    private final int capacity;
    private final ConcurrentLinkedQueue<byte[]> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger created = new AtomicInteger();

    UploadBuffers(int bufferSize, int capacity) {
        if (bufferSize <= 0 || capacity < 0) {
            throw new IllegalArgumentException("buffer size must be positive and capacity not negative, got "
                    + bufferSize + " and " + capacity);
        }
        this.bufferSize = bufferSize;
        this.capacity = capacity;
    }

    /** An idle buffer, a new one while fewer than {@code capacity} exist, or null. Give it back with {@link #release}. */
    byte[] take() {
        byte[] buffer = idle.poll();
        if (buffer != null) {
            return buffer;
        }
        int count;
        do {
            count = created.get();
            if (count >= capacity) {
                return null;
            }
        } while (!created.compareAndSet(count, count + 1));
        return new byte[bufferSize];
    }

    void release(byte[] buffer) {
        if (buffer != null) {
            idle.add(buffer);
        }
    }

    /** How many buffers exist, in use or idle. */
    int created() {
        return created.get();
    }
}
