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
    NETLINK_ROUTE(0),
    NETLINK_NETFILTER(12);

    private final int value;

    NetlinkProtocol(int value) {
        this.value = value;
    }

    /** The protocol number passed to socket(2). */
    public int value() {
        return value;
    }
}
