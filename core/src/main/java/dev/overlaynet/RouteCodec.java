package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * RTM_NEWROUTE / RTM_DELROUTE encoding and decoding of {@link Route}, with
 * iproute2's header defaults and attribute order (DST, GATEWAY, PREFSRC,
 * PRIORITY, TABLE, OIF) so requests match {@code ip route} byte for byte.
 */
final class RouteCodec {
    static final int RTMSG_LEN = 12;

    private RouteCodec() {}

    /** Appends one RTM_NEWROUTE or RTM_DELROUTE; {@code oif} 0 means no output device. */
    static void encode(MessageWriter w, int type, int nlFlags, Route r, int oif) {
        boolean del = type == RtNetlink.RTM_DELROUTE;
        long table = r.table() == null ? RtNetlink.RT_TABLE_MAIN : r.table();
        boolean bigTable = table >= 256;
        RouteType rt = r.type() != null ? r.type() : del ? RouteType.UNSPEC : RouteType.UNICAST;
        int protocol = r.protocol() != null ? r.protocol().value() : del ? 0 : RtNetlink.RTPROT_BOOT;
        int scope = r.scope() != null ? r.scope().value() : defaultScope(rt, r.via() != null, del);
        int m = w.begin(type, nlFlags);
        w.rtmsg(r.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6, r.dst().length(), 0, 0,
                bigTable ? RtNetlink.RT_TABLE_UNSPEC : (int) table, protocol, scope, rt.value(),
                Boolean.TRUE.equals(r.onlink()) ? RtNetlink.RTNH_F_ONLINK : 0);
        if (r.dst().length() > 0) {
            w.bytes(RtNetlink.RTA_DST, r.dstBytes);
        }
        if (r.viaBytes != null) {
            w.bytes(RtNetlink.RTA_GATEWAY, r.viaBytes);
        }
        if (r.srcBytes != null) {
            w.bytes(RtNetlink.RTA_PREFSRC, r.srcBytes);
        }
        if (r.metric() != null) {
            w.u32(RtNetlink.RTA_PRIORITY, (int) (long) r.metric());
        }
        if (bigTable) {
            w.u32(RtNetlink.RTA_TABLE, (int) table);
        }
        if (oif != 0) {
            w.u32(RtNetlink.RTA_OIF, oif);
        }
        w.end(m);
    }

    /**
     * Appends an RTM_GETROUTE lookup of one destination ({@code ip route get}):
     * a full-length RTA_DST and nothing else, as strict checking requires
     * (inet_rtm_valid_getroute_req).
     */
    static void encodeLookup(MessageWriter w, InetAddress dst) {
        int m = w.begin(RtNetlink.RTM_GETROUTE, 0);
        boolean v4 = Ip.isV4(dst);
        w.rtmsg(v4 ? AddressFamily.AF_INET : AddressFamily.AF_INET6, v4 ? 32 : 128, 0, 0, 0, 0, 0, 0, 0);
        w.bytes(RtNetlink.RTA_DST, dst.getAddress());
        w.end(m);
    }

    /** Appends the RTM_GETROUTE dump request; table 0 and oif 0 mean no filter. */
    static void encodeDump(MessageWriter w, int family, int table, int oif) {
        int m = w.begin(RtNetlink.RTM_GETROUTE, dev.overlaynet.netlink.internal.codec.Nlmsg.NLM_F_DUMP);
        w.rtmsg(family, 0, 0, 0, 0, 0, 0, 0, 0);
        // With strict checking the kernel filters by RTA_TABLE and RTA_OIF itself (ip_valid_fib_dump_req).
        if (table != 0) {
            w.u32(RtNetlink.RTA_TABLE, table);
        }
        if (oif != 0) {
            w.u32(RtNetlink.RTA_OIF, oif);
        }
        w.end(m);
    }

    /** iproute2's scope when none is given (ip/iproute.c iproute_modify). */
    static int defaultScope(RouteType t, boolean hasGateway, boolean del) {
        switch (t) {
            case LOCAL: case NAT:
                return RtNetlink.RT_SCOPE_HOST;
            case BROADCAST: case MULTICAST: case ANYCAST:
                return RtNetlink.RT_SCOPE_LINK;
            case UNICAST: case UNSPEC:
                if (del) {
                    return RtNetlink.RT_SCOPE_NOWHERE;
                }
                return hasGateway ? RtNetlink.RT_SCOPE_UNIVERSE : RtNetlink.RT_SCOPE_LINK;
            default:
                return RtNetlink.RT_SCOPE_UNIVERSE;
        }
    }

    /** Decodes an RTM_NEWROUTE; null for families other than IPv4/IPv6. */
    static Route decode(MessageReader m, IntFunction<String> names, AttrReader a) {
        try {
            return decodeFields(m, names, a);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWROUTE", e);
        }
    }

    private static Route decodeFields(MessageReader m, IntFunction<String> names, AttrReader a) {
        m.requireHeader(RTMSG_LEN);
        int family = m.u8(0);
        if (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6) {
            return null;
        }
        int dstLen = m.u8(1);
        long table = m.u8(4);
        int protocol = m.u8(5);
        int scope = m.u8(6);
        int type = m.u8(7);
        int flags = m.i32(8);
        InetAddress dst = null;
        InetAddress via = null;
        InetAddress src = null;
        Integer oif = null;
        Long metric = null;
        Map<Integer, byte[]> unknown = null;
        m.attrs(RTMSG_LEN, a);
        while (a.next()) {
            switch (a.type()) {
                case RtNetlink.RTA_DST -> dst = a.inetAddress();
                case RtNetlink.RTA_GATEWAY -> via = a.inetAddress();
                case RtNetlink.RTA_PREFSRC -> src = a.inetAddress();
                case RtNetlink.RTA_OIF -> oif = a.u32();
                case RtNetlink.RTA_PRIORITY -> metric = Integer.toUnsignedLong(a.u32());
                case RtNetlink.RTA_TABLE -> table = Integer.toUnsignedLong(a.u32());
                default -> unknown = Attrs.keep(unknown, a);
            }
        }
        if (dst == null) {
            dst = Ip.of(new byte[family == AddressFamily.AF_INET ? 4 : 16]);
        }
        return Route.builder()
                .dst(IpPrefix.of(dst, dstLen))
                .via(via)
                .src(src)
                .index(oif)
                .dev(oif == null ? null : names.apply(oif))
                .metric(metric)
                .table(table)
                .protocol(RouteProtocol.of(protocol))
                .scope(Scope.of(scope))
                .type(type <= RtNetlink.RTN_MAX ? RouteType.of(type) : null)
                .onlink((flags & RtNetlink.RTNH_F_ONLINK) != 0 ? Boolean.TRUE : null)
                .unknown(unknown)
                .buildDecoded();
    }
}
