package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * RTM_NEWNEIGH / RTM_DELNEIGH encoding and decoding of {@link Neighbour} (IPv4
 * and IPv6 families). Encoding writes the cached address bytes straight into
 * the writer, so a bulk of entries allocates nothing per entry. Requests
 * match {@code ip neigh}: ndmsg, NDA_DST, NDA_LLADDR.
 */
final class NeighCodec {
    static final int NDMSG_LEN = 12;

    private NeighCodec() {}

    /** Appends one request for {@code n} on {@code ifindex}. */
    static void encode(MessageWriter w, int type, int nlFlags, Neighbour n, int ifindex) {
        int m = w.begin(type, nlFlags);
        w.ndmsg(n.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6, ifindex, n.stateBits, n.flagBits, 0);
        w.bytes(Nda.NDA_DST, n.ipBytes);
        if (type != RtNetlink.RTM_DELNEIGH && n.lladdr() != null) {
            w.bytes(Nda.NDA_LLADDR, n.lladdr().bytesUnsafe());
        }
        w.end(m);
    }

    /** Appends an RTM_GETNEIGH for one entry (what {@code ip neigh get} sends). */
    static void encodeGet(MessageWriter w, InetAddress ip, int ifindex, boolean proxy) {
        int m = w.begin(RtNetlink.RTM_GETNEIGH, 0);
        w.ndmsg(Ip.isV4(ip) ? AddressFamily.AF_INET : AddressFamily.AF_INET6, ifindex, 0,
                proxy ? Nda.NTF_PROXY : 0, 0);
        w.bytes(Nda.NDA_DST, ip.getAddress());
        w.end(m);
    }

    /** Appends the RTM_GETNEIGH dump request for IPv4+IPv6; {@code ifindex} 0 for every device. */
    static void encodeDump(MessageWriter w, int ifindex, boolean proxy) {
        int m = w.begin(RtNetlink.RTM_GETNEIGH, dev.overlaynet.netlink.internal.codec.Nlmsg.NLM_F_DUMP);
        // Strict dump requests keep the header clean and filter with NDA_IFINDEX, as `ip neigh show dev X` does.
        w.ndmsg(AddressFamily.AF_UNSPEC, 0, 0, proxy ? Nda.NTF_PROXY : 0, 0);
        if (ifindex != 0) {
            w.u32(Nda.NDA_IFINDEX, ifindex);
        }
        w.end(m);
    }

    /** Decodes an RTM_NEWNEIGH of family IPv4/IPv6; null for other families (e.g. AF_BRIDGE). */
    static Neighbour decode(MessageReader m, IntFunction<String> names, AttrReader a) {
        try {
            return decodeFields(m, names, a);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWNEIGH", e);
        }
    }

    private static Neighbour decodeFields(MessageReader m, IntFunction<String> names, AttrReader a) {
        m.requireHeader(NDMSG_LEN);
        int family = m.u8(0);
        if (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6) {
            return null;
        }
        int index = m.i32(4);
        int state = m.u16(8);
        int flags = m.u8(10);
        byte[] ip = null;
        MacAddress mac = null;
        Map<Integer, byte[]> unknown = null;
        m.attrs(NDMSG_LEN, a);
        int end = m.offset() + m.length();
        while (a.next()) {
            switch (a.type()) {
                case Nda.NDA_DST -> ip = a.addressBytes();
                case Nda.NDA_LLADDR -> {
                    if (a.payloadLength() == 6) {
                        mac = MacAddress.wrap(a.bytes());
                    } else {
                        unknown = Attrs.keep(unknown, a, end - a.offset());
                    }
                }
                // The kernel puts the unmodelled attributes (CACHEINFO, PROBES, ...) after DST and
                // LLADDR: the rest of the message is what the accumulator needs, so it never grows.
                default -> unknown = Attrs.keep(unknown, a, end - a.offset());
            }
        }
        if (ip == null) {
            return null;
        }
        // The kernel's ndm_state is a u16 of which only the low 8 bits name NUD states.
        return new Neighbour(names.apply(index), index, ip, mac, state, flags, unknown);
    }
}
