package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per-entry outcomes of a bulk operation such as
 * {@link Neighbours#addAll(List, dev.overlaynet.netlink.AckMode)}: entry
 * {@code i} of the input list succeeded, or failed with the kernel's error
 * (or with ENODEV when its device does not exist, found before sending).
 *
 * <pre>{@code
 * BulkResult<Neighbour> r = nl.neighbours().addAll(entries, AckMode.LAST);
 * for (BulkResult.Failure<Neighbour> f : r.failures()) {
 *     log.warn("{} failed: {}", f.entry(), f.error().getMessage()); // ... EEXIST (File exists)
 * }
 * }</pre>
 *
 * @param <T> the entry type
 */
public final class BulkResult<T> {
    private final List<T> entries;
    private final NetlinkException[] errors;
    private final int failed;

    BulkResult(List<T> entries, NetlinkException[] errors) {
        this.entries = entries;
        this.errors = errors;
        int f = 0;
        for (NetlinkException e : errors) {
            if (e != null) {
                f++;
            }
        }
        this.failed = f;
    }

    /**
     * One failed entry.
     *
     * <pre>{@code
     * for (BulkResult.Failure<FdbEntry> f : r.failures()) retry.add(f.entry());
     * }</pre>
     *
     * @param index position in the input list
     * @param entry the entry
     * @param error why the kernel refused it
     */
    public record Failure<T>(int index, T entry, NetlinkException error) {}

    /** {@return number of entries} */
    public int size() {
        return entries.size();
    }

    /**
     * {@return the entry at {@code i} of the input list}
     *
     * @param i the index in the input list
     */
    public T entry(int i) {
        return entries.get(i);
    }

    /**
     * {@return true when entry {@code i} was applied}
     *
     * @param i the index in the input list
     */
    public boolean succeeded(int i) {
        return error(i) == null;
    }

    /**
     * Why entry {@code i} failed, or null when it succeeded.
     *
     * @param i the index in the input list
     * @return the kernel's refusal, or null
     */
    public NetlinkException error(int i) {
        if (i < 0 || i >= errors.length) {
            throw new IndexOutOfBoundsException("entry " + i + " of " + errors.length);
        }
        return errors[i];
    }

    /** {@return how many requests failed} */
    public int failedCount() {
        return failed;
    }

    /** {@return how many requests succeeded} */
    public int succeededCount() {
        return errors.length - failed;
    }

    /** {@return true when no request failed} */
    public boolean allSucceeded() {
        return failed == 0;
    }

    /** {@return the failed entries, in input order} */
    public List<Failure<T>> failures() {
        if (failed == 0) {
            return Collections.emptyList();
        }
        List<Failure<T>> out = new ArrayList<>(failed);
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                out.add(new Failure<>(i, entries.get(i), errors[i]));
            }
        }
        return out;
    }

    /**
     * Throws the first failure with up to 15 more attached as suppressed.
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void throwIfFailed() throws NetlinkException {
        if (failed == 0) {
            return;
        }
        NetlinkException first = null;
        int attached = 0;
        for (NetlinkException e : errors) {
            if (e == null) {
                continue;
            }
            if (first == null) {
                first = e;
            } else if (attached++ < 15) {
                first.addSuppressed(e);
            }
        }
        throw first;
    }

    @Override
    public String toString() {
        return "BulkResult[" + size() + " entries, " + failed + " failed]";
    }
}
