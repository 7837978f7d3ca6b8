package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Routes {
    private final Netlink nl;

    Routes(Netlink nl) {
        this.nl = nl;
    }
}
