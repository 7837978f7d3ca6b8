package dev.overlaynet;

import static dev.overlaynet.AttrSpec.mutable;
import static dev.overlaynet.netlink.internal.uapi.Ifla.*;

import java.util.List;

/**
 * Bridge port options: IFLA_BRPORT_* inside IFLA_LINKINFO / IFLA_INFO_SLAVE_DATA
 * (what {@code ip link set DEV type bridge_slave ...} sends), in iproute2's
 * order. All are changeable (br_port_slave_changelink).
 */
final class BridgePortCodec {
    static final AttrSpec<Boolean> LEARNING = mutable("learning", IFLA_BRPORT_LEARNING, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> HAIRPIN = mutable("hairpin", IFLA_BRPORT_MODE, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> FLOOD = mutable("flood", IFLA_BRPORT_UNICAST_FLOOD, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> NEIGH_SUPPRESS = mutable("neighSuppress", IFLA_BRPORT_NEIGH_SUPPRESS, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> ISOLATED = mutable("isolated", IFLA_BRPORT_ISOLATED, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> MCAST_FLOOD = mutable("mcastFlood", IFLA_BRPORT_MCAST_FLOOD, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> BCAST_FLOOD = mutable("bcastFlood", IFLA_BRPORT_BCAST_FLOOD, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> PROXY_ARP = mutable("proxyArp", IFLA_BRPORT_PROXYARP, AttrCodec.U8_BOOL);
    static final AttrSpec<Integer> PRIORITY = mutable("priority", IFLA_BRPORT_PRIORITY, AttrCodec.U16);
    static final AttrSpec<Integer> COST = mutable("cost", IFLA_BRPORT_COST, AttrCodec.U32);
    static final AttrSpec<Boolean> GUARD = mutable("guard", IFLA_BRPORT_GUARD, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> ROOT_BLOCK = mutable("rootBlock", IFLA_BRPORT_PROTECT, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> FAST_LEAVE = mutable("fastLeave", IFLA_BRPORT_FAST_LEAVE, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> MCAST_TO_UNICAST = mutable("mcastToUnicast", IFLA_BRPORT_MCAST_TO_UCAST, AttrCodec.U8_BOOL);

    static final List<AttrSpec<?>> SPECS = List.of(LEARNING, HAIRPIN, FLOOD, NEIGH_SUPPRESS, ISOLATED, MCAST_FLOOD,
            BCAST_FLOOD, PROXY_ARP, PRIORITY, COST, GUARD, ROOT_BLOCK, FAST_LEAVE, MCAST_TO_UNICAST);

    private BridgePortCodec() {}
}
