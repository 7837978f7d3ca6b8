package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;

/**
 * Turns link names into interface indexes when encoding and back when
 * decoding, so value objects speak names while the kernel speaks ifindex.
 */
interface NameResolver {
    /** The ifindex of {@code name}; NetlinkException (ENODEV) when absent. */
    int ifindex(String name) throws NetlinkException;

    /** The name of {@code index}, or null when it is not in this namespace. */
    String name(int index);

    /** Encodes without a kernel: names cannot be resolved (for unit tests and describing). */
    NameResolver NONE = new NameResolver() {
        @Override
        public int ifindex(String name) {
            throw new IllegalStateException("cannot resolve link name \"" + name + "\" without a netlink handle");
        }

        @Override
        public String name(int index) {
            return null;
        }
    };
}
