package dev.overlaynet.it;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.PortRange;
import dev.overlaynet.Vxlan;
import dev.overlaynet.VxlanDf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** VXLAN over IPv4 or IPv6: multicast group, unicast remote, local only, or external (metadata). */
final class VxlanConformance extends LinkConformance {
    /** The underlay every case's multicast group is joined on; its mtu is fixed for the mtu clamp. */
    static final String UNDERLAY = "ul0";
    static final int UNDERLAY_MTU = 1500;
    private static final String[] FLAGS = {"learning", "proxy", "rsc", "l2miss", "l3miss", "udpCsum",
        "udp6ZeroCsumTx", "udp6ZeroCsumRx", "remcsumTx", "remcsumRx"};

    private final boolean v6;

    VxlanConformance(boolean v6) {
        this.v6 = v6;
    }

    @Override
    String name() {
        return v6 ? "vxlan6" : "vxlan4";
    }

    @Override
    String kind() {
        return "vxlan";
    }

    @Override
    void prepare(String ns) throws Exception {
        LinkOracle.ip(ns, "link", "add", UNDERLAY, "mtu", Integer.toString(UNDERLAY_MTU), "type", "bridge");
        LinkOracle.ip(ns, "link", "set", UNDERLAY, "up");
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("name", linkName(r, n));
        common(r, in, 1280, 9000);
        int mode = r.nextInt(8);
        if (mode == 0) { // external (collect metadata), optionally GPE or VNI filtering
            in.put("external", true);
            in.put("dstPort", between(r, 1, 65535));
            int ext = r.nextInt(3);
            if (ext == 1) {
                in.put("gpe", true);
                in.put("learning", false);
            } else if (ext == 2) {
                in.put("vnifilter", true);
            }
            return in;
        }
        in.put("vni", between(r, 1, 16_777_215));
        if (mode <= 3) {
            in.put("group", v6 ? "ff05::" + Integer.toHexString(between(r, 1, 0xffff)) : "239." + r.nextInt(256)
                    + "." + r.nextInt(256) + "." + between(r, 1, 254));
            in.put("device", UNDERLAY);
        } else if (mode <= 6) {
            in.put("remote", v6 ? v6(r) : v4(r));
            if (chance(r, 0.3)) {
                in.put("device", UNDERLAY);
            }
        }
        if (chance(r, 0.6) || mode == 7) {
            in.put("local", v6 ? v6(r) : v4(r));
        }
        if (chance(r, 0.5)) {
            in.put("dstPort", between(r, 1, 65535));
        }
        if (chance(r, 0.4)) {
            int lo = between(r, 1, 65535);
            in.put("srcPortRange", lo + "-" + between(r, lo, 65535));
        }
        if (chance(r, 0.5)) {
            in.put("ttl", chance(r, 0.3) ? "inherit" : Integer.toString(r.nextInt(256)));
        }
        if (chance(r, 0.4)) {
            in.put("tos", r.nextInt(256));
        }
        if (chance(r, 0.4)) {
            in.put("df", oneOf(r, "unset", "set", "inherit"));
        }
        if (v6 && chance(r, 0.4)) {
            in.put("label", r.nextInt(0x100000));
        }
        for (String f : FLAGS) {
            if (chance(r, 0.3)) {
                in.put(f, r.nextBoolean());
            }
        }
        if (chance(r, 0.2)) {
            in.put("gbp", true);
        }
        if (chance(r, 0.4)) {
            in.put("ageing", u32(r));
        }
        if (chance(r, 0.3)) {
            in.put("limit", u32(r));
        }
        return in;
    }

