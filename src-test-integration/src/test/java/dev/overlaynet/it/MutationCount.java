package dev.overlaynet.it;

import dev.overlaynet.Netlink;

/**
 * The mutating messages (RTM_NEW*, RTM_DEL*) a handle has sent, over every
 * service: the one place that reads the per-service counters, so switching
 * to a listener on the handle changes only this class.
 */
final class MutationCount {
    private MutationCount() {}

    static long of(Netlink nl) {
        return nl.links().mutatingMessagesSent() + nl.addresses().mutatingMessagesSent()
                + nl.routes().mutatingMessagesSent() + nl.neighbours().mutatingMessagesSent()
                + nl.fdb().mutatingMessagesSent();
    }
}
