package dev.overlaynet.monitor;

import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads a subscription in the test thread: waits for the event a test expects, keeping what came before. */
final class Events {
    private final Subscription sub;
    final List<MonitorEvent> seen = new ArrayList<>();

    Events(Subscription sub) {
        this.sub = sub;
    }

    /** The first event (from now) that matches; fails after 30 s (a safety net, not a timing claim). */
    MonitorEvent await(String what, Predicate<MonitorEvent> p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            MonitorEvent e = sub.poll(200, TimeUnit.MILLISECONDS);
            if (e == null) {
                if (sub.isClosed()) {
                    break;
                }
                continue;
            }
            seen.add(e);
            if (p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no event " + what + "; saw " + seen);
    }

    /** Waits for the first SYNCED (end of the snapshot). */
    void awaitSynced() throws InterruptedException {
        await("SYNCED", e -> e.type() == MonitorEvent.Type.SYNCED);
    }
}
