package dev.overlaynet.it;

import dev.overlaynet.BridgePort;
import dev.overlaynet.Link;
import dev.overlaynet.Macvlan;
import dev.overlaynet.MacvlanMode;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** The smaller link families: bridge port, macvlan, veth. */
final class LinkKindsConformance {
    private LinkKindsConformance() {}

    /** The bridge-port options of a veth enslaved to bridge {@code br0} (IFLA_BRPORT_*). */
    static final class Port extends ConformanceFamily {
        private static final String[] BOOLS = {"learning", "hairpin", "flood", "neighSuppress", "isolated",
            "mcastFlood", "bcastFlood", "proxyArp", "guard", "rootBlock", "fastLeave", "mcastToUnicast"};
        private static final String[] KEYS = {"learning", "hairpin", "flood", "neigh_suppress", "isolated",
            "mcast_flood", "bcast_flood", "proxy_arp", "guard", "root_block", "fastleave", "mcast_to_unicast"};

        @Override
        String name() {
            return "bridgeport";
        }

        @Override
        void prepare(String ns) throws Exception {
            bridgeUp(ns, "br0");
        }

        @Override
        Map<String, Object> generate(Random r, int n) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("_name", LinkConformance.linkName(r, n));
            for (String b : BOOLS) {
                if (chance(r, 0.5)) {
                    in.put(b, r.nextBoolean());
                }
            }
            if (chance(r, 0.5)) {
                in.put("priority", r.nextInt(64));
            }
            if (chance(r, 0.5)) {
                in.put("cost", between(r, 1, 65535));
            }
            return in;
        }

        @Override
        Map<String, String> expected(Map<String, Object> in) {
            Map<String, String> out = new LinkedHashMap<>();
            in.forEach((k, v) -> {
                if (!k.startsWith("_")) {
                    out.put(k, canon(v));
                }
            });
            return out;
        }

