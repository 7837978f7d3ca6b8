package dev.overlaynet;

import static dev.overlaynet.netlink.internal.uapi.IfBridge.*;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Bridge VLAN messages as {@code bridge vlan} writes them: membership and
 * VLAN-to-tunnel maps in IFLA_AF_SPEC of an AF_BRIDGE RTM_SETLINK /
 * RTM_DELLINK; per-VLAN and global options in RTM_NEWVLAN (struct
 * br_vlan_msg + BRIDGE_VLANDB_ENTRY / BRIDGE_VLANDB_GLOBAL_OPTIONS); the two
 * dumps (AF_BRIDGE RTM_GETLINK with RTEXT_FILTER_BRVLAN, and RTM_GETVLAN).
 */
final class BridgeVlanCodec {
    static final int BR_VLAN_MSG_LEN = 8;

    private BridgeVlanCodec() {}

    private static void brVlanMsg(MessageWriter w, int ifindex) {
        w.raw(new byte[] {(byte) AddressFamily.AF_BRIDGE, 0, 0, 0,
            (byte) ifindex, (byte) (ifindex >>> 8), (byte) (ifindex >>> 16), (byte) (ifindex >>> 24)});
    }

    private static void vlanInfo(MessageWriter w, int type, int flags, int vid) {
        w.bytes(type, new byte[] {(byte) flags, (byte) (flags >>> 8), (byte) vid, (byte) (vid >>> 8)});
    }

    private static int bridgeFlags(boolean self, boolean master) {
        return (master ? BRIDGE_FLAGS_MASTER : 0) | (self ? BRIDGE_FLAGS_SELF : 0);
    }

    /** {@code bridge vlan add|del dev DEV vid VID[-END] [pvid] [untagged] [self] [master]}. */
    static void encodeMembership(MessageWriter w, int type, BridgeVlan v, int ifindex) {
        int m = w.begin(type, 0);
        w.ifinfomsg(AddressFamily.AF_BRIDGE, 0, ifindex, 0, 0);
        int spec = w.nestStart(Ifla.IFLA_AF_SPEC);
        int bf = bridgeFlags(v.self(), v.master());
        if (bf != 0) {
            w.u16(IFLA_BRIDGE_FLAGS, bf);
        }
        int flags = (v.pvid() ? BRIDGE_VLAN_INFO_PVID : 0) | (v.untagged() ? BRIDGE_VLAN_INFO_UNTAGGED : 0);
        if (v.end() == v.vid()) {
            vlanInfo(w, IFLA_BRIDGE_VLAN_INFO, flags, v.vid());
        } else {
            vlanInfo(w, IFLA_BRIDGE_VLAN_INFO, flags | BRIDGE_VLAN_INFO_RANGE_BEGIN, v.vid());
            vlanInfo(w, IFLA_BRIDGE_VLAN_INFO, flags | BRIDGE_VLAN_INFO_RANGE_END, v.end());
        }
        w.nestEnd(spec);
        w.end(m);
    }

    /** {@code bridge vlan add|del dev DEV vid VID[-END] tunnel_info id ID[-END] [master]}. */
    static void encodeTunnel(MessageWriter w, int type, VlanTunnel t, int ifindex) {
        int m = w.begin(type, 0);
        w.ifinfomsg(AddressFamily.AF_BRIDGE, 0, ifindex, 0, 0);
        int spec = w.nestStart(Ifla.IFLA_AF_SPEC);
        if (t.master()) {
            w.u16(IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_MASTER);
        }
        if (t.end() == t.vid()) {
            tunnelInfo(w, t.tunnelId(), t.vid(), 0);
        } else {
            tunnelInfo(w, t.tunnelId(), t.vid(), BRIDGE_VLAN_INFO_RANGE_BEGIN);
            tunnelInfo(w, t.tunnelEnd(), t.end(), BRIDGE_VLAN_INFO_RANGE_END);
        }
        w.nestEnd(spec);
        w.end(m);
    }

