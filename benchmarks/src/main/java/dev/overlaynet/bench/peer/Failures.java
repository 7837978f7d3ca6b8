package dev.overlaynet.bench.peer;

import dev.overlaynet.BulkResult;
import dev.overlaynet.netlink.NetlinkException;

/** Prints the first few failed requests to stderr, as the C peer does; the count goes to the JSON line. */
final class Failures {
    private static final int SHOWN = 5;

    private Failures() {}

    static void report(long errorsSoFar, NetlinkException e) {
        if (errorsSoFar <= SHOWN) {
            System.err.println("request failed: " + e.getMessage());
        }
    }

    static void report(BulkResult<?> r) {
        int shown = 0;
        for (BulkResult.Failure<?> f : r.failures()) {
            if (++shown > SHOWN) {
                return;
            }
            System.err.println("request " + f.index() + " failed: " + f.error().getMessage());
        }
    }
}
