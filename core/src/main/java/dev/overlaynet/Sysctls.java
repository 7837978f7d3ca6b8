package dev.overlaynet;

/**
 * (Work in progress.)
 */
public final class Sysctls {
    private final Netlink nl;

    Sysctls(Netlink nl) {
        this.nl = nl;
    }
}