    /** A u32 attribute's value: small, an edge of the int range, or anywhere up to 4294967295. */
    private static long u32(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> new long[] {0L, 0x7fffffffL, 0x80000000L, 0xffffffffL}[r.nextInt(4)];
            case 1 -> r.nextLong() & 0xffffffffL;
            default -> r.nextInt(100_000);
        };
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = super.expected(in);
        if (Boolean.TRUE.equals(in.get("gpe"))) {
            out.replace("address", ABSENT);
        }
        if (Long.valueOf(0).equals(in.get("ageing"))) {
            out.put("ageing", "300"); // the kernel keeps FDB_AGE_DEFAULT for 0
        }
        if (in.containsKey("mtu") && in.containsKey("device")) {
            out.put("mtu", Integer.toString(KernelDifferences.vxlanMtu((Integer) in.get("mtu"), UNDERLAY_MTU, v6)));
        }
        return out;
    }

    @Override
    String refusedField(Map<String, Object> in) {
        if (Boolean.TRUE.equals(in.get("gpe")) && in.containsKey("address")) {
            return "address";
        }
        if (in.containsKey("mtu") && in.containsKey("device")
                && (Integer) in.get("mtu") > KernelDifferences.vxlanMtu((Integer) in.get("mtu"), UNDERLAY_MTU, v6)) {
            return "mtu";
        }
        return null;
    }

    @Override
    Link.Builder<?, ?> kindBuilder(Map<String, Object> in) {
        Vxlan.Builder b = Vxlan.builder();
        b.vni((Integer) in.get("vni"));
        if (in.containsKey("group")) {
            b.group((String) in.get("group"));
        }
        if (in.containsKey("remote")) {
            b.remote((String) in.get("remote"));
        }
        if (in.containsKey("local")) {
            b.local((String) in.get("local"));
        }
        b.device((String) in.get("device"));
        b.dstPort((Integer) in.get("dstPort"));
        if (in.containsKey("srcPortRange")) {
            String[] p = ((String) in.get("srcPortRange")).split("-");
            b.srcPortRange(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
        Object ttl = in.get("ttl");
        if ("inherit".equals(ttl)) {
            b.ttlInherit(true);
        } else if (ttl != null) {
            b.ttl(Integer.parseInt((String) ttl));
        }
        b.tos((Integer) in.get("tos"));
        if (in.containsKey("df")) {
            b.df(VxlanDf.valueOf(((String) in.get("df")).toUpperCase(Locale.ROOT)));
        }
        b.label((Integer) in.get("label"));
        b.learning((Boolean) in.get("learning")).proxy((Boolean) in.get("proxy")).rsc((Boolean) in.get("rsc"))
                .l2miss((Boolean) in.get("l2miss")).l3miss((Boolean) in.get("l3miss"))
                .udpCsum((Boolean) in.get("udpCsum")).udp6ZeroCsumTx((Boolean) in.get("udp6ZeroCsumTx"))
                .udp6ZeroCsumRx((Boolean) in.get("udp6ZeroCsumRx")).remcsumTx((Boolean) in.get("remcsumTx"))
                .remcsumRx((Boolean) in.get("remcsumRx")).gbp((Boolean) in.get("gbp")).gpe((Boolean) in.get("gpe"))
                .external((Boolean) in.get("external")).vnifilter((Boolean) in.get("vnifilter"))
                .ageing((Long) in.get("ageing")).limit((Long) in.get("limit"));
        return b;
    }

    private static final Map<String, String> IP_FLAG = Map.of("learning", "learning", "proxy", "proxy", "rsc", "rsc",
            "l2miss", "l2miss", "l3miss", "l3miss", "udpCsum", "udpcsum", "udp6ZeroCsumTx", "udp6zerocsumtx",
            "udp6ZeroCsumRx", "udp6zerocsumrx", "remcsumTx", "remcsumtx", "remcsumRx", "remcsumrx");

    @Override
    List<String> kindArgs(Map<String, Object> in) {
        List<String> a = new ArrayList<>();
        options(a, in, "vni", "id");
        if (Boolean.TRUE.equals(in.get("external"))) {
            a.add("external");
        }
        options(a, in, "group", "group", "remote", "remote", "local", "local", "device", "dev");
        options(a, in, "dstPort", "dstport");
        if (in.containsKey("srcPortRange")) {
            String[] p = ((String) in.get("srcPortRange")).split("-");
            a.addAll(List.of("srcport", p[0], p[1]));
        }
        options(a, in, "ttl", "ttl");
        if (in.containsKey("tos")) {
            a.addAll(List.of("tos", "0x" + Integer.toHexString((Integer) in.get("tos"))));
        }
        options(a, in, "df", "df", "label", "flowlabel");
        IP_FLAG.forEach((k, word) -> {
            if (in.containsKey(k)) {
                a.add(((Boolean) in.get(k) ? "" : "no") + word);
            }
        });
        for (String f : new String[] {"gbp", "gpe", "vnifilter"}) {
            if (Boolean.TRUE.equals(in.get(f))) {
                a.add(f);
            }
        }
        options(a, in, "ageing", "ageing", "limit", "maxaddress");
        return a;
    }

    @Override
    Map<String, String> kindFromTools(String ns, Map<?, ?> link, Map<String, Object> in) {
        Map<?, ?> d = infoData(link);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("vni", str(d, "id"));
        out.put("group", str(d, v6 ? "group6" : "group"));
        out.put("remote", str(d, v6 ? "remote6" : "remote"));
        out.put("local", str(d, v6 ? "local6" : "local"));
        out.put("device", str(d, "link"));
        out.put("dstPort", str(d, "port"));
        Map<?, ?> range = (Map<?, ?>) d.get("port_range");
        out.put("srcPortRange", range == null ? ABSENT : range.get("low") + "-" + range.get("high"));
        // ip -j leaves "ttl" out exactly when IFLA_VXLAN_TTL_INHERIT is set (the text form says "ttl inherit")
        out.put("ttl", d.containsKey("ttl") ? str(d, "ttl") : "inherit");
        out.put("tos", hex(d, "tos"));
        out.put("df", str(d, "df"));
        out.put("label", hex(d, "label"));
        out.put("learning", flag(d, "learning"));
        out.put("proxy", flag(d, "proxy"));
        out.put("rsc", flag(d, "rsc"));
        out.put("l2miss", flag(d, "l2miss"));
        out.put("l3miss", flag(d, "l3miss"));
        out.put("udpCsum", flag(d, "udp_csum"));
        out.put("udp6ZeroCsumTx", flag(d, "udp_zero_csum6_tx"));
        out.put("udp6ZeroCsumRx", flag(d, "udp_zero_csum6_rx"));
        out.put("remcsumTx", flag(d, "remcsum_tx"));
        out.put("remcsumRx", flag(d, "remcsum_rx"));
        out.put("gbp", flag(d, "gbp"));
        out.put("gpe", flag(d, "gpe"));
        out.put("external", flag(d, "external"));
        out.put("vnifilter", flag(d, "vnifilter"));
        out.put("ageing", str(d, "ageing"));
        out.put("limit", num0(d, "limit"));
        return out;
    }

    @Override
    Map<String, String> kindFromLibrary(Netlink nl, Link l, Map<String, Object> in) {
        Vxlan v = (Vxlan) l;
        Map<String, String> out = new LinkedHashMap<>();
        out.put("vni", canon(v.vni()));
        out.put("group", canon(v.group()));
        out.put("remote", canon(v.remote()));
        out.put("local", canon(v.local()));
        out.put("device", canon(v.device()));
        out.put("dstPort", canon(v.dstPort()));
        PortRange range = v.srcPortRange();
        out.put("srcPortRange", range == null ? ABSENT : range.low() + "-" + range.high());
        out.put("ttl", Boolean.TRUE.equals(v.ttlInherit()) ? "inherit" : canon(v.ttl()));
        out.put("tos", canon(v.tos()));
        out.put("df", canon(v.df()));
        out.put("label", canon(v.label()));
        out.put("learning", canon(v.learning()));
        out.put("proxy", canon(v.proxy()));
        out.put("rsc", canon(v.rsc()));
        out.put("l2miss", canon(v.l2miss()));
        out.put("l3miss", canon(v.l3miss()));
        out.put("udpCsum", canon(v.udpCsum()));
        out.put("udp6ZeroCsumTx", canon(v.udp6ZeroCsumTx()));
        out.put("udp6ZeroCsumRx", canon(v.udp6ZeroCsumRx()));
        out.put("remcsumTx", canon(v.remcsumTx()));
        out.put("remcsumRx", canon(v.remcsumRx()));
        out.put("gbp", canon(v.gbp()));
        out.put("gpe", canon(v.gpe()));
        out.put("external", canon(v.external()));
        out.put("vnifilter", canon(v.vnifilter()));
        out.put("ageing", canon(v.ageing()));
        out.put("limit", canon(v.limit()));
        return out;
    }
}
