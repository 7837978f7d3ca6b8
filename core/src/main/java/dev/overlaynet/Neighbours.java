package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Neighbours {
    private final Netlink nl;

    Neighbours(Netlink nl) {
        this.nl = nl;
    }
}
