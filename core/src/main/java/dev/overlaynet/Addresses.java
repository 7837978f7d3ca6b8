package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Addresses {
    private final Netlink nl;

    Addresses(Netlink nl) {
        this.nl = nl;
    }
}
