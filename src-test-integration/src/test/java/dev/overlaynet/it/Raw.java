package dev.overlaynet.it;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifa;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;

/** Hand-written rtnetlink requests for tests of the raw socket layer (the typed API is tested elsewhere). */
final class Raw {
    static final int NEW = Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL;

    private Raw() {}

    static MessageWriter bridge(MessageWriter w, String name) {
        int m = w.begin(RtNetlink.RTM_NEWLINK, NEW);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "bridge");
        w.nestEnd(li).end(m);
        return w;
    }

    static MessageWriter vxlan(MessageWriter w, String name, int vni, int port) {
        int m = w.begin(RtNetlink.RTM_NEWLINK, NEW);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "vxlan");
        int data = w.nestStart(Ifla.IFLA_INFO_DATA);
        w.u32(Ifla.IFLA_VXLAN_ID, vni).be16(Ifla.IFLA_VXLAN_PORT, port);
        w.nestEnd(data).nestEnd(li).end(m);
        return w;
    }

    static byte[] ipv4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    static MessageWriter neighbour(MessageWriter w, int ifindex, byte[] ip, int macTail) {
        int m = w.begin(RtNetlink.RTM_NEWNEIGH, NEW);
        w.ndmsg(AddressFamily.AF_INET, ifindex, Nda.NUD_PERMANENT, 0, 0)
                .bytes(Nda.NDA_DST, ip)
                .bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, (byte) (macTail >> 8), (byte) macTail})
                .end(m);
        return w;
    }

    static MessageWriter address(MessageWriter w, int type, int ifindex, byte[] ip, int prefix) {
        int m = w.begin(type, type == RtNetlink.RTM_NEWADDR ? NEW : Nlmsg.NLM_F_REQUEST);
        w.ifaddrmsg(AddressFamily.AF_INET, prefix, 0, 0, ifindex).bytes(Ifa.IFA_LOCAL, ip).bytes(Ifa.IFA_ADDRESS, ip).end(m);
        return w;
    }

    static MessageWriter linkDump(MessageWriter w, int ifindexFilter) {
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, ifindexFilter, 0, 0).end(m);
        return w;
    }

    static MessageWriter addrDump(MessageWriter w) {
        int m = w.begin(RtNetlink.RTM_GETADDR, Nlmsg.NLM_F_DUMP);
        w.ifaddrmsg(AddressFamily.AF_INET, 0, 0, 0, 0).end(m);
        return w;
    }

    /** Counts entries of an {@code ip -j ...} array. */
    static int count(Object json) {
        return json instanceof java.util.List<?> l ? l.size() : -1;
    }
}
