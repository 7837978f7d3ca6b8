package dev.overlaynet;

import java.time.Duration;
import java.time.Instant;

/**
 * One (re)synchronisation of a {@link Subscription} with the kernel: the
 * initial list, or the re-dump after events were lost. Its events (the
 * snapshot, or the difference between what the consumer was given and what
 * the kernel now holds) precede the {@link MonitorEvent.Type#SYNCED} event
 * that carries this report.
 *
 * <pre>{@code
 * nl.monitor().neighbours().onResync(r -> log.warn("resynced after {}: {}", r.reason(), r)).subscribe();
 * }</pre>
 *
 * @param reason    why it ran
 * @param startedAt when the loss was noticed (or the subscription started)
 * @param duration  from then until the consumer's view was exact again (events queued)
 * @param entries   objects in the view afterwards
 * @param added     synthetic ADDED events it produced
 * @param changed   synthetic CHANGED events it produced
 * @param removed   synthetic REMOVED events it produced
 * @param attempts  dumps it took (a new loss during a re-dump starts it over)
 */
public record Resync(Reason reason, Instant startedAt, Duration duration, int entries, int added, int changed,
                     int removed, int attempts) {

    /** Why a resync ran. */
    public enum Reason {
        /** The subscription's first list. */
        INITIAL,
        /** The kernel dropped notifications: the socket's receive queue overflowed (ENOBUFS). */
        KERNEL_OVERRUN,
        /** The subscription's own buffer between its reader and its consumer was full. */
        BUFFER_FULL,
        /** {@link Subscription#resync()} asked for it. */
        REQUESTED
    }

    @Override
    public String toString() {
        return reason + " at " + startedAt + " took " + duration.toMillis() + " ms: " + entries + " entries, +"
                + added + " ~" + changed + " -" + removed + (attempts > 1 ? " (" + attempts + " dumps)" : "");
    }
}