    private static void tunnelInfo(MessageWriter w, int id, int vid, int flags) {
        int n = w.nestStart(IFLA_BRIDGE_VLAN_TUNNEL_INFO);
        w.u32(IFLA_BRIDGE_VLAN_TUNNEL_ID, id);
        w.u16(IFLA_BRIDGE_VLAN_TUNNEL_VID, vid);
        w.u16(IFLA_BRIDGE_VLAN_TUNNEL_FLAGS, flags);
        w.nestEnd(n);
    }

    /**
     * A VLAN added or deleted through the VLAN database (RTM_NEWVLAN /
     * RTM_DELVLAN): BRIDGE_VLANDB_ENTRY with INFO (pvid/untagged flags, vid)
     * and RANGE for a range; self/master do not apply there.
     */
    static void encodeEntry(MessageWriter w, int type, BridgeVlan v, int ifindex) {
        int m = w.begin(type, 0);
        brVlanMsg(w, ifindex);
        int e = w.nestStart(BRIDGE_VLANDB_ENTRY | Nlmsg.NLA_F_NESTED);
        int flags = (v.pvid() ? BRIDGE_VLAN_INFO_PVID : 0) | (v.untagged() ? BRIDGE_VLAN_INFO_UNTAGGED : 0);
        vlanInfo(w, BRIDGE_VLANDB_ENTRY_INFO, flags, v.vid());
        if (v.end() != v.vid()) {
            w.u16(BRIDGE_VLANDB_ENTRY_RANGE, v.end());
        }
        w.nestEnd(e);
        w.end(m);
    }

    /** {@code bridge vlan set dev DEV vid VID[-END] [state S] [mcast_router M]}. */
    static void encodeOptions(MessageWriter w, BridgeVlanOptions o, int ifindex) {
        int m = w.begin(RtNetlink.RTM_NEWVLAN, 0);
        brVlanMsg(w, ifindex);
        int e = w.nestStart(BRIDGE_VLANDB_ENTRY | Nlmsg.NLA_F_NESTED);
        vlanInfo(w, BRIDGE_VLANDB_ENTRY_INFO, BRIDGE_VLAN_INFO_ONLY_OPTS, o.vid());
        if (o.end() != o.vid()) {
            w.u16(BRIDGE_VLANDB_ENTRY_RANGE, o.end());
        }
        if (o.state() != null) {
            w.u8(BRIDGE_VLANDB_ENTRY_STATE, o.state().ordinal());
        }
        if (o.mcastRouter() != null) {
            w.u8(BRIDGE_VLANDB_ENTRY_MCAST_ROUTER, o.mcastRouter());
        }
        w.nestEnd(e);
        w.end(m);
    }

