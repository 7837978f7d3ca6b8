package dev.overlaynet.it;

import dev.overlaynet.Bridge;
import dev.overlaynet.Link;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A bridge with every option the library models; timers in centiseconds (clock_t), as ip takes and prints them. */
final class BridgeConformance extends LinkConformance {
    private static final String[] TIMERS = {"forwardDelay", "helloTime", "maxAge", "ageingTime"};
    private static final String[] TIMER_KEYS = {"forward_delay", "hello_time", "max_age", "ageing_time"};
    private static final String[] BOOLS = {"stp", "mcastSnooping", "mcastQuerier", "nfCallIptables",
        "nfCallIp6tables", "nfCallArptables"};
    private static final String[] BOOL_KEYS = {"stp_state", "mcast_snooping", "mcast_querier", "nf_call_iptables",
        "nf_call_ip6tables", "nf_call_arptables"};

    @Override
    String kind() {
        return "bridge";
    }

    /** Without CONFIG_BRIDGE_VLAN_FILTERING the kernel refuses IFLA_BR_VLAN_FILTERING, even 0 (EOPNOTSUPP). */
    private static final boolean VLAN_FILTERING = KernelDifferences.config("CONFIG_BRIDGE_VLAN_FILTERING") != null;

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", linkName(r, n));
        common(r, in, 1280, 9000);
        // the kernel's ranges (br_stp_if.c): hello 1-10 s, max age 6-40 s; forward delay 2-30 s only
        // while STP is on, and a new bridge's STP state is applied after its forward delay
        int[][] ranges = {{0, 10_000}, {100, 1000}, {600, 4000}, {0, 100_000}};
        for (int i = 0; i < TIMERS.length; i++) {
            if (chance(r, 0.6)) {
                in.put(TIMERS[i], (long) between(r, ranges[i][0], ranges[i][1]));
            }
        }
        for (String b : BOOLS) {
            if (chance(r, 0.4)) {
                in.put(b, r.nextBoolean());
            }
        }
        if (chance(r, 0.5)) {
            in.put("priority", r.nextInt(65536));
        }
        if (VLAN_FILTERING && chance(r, 0.3)) {
            in.put("vlanFiltering", r.nextBoolean());
        }
        if (chance(r, 0.3)) {
            in.put("vlanProtocol", oneOf(r, 0x8100, 0x88a8));
        }
        if (chance(r, 0.3)) {
            in.put("vlanDefaultPvid", between(r, 1, 4094));
        }
        if (chance(r, 0.4)) {
            in.put("groupFwdMask", r.nextInt(65536) & ~0x7); // STP, MAC pause and LACP can not be forwarded
        }
        if (chance(r, 0.4)) {
            int last = oneOf(r, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); // 01:80:c2:00:00:01-03 are refused
            in.put("groupAddress", String.format("01:80:c2:00:00:%02x", last));
        }
        if (chance(r, 0.4)) {
            in.put("mcastRouter", r.nextInt(3));
        }
        if (chance(r, 0.4)) {
            in.put("mcastIgmpVersion", between(r, 2, 3));
        }
        if (chance(r, 0.4)) {
            in.put("mcastMldVersion", between(r, 1, 2));
        }
        return in;
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = super.expected(in);
        for (String t : TIMERS) {
            if (in.containsKey(t)) {
                out.put(t, Long.toString(KernelDifferences.bridgeTimer((Long) in.get(t))));
            }
        }
        if (!VLAN_FILTERING) {
            out.replace("vlanProtocol", ABSENT);
            out.replace("vlanDefaultPvid", ABSENT);
        }
        return out;
    }

    /** With STP on, a forward delay outside 2..30 s would be clamped when STP starts ({@link KernelDifferences}). */
    @Override
    String refusedField(Map<String, Object> in) {
        Long fd = (Long) in.get("forwardDelay");
        return Boolean.TRUE.equals(in.get("stp")) && fd != null && (fd < 200 || fd > 3000) ? "forwardDelay" : null;
    }

    private static Duration cs(Object v) {
        return v == null ? null : Duration.ofMillis((Long) v * 10);
    }

    @Override
    Link.Builder<?, ?> kindBuilder(Map<String, Object> in) {
        Bridge.Builder b = Bridge.builder();
        b.forwardDelay(cs(in.get("forwardDelay"))).helloTime(cs(in.get("helloTime"))).maxAge(cs(in.get("maxAge")))
                .ageingTime(cs(in.get("ageingTime")));
        b.stp((Boolean) in.get("stp")).mcastSnooping((Boolean) in.get("mcastSnooping"))
                .mcastQuerier((Boolean) in.get("mcastQuerier")).nfCallIptables((Boolean) in.get("nfCallIptables"))
                .nfCallIp6tables((Boolean) in.get("nfCallIp6tables"))
                .nfCallArptables((Boolean) in.get("nfCallArptables"));
        b.priority((Integer) in.get("priority")).vlanFiltering((Boolean) in.get("vlanFiltering"))
                .vlanProtocol((Integer) in.get("vlanProtocol")).vlanDefaultPvid((Integer) in.get("vlanDefaultPvid"))
                .groupFwdMask((Integer) in.get("groupFwdMask"))
                .mcastRouter((Integer) in.get("mcastRouter")).mcastIgmpVersion((Integer) in.get("mcastIgmpVersion"))
                .mcastMldVersion((Integer) in.get("mcastMldVersion"));
        if (in.containsKey("groupAddress")) {
            b.groupAddress(MacAddress.parse((String) in.get("groupAddress")));
        }
        return b;
    }

    @Override
    List<String> kindArgs(Map<String, Object> in) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < TIMERS.length; i++) {
            if (in.containsKey(TIMERS[i])) {
                a.addAll(List.of(TIMER_KEYS[i], in.get(TIMERS[i]).toString()));
            }
        }
        for (int i = 0; i < BOOLS.length; i++) {
            if (in.containsKey(BOOLS[i])) {
                a.addAll(List.of(BOOL_KEYS[i], (Boolean) in.get(BOOLS[i]) ? "1" : "0"));
            }
        }
        options(a, in, "priority", "priority", "vlanDefaultPvid", "vlan_default_pvid", "groupFwdMask", "group_fwd_mask",
                "groupAddress", "group_address", "mcastRouter", "mcast_router", "mcastIgmpVersion", "mcast_igmp_version",
                "mcastMldVersion", "mcast_mld_version");
        if (in.containsKey("vlanFiltering")) {
            a.addAll(List.of("vlan_filtering", (Boolean) in.get("vlanFiltering") ? "1" : "0"));
        }
        if (in.containsKey("vlanProtocol")) {
            a.addAll(List.of("vlan_protocol", (Integer) in.get("vlanProtocol") == 0x8100 ? "802.1Q" : "802.1ad"));
        }

        return a;
    }

    @Override
    Map<String, String> kindFromTools(String ns, Map<?, ?> link, Map<String, Object> in) {
        Map<?, ?> d = infoData(link);
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < TIMERS.length; i++) {
            out.put(TIMERS[i], str(d, TIMER_KEYS[i]));
        }
        for (int i = 0; i < BOOLS.length; i++) {
            out.put(BOOLS[i], bool01(d, BOOL_KEYS[i]));
        }
        out.put("priority", str(d, "priority"));
        out.put("vlanFiltering", bool01(d, "vlan_filtering"));
        Object proto = d.get("vlan_protocol");
        out.put("vlanProtocol", proto == null ? ABSENT : "802.1Q".equals(proto) ? "33024" : "34984");
        out.put("vlanDefaultPvid", str(d, "vlan_default_pvid"));
        out.put("groupFwdMask", hex(d, "group_fwd_mask"));
        out.put("groupAddress", str(d, "group_addr"));
        out.put("mcastRouter", str(d, "mcast_router"));
        out.put("mcastIgmpVersion", str(d, "mcast_igmp_version"));
        out.put("mcastMldVersion", str(d, "mcast_mld_version"));
        return out;
    }

    @Override
    Map<String, String> kindFromLibrary(Netlink nl, Link l, Map<String, Object> in) {
        Bridge b = (Bridge) l;
        Map<String, String> out = new LinkedHashMap<>();
        out.put("forwardDelay", canon(b.forwardDelay()));
        out.put("helloTime", canon(b.helloTime()));
        out.put("maxAge", canon(b.maxAge()));
        out.put("ageingTime", canon(b.ageingTime()));
        out.put("stp", canon(b.stp()));
        out.put("mcastSnooping", canon(b.mcastSnooping()));
        out.put("mcastQuerier", canon(b.mcastQuerier()));
        out.put("nfCallIptables", canon(b.nfCallIptables()));
        out.put("nfCallIp6tables", canon(b.nfCallIp6tables()));
        out.put("nfCallArptables", canon(b.nfCallArptables()));
        out.put("priority", canon(b.priority()));
        out.put("vlanFiltering", canon(b.vlanFiltering()));
        out.put("vlanProtocol", canon(b.vlanProtocol()));
        out.put("vlanDefaultPvid", canon(b.vlanDefaultPvid()));
        out.put("groupFwdMask", canon(b.groupFwdMask()));
        out.put("groupAddress", canon(b.groupAddress()));
        out.put("mcastRouter", canon(b.mcastRouter()));
        out.put("mcastIgmpVersion", canon(b.mcastIgmpVersion()));
        out.put("mcastMldVersion", canon(b.mcastMldVersion()));
        return out;
    }
}
