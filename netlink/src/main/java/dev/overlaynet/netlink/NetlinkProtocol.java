package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.NetlinkSocket;

/**
 * The netlink families overlaynet speaks ({@code NETLINK_*} in
 * {@code <linux/netlink.h>}).
 *
 * <pre>{@code
 * try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE)) { ... }
 * }</pre>
 */
public enum NetlinkProtocol {
    /** Links, addresses, routes, neighbours ({@code rtnetlink}). */
    NETLINK_ROUTE(0),
    /** nf_tables and the rest of netfilter ({@code nfnetlink}). */
    NETLINK_NETFILTER(12);

    private final int value;

    NetlinkProtocol(int value) {
        this.value = value;
    }

    /** {@return the protocol number passed to socket(2)} */
    public int value() {
        return value;
    }
}