    /** {@code bridge vlan global set dev BRIDGE vid VID[-END] ...}, options in the order of bridge(8)'s usage. */
    static void encodeGlobal(MessageWriter w, BridgeVlanGlobalOptions g, int ifindex) {
        int m = w.begin(RtNetlink.RTM_NEWVLAN, 0);
        brVlanMsg(w, ifindex);
        int n = w.nestStart(BRIDGE_VLANDB_GLOBAL_OPTIONS | Nlmsg.NLA_F_NESTED);
        w.u16(BRIDGE_VLANDB_GOPTS_ID, g.vid());
        if (g.end() != g.vid()) {
            w.u16(BRIDGE_VLANDB_GOPTS_RANGE, g.end());
        }
        bool(w, BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING, g.mcastSnooping());
        bool(w, BRIDGE_VLANDB_GOPTS_MCAST_QUERIER, g.mcastQuerier());
        if (g.mcastIgmpVersion() != null) {
            w.u8(BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION, g.mcastIgmpVersion());
        }
        if (g.mcastMldVersion() != null) {
            w.u8(BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION, g.mcastMldVersion());
        }
        if (g.mcastLastMemberCount() != null) {
            w.u32(BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT, (int) (long) g.mcastLastMemberCount());
        }
        if (g.mcastStartupQueryCount() != null) {
            w.u32(BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT, (int) (long) g.mcastStartupQueryCount());
        }
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL, g.mcastLastMemberInterval());
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL, g.mcastStartupQueryInterval());
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL, g.mcastMembershipInterval());
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL, g.mcastQuerierInterval());
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL, g.mcastQueryInterval());
        centis(w, BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL, g.mcastQueryResponseInterval());
        w.nestEnd(n);
        w.end(m);
    }

    private static void bool(MessageWriter w, int type, Boolean v) {
        if (v != null) {
            w.u8(type, v ? 1 : 0);
        }
    }

    private static void centis(MessageWriter w, int type, Duration d) {
        if (d != null) {
            w.u64(type, d.toMillis() / 10);
        }
    }

    /** What {@code bridge vlan show} sends: an AF_BRIDGE link dump asking for VLAN info. */
    static void encodeLinkDump(MessageWriter w) {
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(AddressFamily.AF_BRIDGE, 0, 0, 0, 0);
        w.u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_BRVLAN);
        w.end(m);
    }

    /** What {@code bridge -d vlan show} (flags 0) and {@code bridge vlan global show} (DUMPF_GLOBAL) send. */
    static void encodeVlanDump(MessageWriter w, int ifindex, int dumpFlags) {
        int m = w.begin(RtNetlink.RTM_GETVLAN, Nlmsg.NLM_F_DUMP);
        brVlanMsg(w, ifindex);
        w.u32(BRIDGE_VLANDB_DUMP_FLAGS, dumpFlags);
        w.end(m);
    }

    /** The VLANs and tunnel maps in one AF_BRIDGE RTM_NEWLINK of the BRVLAN link dump. */
    static void decodeLink(MessageReader m, IntFunction<String> names, AttrReader a,
                           Consumer<BridgeVlan> vlans, Consumer<VlanTunnel> tunnels) {
        if (m.type() != RtNetlink.RTM_NEWLINK) {
            return;
        }
        try {
            m.requireHeader(16);
            if (m.u8(0) != AddressFamily.AF_BRIDGE) {
                return;
            }
            int index = m.i32(4);
            String dev = names.apply(index);
            m.attrs(16, a);
            while (a.next()) {
                if (a.type() != Ifla.IFLA_AF_SPEC) {
                    continue;
                }
                AttrReader s = a.nested();
                Integer rangeStart = null;
                Integer tunnelStart = null;
                int tunnelStartVid = 0;
                while (s.next()) {
                    if (s.type() == IFLA_BRIDGE_VLAN_INFO && s.payloadLength() >= 4) {
                        byte[] b = s.bytes();
                        int flags = (b[0] & 0xff) | (b[1] & 0xff) << 8;
                        int vid = (b[2] & 0xff) | (b[3] & 0xff) << 8;
                        if ((flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) != 0) {
                            rangeStart = vid;
                            continue;
                        }
                        int start = (flags & BRIDGE_VLAN_INFO_RANGE_END) != 0 && rangeStart != null ? rangeStart : vid;
                        rangeStart = null;
                        vlans.accept(BridgeVlan.builder().dev(dev).index(index).vid(start).end(vid)
                                .pvid((flags & BRIDGE_VLAN_INFO_PVID) != 0)
                                .untagged((flags & BRIDGE_VLAN_INFO_UNTAGGED) != 0).buildDecoded());
                    } else if (s.type() == IFLA_BRIDGE_VLAN_TUNNEL_INFO) {
                        AttrReader t = s.nested();
                        int id = 0;
                        int vid = 0;
                        int flags = 0;
                        while (t.next()) {
                            switch (t.type()) {
                                case IFLA_BRIDGE_VLAN_TUNNEL_ID -> id = t.u32();
                                case IFLA_BRIDGE_VLAN_TUNNEL_VID -> vid = t.u16();
                                case IFLA_BRIDGE_VLAN_TUNNEL_FLAGS -> flags = t.u16();
                                default -> { }
                            }
                        }
                        if ((flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) != 0) {
                            tunnelStart = id;
                            tunnelStartVid = vid;
                            continue;
                        }
                        boolean end = (flags & BRIDGE_VLAN_INFO_RANGE_END) != 0 && tunnelStart != null;
                        tunnels.accept(VlanTunnel.builder().dev(dev).index(index).vid(end ? tunnelStartVid : vid)
                                .end(vid).tunnelId(end ? tunnelStart : id).buildDecoded());
                        tunnelStart = null;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWLINK (AF_BRIDGE)", e);
        }
    }

    /** The per-VLAN entries and global options of one RTM_NEWVLAN. */
    static void decodeVlan(MessageReader m, IntFunction<String> names, AttrReader a,
                           Consumer<BridgeVlanOptions> entries, Consumer<BridgeVlanGlobalOptions> globals) {
        if (m.type() != RtNetlink.RTM_NEWVLAN) {
            return;
        }
        try {
            m.requireHeader(BR_VLAN_MSG_LEN);
            int index = m.i32(4);
            String dev = names.apply(index);
            m.attrs(BR_VLAN_MSG_LEN, a);
            while (a.next()) {
                if (a.type() == BRIDGE_VLANDB_ENTRY) {
                    AttrReader e = a.nested();
                    BridgeVlanOptions.Builder b = BridgeVlanOptions.builder().dev(dev).index(index);
                    boolean hasInfo = false;
                    while (e.next()) {
                        switch (e.type()) {
                            case BRIDGE_VLANDB_ENTRY_INFO -> {
                                byte[] i = e.bytes();
                                if (i.length >= 4) {
                                    int flags = (i[0] & 0xff) | (i[1] & 0xff) << 8;
                                    b.vid((i[2] & 0xff) | (i[3] & 0xff) << 8)
                                            .pvid((flags & BRIDGE_VLAN_INFO_PVID) != 0)
                                            .untagged((flags & BRIDGE_VLAN_INFO_UNTAGGED) != 0);
                                    hasInfo = true;
                                }
                            }
                            case BRIDGE_VLANDB_ENTRY_RANGE -> b.end(e.u16());
                            case BRIDGE_VLANDB_ENTRY_STATE -> {
                                int s = e.u8();
                                b.state(s < StpState.values().length ? StpState.values()[s] : null);
                            }
                            case BRIDGE_VLANDB_ENTRY_MCAST_ROUTER -> b.mcastRouter(e.u8());
                            default -> { } // TUNNEL_INFO, STATS: not modelled here
                        }
                    }
                    if (hasInfo) {
                        entries.accept(b.buildDecoded());
                    }
                } else if (a.type() == BRIDGE_VLANDB_GLOBAL_OPTIONS) {
                    AttrReader g = a.nested();
                    BridgeVlanGlobalOptions.Builder b = BridgeVlanGlobalOptions.builder().bridge(dev).index(index);
                    boolean hasId = false;
                    while (g.next()) {
                        switch (g.type()) {
                            case BRIDGE_VLANDB_GOPTS_ID -> {
                                b.vid(g.u16());
                                hasId = true;
                            }
                            case BRIDGE_VLANDB_GOPTS_RANGE -> b.end(g.u16());
                            case BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING -> b.mcastSnooping(g.u8() != 0);
                            case BRIDGE_VLANDB_GOPTS_MCAST_QUERIER -> b.mcastQuerier(g.u8() != 0);
                            case BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION -> b.mcastIgmpVersion(g.u8());
                            case BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION -> b.mcastMldVersion(g.u8());
                            case BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT -> b.mcastLastMemberCount(Integer.toUnsignedLong(g.u32()));
                            case BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT -> b.mcastStartupQueryCount(Integer.toUnsignedLong(g.u32()));
                            case BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL -> b.mcastLastMemberInterval(cs(g));
                            case BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL -> b.mcastStartupQueryInterval(cs(g));
                            case BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL -> b.mcastMembershipInterval(cs(g));
                            case BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL -> b.mcastQuerierInterval(cs(g));
                            case BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL -> b.mcastQueryInterval(cs(g));
                            case BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL -> b.mcastQueryResponseInterval(cs(g));
                            default -> { } // router ports, querier state, MSTI: not modelled
                        }
                    }
                    if (hasId) {
                        globals.accept(b.buildDecoded());
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWVLAN", e);
        }
    }

    private static Duration cs(AttrReader a) {
        return Duration.ofMillis(a.u64() * 10);
    }
}