        @Override
        void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
            String dev = (String) in.get("_name");
            nl.links().add(Veth.builder().name(dev).peer(dev + "p").master("br0").build());
            nl.links().setBridgePort(dev, BridgePort.builder().learning((Boolean) in.get("learning"))
                    .hairpin((Boolean) in.get("hairpin")).flood((Boolean) in.get("flood"))
                    .neighSuppress((Boolean) in.get("neighSuppress")).isolated((Boolean) in.get("isolated"))
                    .mcastFlood((Boolean) in.get("mcastFlood")).bcastFlood((Boolean) in.get("bcastFlood"))
                    .proxyArp((Boolean) in.get("proxyArp")).guard((Boolean) in.get("guard"))
                    .rootBlock((Boolean) in.get("rootBlock")).fastLeave((Boolean) in.get("fastLeave"))
                    .mcastToUnicast((Boolean) in.get("mcastToUnicast")).priority((Integer) in.get("priority"))
                    .cost((Integer) in.get("cost")).build());
        }

        @Override
        void createWithTools(String ns, Map<String, Object> in) throws Exception {
            String dev = (String) in.get("_name");
            LinkOracle.ip(ns, "link", "add", dev, "master", "br0", "type", "veth", "peer", "name", dev + "p");
            List<String> a = new ArrayList<>(List.of("link", "set", "dev", dev, "type", "bridge_slave"));
            for (int i = 0; i < BOOLS.length; i++) {
                if (in.containsKey(BOOLS[i])) {
                    a.addAll(List.of(KEYS[i], (Boolean) in.get(BOOLS[i]) ? "on" : "off"));
                }
            }
            options(a, in, "priority", "priority", "cost", "cost");
            LinkOracle.ip(ns, a.toArray(new String[0]));
        }

        @Override
        Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
            Map<?, ?> d = (Map<?, ?>) Json.path(LinkOracle.show(ns, (String) in.get("_name")), "linkinfo",
                    "info_slave_data");
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < BOOLS.length; i++) {
                out.put(BOOLS[i], str(d, KEYS[i]));
            }
            out.put("priority", str(d, "priority"));
            out.put("cost", str(d, "cost"));
            return out;
        }

        @Override
        Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
            BridgePort p = nl.links().bridgePort((String) in.get("_name"));
            Map<String, String> out = new LinkedHashMap<>();
            out.put("learning", canon(p.learning()));
            out.put("hairpin", canon(p.hairpin()));
            out.put("flood", canon(p.flood()));
            out.put("neighSuppress", canon(p.neighSuppress()));
            out.put("isolated", canon(p.isolated()));
            out.put("mcastFlood", canon(p.mcastFlood()));
            out.put("bcastFlood", canon(p.bcastFlood()));
            out.put("proxyArp", canon(p.proxyArp()));
            out.put("guard", canon(p.guard()));
            out.put("rootBlock", canon(p.rootBlock()));
            out.put("fastLeave", canon(p.fastLeave()));
            out.put("mcastToUnicast", canon(p.mcastToUnicast()));
            out.put("priority", canon(p.priority()));
            out.put("cost", canon(p.cost()));
            return out;
        }

        @Override
        void delete(String ns, Map<String, Object> in) throws Exception {
            Oracle.exec("ip", "-n", ns, "link", "del", "dev", (String) in.get("_name"));
        }
    }

    /** A macvlan on its own parent veth {@code p<n>}, whose address the case fixes (passthru takes it). */
    static final class MacvlanFamily extends LinkConformance {
        @Override
        String kind() {
            return "macvlan";
        }

        @Override
        Map<String, Object> generate(Random r, int n) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", linkName(r, n));
            in.put("parent", "p" + n);
            in.put("_parentAddress", mac(r));
            common(r, in, 1280, 1500); // a macvlan's mtu can not exceed its parent's (1500)
            String mode = oneOf(r, "private", "vepa", "bridge", "passthru", "source");
            if (chance(r, 0.8)) {
                in.put("mode", mode);
            }
            if ("passthru".equals(in.get("mode")) && chance(r, 0.5)) {
                in.put("macvlanFlags", 1); // MACVLAN_FLAG_NOPROMISC
            }
            return in;
        }

        @Override
        Map<String, String> expected(Map<String, Object> in) {
            Map<String, String> out = super.expected(in);
            if ("passthru".equals(in.get("mode")) && in.containsKey("address")) {
                out.put("address", (String) in.get("_parentAddress"));
            }
            return out;
        }

        @Override
        String refusedField(Map<String, Object> in) {
            return "passthru".equals(in.get("mode")) && in.containsKey("address") ? "address" : null;
        }

        private static void parent(String ns, Map<String, Object> in) throws Exception {
            String p = (String) in.get("parent");
            LinkOracle.ip(ns, "link", "add", p, "address", (String) in.get("_parentAddress"), "type", "veth", "peer",
                    "name", p + "q");
        }

        @Override
        void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
            parent(ns, in); // the parent is not under test: made with ip in both directions
            super.createWithLibrary(nl, ns, in);
        }

        @Override
        Link.Builder<?, ?> kindBuilder(Map<String, Object> in) {
            Macvlan.Builder b = Macvlan.builder().parent((String) in.get("parent"));
            if (in.containsKey("mode")) {
                b.mode(MacvlanMode.valueOf(((String) in.get("mode")).toUpperCase(Locale.ROOT)));
            }
            return b.macvlanFlags((Integer) in.get("macvlanFlags"));
        }

        @Override
        List<String> parentArgs(Map<String, Object> in) {
            return List.of("link", (String) in.get("parent"));
        }

        @Override
        List<String> kindArgs(Map<String, Object> in) {
            List<String> a = new ArrayList<>();
            if (in.containsKey("mode")) {
                a.addAll(List.of("mode", (String) in.get("mode")));
            }
            if (in.containsKey("macvlanFlags")) {
                a.add("nopromisc");
            }
            return a;
        }

        @Override
        void createWithTools(String ns, Map<String, Object> in) throws Exception {
            parent(ns, in);
            super.createWithTools(ns, in);
        }

        @Override
        Map<String, String> kindFromTools(String ns, Map<?, ?> link, Map<String, Object> in) {
            Map<?, ?> d = infoData(link);
            Map<String, String> out = new LinkedHashMap<>();
            out.put("parent", str(link, "link"));
            out.put("mode", str(d, "mode"));
            out.put("macvlanFlags", Integer.toString(("true".equals(flag(d, "nopromisc")) ? 1 : 0)
                    | ("true".equals(flag(d, "nodst")) ? 2 : 0)));
            return out;
        }

        @Override
        Map<String, String> kindFromLibrary(Netlink nl, Link l, Map<String, Object> in) {
            Macvlan m = (Macvlan) l;
            Map<String, String> out = new LinkedHashMap<>();
            out.put("parent", canon(m.parent()));
            out.put("mode", canon(m.mode()));
            out.put("macvlanFlags", canon(m.macvlanFlags()));
            return out;
        }

        @Override
        void delete(String ns, Map<String, Object> in) throws Exception {
            super.delete(ns, in);
            Oracle.exec("ip", "-n", ns, "link", "del", "dev", (String) in.get("parent"));
        }
    }

    /** A veth pair in one namespace, with the peer's address and mtu. */
    static final class VethFamily extends LinkConformance {
        private static final String MASTER = "mb0";

        @Override
        void prepare(String ns) throws Exception {
            bridgeUp(ns, MASTER);
        }

        @Override
        String kind() {
            return "veth";
        }

        @Override
        Map<String, Object> generate(Random r, int n) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("name", linkName(r, n));
            common(r, in, 68, 65535);
            if (chance(r, 0.3)) {
                in.put("master", MASTER);
            }
            in.put("peer", in.get("name") + "p");
            if (chance(r, 0.5)) {
                in.put("peerAddress", mac(r));
            }
            if (chance(r, 0.5)) {
                in.put("peerMtu", between(r, 68, 65535));
            }
            return in;
        }

        @Override
        Link.Builder<?, ?> kindBuilder(Map<String, Object> in) {
            Veth.Builder b = Veth.builder().peer((String) in.get("peer")).peerMtu((Integer) in.get("peerMtu"));
            if (in.containsKey("peerAddress")) {
                b.peerAddress((String) in.get("peerAddress"));
            }
            return b;
        }

        @Override
        List<String> kindArgs(Map<String, Object> in) {
            List<String> a = new ArrayList<>(List.of("peer", "name", (String) in.get("peer")));
            if (in.containsKey("peerAddress")) {
                a.addAll(List.of("address", (String) in.get("peerAddress")));
            }
            if (in.containsKey("peerMtu")) {
                a.addAll(List.of("mtu", in.get("peerMtu").toString()));
            }
            return a;
        }

        @Override
        Map<String, String> kindFromTools(String ns, Map<?, ?> link, Map<String, Object> in) throws Exception {
            Map<String, String> out = new LinkedHashMap<>();
            out.put("peer", str(link, "link"));
            Map<?, ?> peer = LinkOracle.show(ns, (String) in.get("peer"));
            out.put("peerAddress", str(peer, "address"));
            out.put("peerMtu", str(peer, "mtu"));
            return out;
        }

        @Override
        Map<String, String> kindFromLibrary(Netlink nl, Link l, Map<String, Object> in) throws Exception {
            Veth v = (Veth) l;
            Map<String, String> out = new LinkedHashMap<>();
            out.put("peer", canon(v.peer()));
            Link peer = nl.links().get(v.peer());
            out.put("peerAddress", canon(peer.address()));
            out.put("peerMtu", canon(peer.mtu()));
            return out;
        }
    }
}
