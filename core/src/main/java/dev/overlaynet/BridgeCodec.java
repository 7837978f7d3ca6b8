package dev.overlaynet;

import static dev.overlaynet.AttrSpec.mutable;
import static dev.overlaynet.netlink.route.Ifla.*;

import java.time.Duration;
import java.util.List;

/**
 * The bridge kind: IFLA_BR_* attributes in type order. Every one of them can
 * be changed on an existing bridge (br_changelink). Times are clock_t on the
 * wire (centiseconds, USER_HZ = 100): {@code ip -d -j} prints them raw, e.g.
 * {@code "forward_delay":1500} for 15 s.
 */
final class BridgeCodec extends LinkKind {
    static final BridgeCodec INSTANCE = new BridgeCodec();

    static final AttrSpec<Duration> FORWARD_DELAY = mutable("forwardDelay", IFLA_BR_FORWARD_DELAY, AttrCodec.CENTISECONDS32);
    static final AttrSpec<Duration> HELLO_TIME = mutable("helloTime", IFLA_BR_HELLO_TIME, AttrCodec.CENTISECONDS32);
    static final AttrSpec<Duration> MAX_AGE = mutable("maxAge", IFLA_BR_MAX_AGE, AttrCodec.CENTISECONDS32);
    static final AttrSpec<Duration> AGEING_TIME = mutable("ageingTime", IFLA_BR_AGEING_TIME, AttrCodec.CENTISECONDS32);
    static final AttrSpec<Boolean> STP = mutable("stp", IFLA_BR_STP_STATE, AttrCodec.U32_BOOL);
    static final AttrSpec<Integer> PRIORITY = mutable("priority", IFLA_BR_PRIORITY, AttrCodec.U16);
    static final AttrSpec<Boolean> VLAN_FILTERING = mutable("vlanFiltering", IFLA_BR_VLAN_FILTERING, AttrCodec.U8_BOOL);
    static final AttrSpec<Integer> VLAN_PROTOCOL = mutable("vlanProtocol", IFLA_BR_VLAN_PROTOCOL, AttrCodec.BE16);
    static final AttrSpec<Integer> GROUP_FWD_MASK = mutable("groupFwdMask", IFLA_BR_GROUP_FWD_MASK, AttrCodec.U16);
    static final AttrSpec<MacAddress> GROUP_ADDR = mutable("groupAddress", IFLA_BR_GROUP_ADDR, AttrCodec.MAC);
    static final AttrSpec<Integer> MCAST_ROUTER = mutable("mcastRouter", IFLA_BR_MCAST_ROUTER, AttrCodec.U8);
    static final AttrSpec<Boolean> MCAST_SNOOPING = mutable("mcastSnooping", IFLA_BR_MCAST_SNOOPING, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> MCAST_QUERIER = mutable("mcastQuerier", IFLA_BR_MCAST_QUERIER, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> NF_CALL_IPTABLES = mutable("nfCallIptables", IFLA_BR_NF_CALL_IPTABLES, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> NF_CALL_IP6TABLES = mutable("nfCallIp6tables", IFLA_BR_NF_CALL_IP6TABLES, AttrCodec.U8_BOOL);
    static final AttrSpec<Boolean> NF_CALL_ARPTABLES = mutable("nfCallArptables", IFLA_BR_NF_CALL_ARPTABLES, AttrCodec.U8_BOOL);
    static final AttrSpec<Integer> VLAN_DEFAULT_PVID = mutable("vlanDefaultPvid", IFLA_BR_VLAN_DEFAULT_PVID, AttrCodec.U16);
    static final AttrSpec<Integer> MCAST_IGMP_VERSION = mutable("mcastIgmpVersion", IFLA_BR_MCAST_IGMP_VERSION, AttrCodec.U8);
    static final AttrSpec<Integer> MCAST_MLD_VERSION = mutable("mcastMldVersion", IFLA_BR_MCAST_MLD_VERSION, AttrCodec.U8);

    private static final List<AttrSpec<?>> SPECS = List.of(FORWARD_DELAY, HELLO_TIME, MAX_AGE, AGEING_TIME, STP,
            PRIORITY, VLAN_FILTERING, VLAN_PROTOCOL, GROUP_FWD_MASK, GROUP_ADDR, MCAST_ROUTER, MCAST_SNOOPING,
            MCAST_QUERIER, NF_CALL_IPTABLES, NF_CALL_IP6TABLES, NF_CALL_ARPTABLES, VLAN_DEFAULT_PVID,
            MCAST_IGMP_VERSION, MCAST_MLD_VERSION);

    private BridgeCodec() {}

    /**
     * A kernel built without CONFIG_BRIDGE_VLAN_FILTERING (as this project's
     * CI kernel is) accepts IFLA_BR_VLAN_PROTOCOL and IFLA_BR_VLAN_DEFAULT_PVID,
     * drops them and reports neither.
     */
    @Override
    java.util.Set<AttrSpec<?>> comparedOnlyWhenReported() {
        return java.util.Set.of(VLAN_PROTOCOL, VLAN_DEFAULT_PVID);
    }

    @Override
    String kind() {
        return "bridge";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return SPECS;
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Bridge.builder();
    }
}
