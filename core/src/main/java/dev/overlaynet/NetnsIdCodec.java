package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.NetNsa;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;

/**
 * RTM_NEWNSID / RTM_GETNSID as {@code ip netns set|list-id} write them: a
 * struct rtgenmsg (AF_UNSPEC, padded to 4 bytes), then NETNSA_FD and
 * NETNSA_NSID.
 */
final class NetnsIdCodec {
    static final int RTGENMSG_LEN = 4;

    private NetnsIdCodec() {}

    /** {@code ip netns set NAME ID}: the peer by fd, then the id (-1 lets the kernel pick). */
    static void encodeSet(MessageWriter w, int fd, int nsid) {
        int m = w.begin(RtNetlink.RTM_NEWNSID, 0);
        w.raw(new byte[RTGENMSG_LEN]);
        w.u32(NetNsa.NETNSA_FD, fd);
        w.u32(NetNsa.NETNSA_NSID, nsid);
        w.end(m);
    }

    /** The id this namespace gave the peer open as {@code fd}. */
    static void encodeGet(MessageWriter w, int fd) {
        int m = w.begin(RtNetlink.RTM_GETNSID, 0);
        w.raw(new byte[RTGENMSG_LEN]);
        w.u32(NetNsa.NETNSA_FD, fd);
        w.end(m);
    }

    /** {@code ip netns list-id}. */
    static void encodeDump(MessageWriter w) {
        int m = w.begin(RtNetlink.RTM_GETNSID, Nlmsg.NLM_F_DUMP);
        w.raw(new byte[RTGENMSG_LEN]);
        w.end(m);
    }

    /** NETNSA_NSID of an RTM_NEWNSID; null when absent, -1 when not assigned. */
    static Integer decodeNsid(MessageReader m, AttrReader a) {
        if (m.type() != RtNetlink.RTM_NEWNSID) {
            return null;
        }
        try {
            m.requireHeader(RTGENMSG_LEN);
            m.attrs(RTGENMSG_LEN, a);
            while (a.next()) {
                if (a.type() == NetNsa.NETNSA_NSID) {
                    return a.u32();
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWNSID", e);
        }
    }
}
