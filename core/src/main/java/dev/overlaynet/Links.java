package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Links {
    private final Netlink nl;

    Links(Netlink nl) {
        this.nl = nl;
    }
}
