package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class FdbEntries {
    private final Netlink nl;

    FdbEntries(Netlink nl) {
        this.nl = nl;
    }
}
