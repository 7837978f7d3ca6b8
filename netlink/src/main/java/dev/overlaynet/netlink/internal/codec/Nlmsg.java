package dev.overlaynet.netlink.internal.codec;

/**
 * Constants of {@code <linux/netlink.h>}, under their uapi names so that a
 * reader can grep the header for them.
 *
 * <pre>{@code
 * int start = w.begin(RTM_NEWLINK, Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
 * }</pre>
 */
public final class Nlmsg {
    private Nlmsg() {}

    /** sizeof(struct nlmsghdr). */
    public static final int NLMSG_HDRLEN = 16;
    /** sizeof(struct nlattr). */
    public static final int NLA_HDRLEN = 4;

    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;
    public static final int NLMSG_OVERRUN = 0x4;
    /** Types below this are control messages. */
    public static final int NLMSG_MIN_TYPE = 0x10;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP_FILTERED = 0x20;

    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_ATOMIC = 0x400;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;

    public static final int NLM_F_NONREC = 0x100;
    public static final int NLM_F_BULK = 0x200;

    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;
    public static final int NLMSGERR_ATTR_COOKIE = 3;
    public static final int NLMSGERR_ATTR_POLICY = 4;
    public static final int NLMSGERR_ATTR_MISS_TYPE = 5;
    public static final int NLMSGERR_ATTR_MISS_NEST = 6;

    /** Rounds up to the 4-byte netlink alignment (NLMSG_ALIGN / NLA_ALIGN). */
    public static int align(int len) {
        return (len + 3) & ~3;
    }
}
