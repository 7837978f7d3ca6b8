package dev.overlaynet;

import static dev.overlaynet.netlink.internal.uapi.IfLink.VXLAN_VNIFILTER_ENTRY;
import static dev.overlaynet.netlink.internal.uapi.IfLink.VXLAN_VNIFILTER_ENTRY_END;
import static dev.overlaynet.netlink.internal.uapi.IfLink.VXLAN_VNIFILTER_ENTRY_GROUP;
import static dev.overlaynet.netlink.internal.uapi.IfLink.VXLAN_VNIFILTER_ENTRY_GROUP6;
import static dev.overlaynet.netlink.internal.uapi.IfLink.VXLAN_VNIFILTER_ENTRY_START;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * RTM_NEWTUNNEL / RTM_DELTUNNEL / RTM_GETTUNNEL of the VXLAN VNI filter:
 * struct tunnel_msg (family AF_BRIDGE, flags, ifindex) and one nested
 * VXLAN_VNIFILTER_ENTRY per entry, as {@code bridge vni} writes them.
 */
final class VniFilterCodec {
    /** struct tunnel_msg: u8 family, u8 flags, u16 reserved, u32 ifindex. */
    static final int TUNNEL_MSG_LEN = 8;

    private VniFilterCodec() {}

    private static void tunnelMsg(MessageWriter w, int flags, int ifindex) {
        w.raw(new byte[] {(byte) AddressFamily.AF_BRIDGE, (byte) flags, 0, 0,
            (byte) ifindex, (byte) (ifindex >>> 8), (byte) (ifindex >>> 16), (byte) (ifindex >>> 24)});
    }

    /** One message for {@code entries}, all of device {@code ifindex}. */
    static void encode(MessageWriter w, int type, int ifindex, List<VniEntry> entries) {
        int m = w.begin(type, 0);
        tunnelMsg(w, 0, ifindex);
        for (VniEntry e : entries) {
            int n = w.nestStart(VXLAN_VNIFILTER_ENTRY | Nlmsg.NLA_F_NESTED);
            w.u32(VXLAN_VNIFILTER_ENTRY_START, e.vni());
            if (e.isRange()) {
                w.u32(VXLAN_VNIFILTER_ENTRY_END, e.end());
            }
            InetAddress g = e.group();
            if (g != null) {
                w.bytes(g instanceof Inet4Address ? VXLAN_VNIFILTER_ENTRY_GROUP : VXLAN_VNIFILTER_ENTRY_GROUP6,
                        g.getAddress());
            }
            w.nestEnd(n);
        }
        w.end(m);
    }

    /** The dump request of {@code bridge vni show [dev DEV]}; 0 = every device. */
    static void encodeDump(MessageWriter w, int ifindex) {
        int m = w.begin(RtNetlink.RTM_GETTUNNEL, Nlmsg.NLM_F_DUMP);
        tunnelMsg(w, 0, ifindex);
        w.end(m);
    }

    /** Decodes the entries of one RTM_NEWTUNNEL; nothing for other families. */
    static void decode(MessageReader m, IntFunction<String> names, AttrReader a, Consumer<VniEntry> out) {
        if (m.type() != RtNetlink.RTM_NEWTUNNEL) {
            return;
        }
        try {
            m.requireHeader(TUNNEL_MSG_LEN);
            if (m.u8(0) != AddressFamily.AF_BRIDGE) {
                return;
            }
            int index = m.i32(4);
            String dev = names.apply(index);
            m.attrs(TUNNEL_MSG_LEN, a);
            while (a.next()) {
                if (a.type() != VXLAN_VNIFILTER_ENTRY) {
                    continue;
                }
                AttrReader e = a.nested();
                Integer start = null;
                Integer end = null;
                InetAddress group = null;
                while (e.next()) {
                    switch (e.type()) {
                        case VXLAN_VNIFILTER_ENTRY_START -> start = e.u32();
                        case VXLAN_VNIFILTER_ENTRY_END -> end = e.u32();
                        case VXLAN_VNIFILTER_ENTRY_GROUP, VXLAN_VNIFILTER_ENTRY_GROUP6 -> group = e.inetAddress();
                        default -> { } // STATS: not modelled
                    }
                }
                if (start == null) {
                    continue;
                }
                out.accept(VniEntry.builder().dev(dev).index(index).vni(start).end(end).group(group).buildDecoded());
            }
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWTUNNEL", e);
        }
    }
}
