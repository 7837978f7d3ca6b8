package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-request outcomes of a batch: request {@code i} succeeded when
 * {@link #errno(int)} is 0; otherwise {@link #failure(int)} says why, with
 * the kernel's text.
 *
 * <pre>{@code
 * BatchResult r = socket.batch(w, AckMode.EACH);
 * for (int i = 0; i < r.size(); i++) {
 *     if (!r.succeeded(i)) log.warn("entry {}: {}", i, r.failure(i).getMessage());
 * }
 * r.throwIfFailed();
 * }</pre>
 */
public final class BatchResult {
    private final int size;
    private final int[] errnos;
    private final NetlinkException[] failures;
    private final int failed;

    /** One request, acknowledged: shared, since a result is immutable and one request is the common case. */
    static final BatchResult ONE_OK = new BatchResult(1, new int[1], new NetlinkException[1]);

    BatchResult(int size, int[] errnos, NetlinkException[] failures) {
        this.size = size;
        this.errnos = errnos;
        this.failures = failures;
        int f = 0;
        for (int i = 0; i < size; i++) {
            if (errnos[i] != 0) {
                f++;
            }
        }
        this.failed = f;
    }

    /** Number of requests in the batch. */
    public int size() {
        return size;
    }

    /** Requests that failed. */
    public int failedCount() {
        return failed;
    }

    public boolean allSucceeded() {
        return failed == 0;
    }

    public boolean succeeded(int i) {
        return errno(i) == 0;
    }

    /** Positive errno of request {@code i}, 0 on success. */
    public int errno(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("request " + i + " of " + size);
        }
        return errnos[i];
    }

    /** Why request {@code i} failed, or null when it succeeded. */
    public NetlinkException failure(int i) {
        return succeeded(i) ? null : failures[i];
    }

    /** All failures, in request order. */
    public List<NetlinkException> failures() {
        if (failed == 0) {
            return Collections.emptyList();
        }
        List<NetlinkException> out = new ArrayList<>(failed);
        for (int i = 0; i < size; i++) {
            if (errnos[i] != 0) {
                out.add(failures[i]);
            }
        }
        return out;
    }

    /** Throws the first failure, with the others attached as suppressed. */
    public void throwIfFailed() throws NetlinkException {
        if (failed == 0) {
            return;
        }
        List<NetlinkException> all = failures();
        NetlinkException first = all.get(0);
        for (int i = 1; i < all.size() && i < 16; i++) {
            // A batch refused as a whole carries one exception in every slot.
            if (all.get(i) != first) {
                first.addSuppressed(all.get(i));
            }
        }
        throw first;
    }
}
