package io.osprey.command.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the memory that request bodies read whole take together. A log batch or a JSON command is parsed into
 * objects before anything is written, a few times its size in heap; each is capped, but sixteen 16 MB log batches
 * at once ran a 256 MB node out of memory, and the embedded database closed for good. A body of
 * {@value #UNCOUNTED_BYTES} bytes or more therefore reserves its length (or, when the client does not say, the
 * largest body an endpoint takes) from {@code osprey.command.limits.in-flight-body-bytes} before it is read, and
 * gives it back when the request ends. A request that cannot reserve within {@code in-flight-wait} is a 503 with
 * nothing read and nothing written. Multipart uploads are not counted: they stream to the blob store.
 */
public final class BodyMemoryBudget implements HandlerInterceptor {

    /** Small bodies, the common command, neither wait nor contend. */
    static final long UNCOUNTED_BYTES = 64 * 1024;
    private static final String RESERVED_KIB = BodyMemoryBudget.class.getName() + ".reservedKib";

    private final Semaphore freeKib;
    private final int budgetKib;
    private final long unknownLengthBytes;
    private final Duration wait;

    /**
     * @param budgetBytes        what bodies in flight may take together
     * @param unknownLengthBytes what a body of unknown length counts as: the largest any endpoint accepts
     * @param wait               how long a request waits for room before it is refused
     */
    public BodyMemoryBudget(long budgetBytes, long unknownLengthBytes, Duration wait) {
        this.budgetKib = (int) Math.min(Integer.MAX_VALUE, kib(budgetBytes));
        this.freeKib = new Semaphore(budgetKib);
        this.unknownLengthBytes = unknownLengthBytes;
        this.wait = wait;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws InterruptedException {
        if (!readsABody(request)) {
            return true;
        }
        long length = request.getContentLengthLong();
        long bytes = length >= 0 ? length : unknownLengthBytes;
        if (bytes < UNCOUNTED_BYTES) {
            return true;
        }
        // a body larger than the whole budget waits until it has the node to itself
        int reserve = (int) Math.min(budgetKib, kib(bytes));
        if (!freeKib.tryAcquire(reserve, wait.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new ServiceBusyException("the node is reading other large request bodies (osprey.command.limits."
                    + "in-flight-body-bytes); nothing was read or written, retry later");
        }
        request.setAttribute(RESERVED_KIB, reserve);
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception failure) {
        if (request.getAttribute(RESERVED_KIB) instanceof Integer reserved) {
            request.removeAttribute(RESERVED_KIB);
            freeKib.release(reserved);
        }
    }

    /** What bodies in flight may still take now, in bytes. */
    long freeBytes() {
        return freeKib.availablePermits() * 1024L;
    }

    private static boolean readsABody(HttpServletRequest request) {
        String method = request.getMethod();
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return false;
        }
        String contentType = request.getContentType();
        return contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }
}
