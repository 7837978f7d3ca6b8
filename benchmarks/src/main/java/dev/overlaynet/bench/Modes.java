package dev.overlaynet.bench;

import dev.overlaynet.netlink.AckMode;

/** The three ways a workload talks to the kernel. */
final class Modes {
    private Modes() {}

    static final String PER_REQUEST = "PER_REQUEST";
    static final String BATCH_EACH = "BATCH_EACH";
    static final String BATCH_LAST = "BATCH_LAST";

    static AckMode ack(String mode) {
        return mode.equals(BATCH_LAST) ? AckMode.LAST : AckMode.EACH;
    }
}
