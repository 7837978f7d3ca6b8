package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Nftables {
    private final Netlink nl;

    Nftables(Netlink nl) {
        this.nl = nl;
    }
}
