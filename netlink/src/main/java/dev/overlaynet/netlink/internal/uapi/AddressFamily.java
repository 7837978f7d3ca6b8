package dev.overlaynet.netlink.internal.uapi;

/**
 * The address families rtnetlink uses, under their {@code <sys/socket.h>} names.
 *
 * <pre>{@code
 * w.ndmsg(AddressFamily.AF_BRIDGE, ifindex, NUD_PERMANENT, NTF_SELF, 0);
 * }</pre>
 */
public final class AddressFamily {
    private AddressFamily() {}

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_BRIDGE = 7;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
}
