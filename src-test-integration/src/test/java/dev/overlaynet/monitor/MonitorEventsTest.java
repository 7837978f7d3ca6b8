package dev.overlaynet.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Address;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Ip;
import dev.overlaynet.Link;
import dev.overlaynet.MacAddress;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.MonitorTopic;
import dev.overlaynet.NatRule;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.Route;
import dev.overlaynet.Subscription;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every event type decoded from changes made by {@code ip}, {@code bridge}
 * and {@code nft}, compared field by field with what the tools print; then
 * filters and per-object ordering. Values are random with a printed seed
 * ({@code -Doverlaynet.monitor.seed}).
 */
@ExtendWith(NetnsExtension.class)
class MonitorEventsTest {
    private static long seed;
    private Random rnd;

    @BeforeAll
    static void seed() {
        seed = Long.getLong("overlaynet.monitor.seed", System.nanoTime());
        System.out.println("MonitorEventsTest seed " + seed);
    }

    private Random rnd() {
        if (rnd == null) {
            rnd = new Random(seed);
        }
        return rnd;
    }

    private static String ns(TestNamespaces nss, NetNs ns) {
        return nss.nameOf(ns);
    }

    private static String ip(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        return Oracle.run(cmd.toArray(new String[0]));
    }

    private static String bridge(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bridge", "-n", ns));
        cmd.addAll(List.of(args));
        return Oracle.run(cmd.toArray(new String[0]));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> json(String... cmd) throws Exception {
        String out = Oracle.run(cmd).strip();
        return out.isEmpty() ? List.of() : (List<Map<String, Object>>) Json.parse(out);
    }

    private static Map<String, Object> only(List<Map<String, Object>> l) {
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private String mac() {
        byte[] b = new byte[6];
        rnd().nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfe) | 0x02);
        return MacAddress.of(b).toString();
    }

    private String v4(int first) {
        return first + "." + rnd().nextInt(256) + "." + rnd().nextInt(256) + "." + (1 + rnd().nextInt(250));
    }

    @Test
    void linksAddedChangedRemovedMatchIpLink(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("l");
        String n = ns(nss, netns);
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().links().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            int vni = 1 + rnd().nextInt(16_000_000);
            int port = 1024 + rnd().nextInt(60_000);
            int mtu = 1280 + rnd().nextInt(200);
            String mac = mac();
            ip(n, "link", "add", "vxm0", "address", mac, "mtu", Integer.toString(mtu), "type", "vxlan", "id",
                    Integer.toString(vni), "dstport", Integer.toString(port), "nolearning");
            MonitorEvent added = ev.await("vxm0 added", e -> e.type() == MonitorEvent.Type.ADDED
                    && "vxm0".equals(((Link) e.value()).name()));
            Vxlan vx = added.value(Vxlan.class);
            Map<String, Object> shown = only(json("ip", "-n", n, "-d", "-j", "link", "show", "vxm0"));
            assertThat(vx.index()).isEqualTo(((Number) shown.get("ifindex")).intValue());
            assertThat(vx.mtu()).isEqualTo(((Number) shown.get("mtu")).intValue()).isEqualTo(mtu);
            assertThat(vx.address().toString()).isEqualTo(shown.get("address")).isEqualTo(mac);
            Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) shown.get("linkinfo")).get("info_data");
            assertThat(vx.vni()).isEqualTo(((Number) data.get("id")).intValue()).isEqualTo(vni);
            assertThat(vx.dstPort()).isEqualTo(((Number) data.get("port")).intValue()).isEqualTo(port);
            assertThat(added.topic()).isEqualTo(MonitorTopic.LINK);

            ip(n, "link", "set", "vxm0", "name", "vxm1");
            MonitorEvent renamed = ev.await("renamed", e -> e.type() == MonitorEvent.Type.CHANGED
                    && "vxm1".equals(((Link) e.value()).name()));
            assertThat(((Link) renamed.previous()).name()).isEqualTo("vxm0");
            assertThat(((Link) renamed.value()).index()).isEqualTo(vx.index());

            ip(n, "link", "del", "vxm1");
            MonitorEvent removed = ev.await("removed", e -> e.type() == MonitorEvent.Type.REMOVED);
            assertThat(((Link) removed.value()).name()).isEqualTo("vxm1");
            assertThat(((Link) removed.value()).index()).isEqualTo(vx.index());
        }
    }

    @Test
    void addressesAndRoutesMatchIp(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("a");
        String n = ns(nss, netns);
        ip(n, "link", "add", "br0", "type", "bridge");
        ip(n, "link", "set", "br0", "up");
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().addresses().routes().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            int len = 16 + rnd().nextInt(9);
            String local = v4(10);
            ip(n, "addr", "add", local + "/" + len, "dev", "br0");
            MonitorEvent a = ev.await("address", e -> e.topic() == MonitorTopic.ADDRESS
                    && e.type() == MonitorEvent.Type.ADDED);
            Address addr = a.value(Address.class);
            Map<?, ?> info = (Map<?, ?>) ((List<?>) only(json("ip", "-n", n, "-j", "addr", "show", "dev", "br0"))
                    .get("addr_info")).stream().filter(o -> "inet".equals(((Map<?, ?>) o).get("family")))
                    .findFirst().orElseThrow();
            assertThat(Ip.text(addr.local())).isEqualTo(info.get("local")).isEqualTo(local);
            assertThat(addr.prefix().length()).isEqualTo(((Number) info.get("prefixlen")).intValue()).isEqualTo(len);
            assertThat(addr.link()).isEqualTo("br0");
            assertThat(addr.scope().toString().toLowerCase()).isEqualTo(info.get("scope"));

            String via = local;
            String dst = v4(172) .replaceAll("\\.\\d+$", ".0") + "/24";
            long metric = 1 + rnd().nextInt(1000);
            ip(n, "route", "add", dst, "via", via, "dev", "br0", "metric", Long.toString(metric));
            MonitorEvent r = ev.await("route", e -> e.topic() == MonitorTopic.ROUTE
                    && e.type() == MonitorEvent.Type.ADDED && ((Route) e.value()).metric() != null
                    && ((Route) e.value()).metric() == metric);
            Route route = r.value(Route.class);
            Map<String, Object> rs = only(json("ip", "-n", n, "-j", "route", "show", "metric", Long.toString(metric)));
            assertThat(route.dst().toString()).isEqualTo(rs.get("dst")).isEqualTo(dst);
            assertThat(Ip.text(route.via())).isEqualTo(rs.get("gateway"));
            assertThat(route.dev()).isEqualTo(rs.get("dev"));

            ip(n, "route", "del", dst, "via", via, "dev", "br0", "metric", Long.toString(metric));
            MonitorEvent rr = ev.await("route removed", e -> e.topic() == MonitorTopic.ROUTE
                    && e.type() == MonitorEvent.Type.REMOVED);
            assertThat(rr.value()).isEqualTo(route);
            ip(n, "addr", "del", local + "/" + len, "dev", "br0");
            MonitorEvent ar = ev.await("address removed", e -> e.topic() == MonitorTopic.ADDRESS
                    && e.type() == MonitorEvent.Type.REMOVED && Ip.text(((Address) e.value()).local()).equals(local));
            assertThat(((Address) ar.value()).prefix()).isEqualTo(addr.prefix());
        }
    }

    @Test
    void neighboursAndFdbMatchIpAndBridge(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("n");
        String n = ns(nss, netns);
        ip(n, "link", "add", "br0", "type", "bridge");
        ip(n, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning");
        ip(n, "link", "add", "vb0", "type", "veth", "peer", "name", "vb1");
        ip(n, "link", "set", "vb0", "master", "br0");
        for (String d : new String[] {"br0", "vx0", "vb0", "vb1"}) {
            ip(n, "link", "set", d, "up");
        }
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().neighbours().fdb().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            String nip = v4(10);
            String mac1 = mac();
            ip(n, "neigh", "add", nip, "lladdr", mac1, "dev", "br0", "nud", "permanent");
            Neighbour added = ev.await("neigh", e -> e.topic() == MonitorTopic.NEIGH && e.type() == MonitorEvent.Type.ADDED
                    && Ip.text(((Neighbour) e.value()).ip()).equals(nip)).value(Neighbour.class);
            Map<String, Object> shown = only(json("ip", "-n", n, "-j", "neigh", "show", nip));
            assertThat(added.dev()).isEqualTo(shown.get("dev"));
            assertThat(added.lladdr().toString()).isEqualTo(shown.get("lladdr")).isEqualTo(mac1);
            assertThat(added.state()).containsExactly(NeighbourState.PERMANENT);
            assertThat(shown.get("state")).isEqualTo(List.of("PERMANENT"));

            String mac2 = mac();
            ip(n, "neigh", "replace", nip, "lladdr", mac2, "dev", "br0", "nud", "stale");
            MonitorEvent changed = ev.await("neigh changed", e -> e.topic() == MonitorTopic.NEIGH
                    && e.type() == MonitorEvent.Type.CHANGED);
            assertThat(changed.value(Neighbour.class).lladdr().toString()).isEqualTo(mac2);
            assertThat(changed.value(Neighbour.class).state()).containsExactly(NeighbourState.STALE);
            assertThat(changed.previous()).isEqualTo(added);
            ip(n, "neigh", "del", nip, "dev", "br0");
            MonitorEvent gone = ev.await("neigh removed", e -> e.topic() == MonitorTopic.NEIGH
                    && e.type() == MonitorEvent.Type.REMOVED);
            assertThat(Ip.text(gone.value(Neighbour.class).ip())).isEqualTo(nip);

            String fmac = mac();
            String remote = v4(172);
            bridge(n, "fdb", "add", fmac, "dev", "vx0", "dst", remote, "self", "permanent");
            FdbEntry f = ev.await("fdb", e -> e.topic() == MonitorTopic.FDB && e.type() == MonitorEvent.Type.ADDED
                    && ((FdbEntry) e.value()).mac().toString().equals(fmac)).value(FdbEntry.class);
            Map<String, Object> fs = only(json("bridge", "-n", n, "-j", "fdb", "show").stream()
                    .filter(o -> fmac.equals(o.get("mac"))).toList());
            assertThat(f.dev()).isEqualTo(fs.get("ifname")).isEqualTo("vx0");
            assertThat(Ip.text(f.dst())).isEqualTo(fs.get("dst")).isEqualTo(remote);
            assertThat(f.state()).isEqualTo(FdbEntryState.PERMANENT);
            assertThat(fs.get("state")).isEqualTo("permanent");

            String pmac = mac();
            bridge(n, "fdb", "add", pmac, "dev", "vb0", "master", "static");
            FdbEntry p = ev.await("port fdb", e -> e.topic() == MonitorTopic.FDB && e.type() == MonitorEvent.Type.ADDED
                    && ((FdbEntry) e.value()).mac().toString().equals(pmac)).value(FdbEntry.class);
            Map<String, Object> ps = only(json("bridge", "-n", n, "-j", "fdb", "show").stream()
                    .filter(o -> pmac.equals(o.get("mac"))).toList());
            assertThat(p.dev()).isEqualTo(ps.get("ifname"));
            assertThat(p.vlan()).isNull();
            assertThat(ps.get("vlan")).isNull();
            assertThat(p.state()).isEqualTo(FdbEntryState.STATIC);
            assertThat(ps.get("state")).isEqualTo("static");
            assertThat(ps.get("master")).isEqualTo("br0");
            assertThat(p.master()).isEqualTo(nl.ifindex("br0"));

            bridge(n, "fdb", "del", fmac, "dev", "vx0", "dst", remote, "self");
            MonitorEvent fg = ev.await("fdb removed", e -> e.topic() == MonitorTopic.FDB
                    && e.type() == MonitorEvent.Type.REMOVED);
            assertThat(fg.value()).isEqualTo(f);
        }
    }

    @Test
    void natRulesMatchNft(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("t");
        String n = ns(nss, netns);
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().natRules().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            int third = rnd().nextInt(256);
            String cidr = "10." + third + ".0.0/16";
            Oracle.run("ip", "netns", "exec", n, "nft", "add", "table", "ip", "mon");
            Oracle.run("ip", "netns", "exec", n, "nft", "add", "chain", "ip", "mon", "postrouting",
                    "{ type nat hook postrouting priority 100 ; }");
            Oracle.run("ip", "netns", "exec", n, "nft", "add", "rule", "ip", "mon", "postrouting", "ip", "saddr", cidr,
                    "ip", "daddr", "!=", cidr, "masquerade", "comment", "\"tag-" + third + "\"");
            OwnedRule r = ev.await("rule", e -> e.topic() == MonitorTopic.NAT_RULE
                    && e.type() == MonitorEvent.Type.ADDED).value(OwnedRule.class);
            // nft -j prints {"nftables": [ {metainfo}, {table}, {chain}, {rule} ]}
            Object top = Json.parse(Oracle.run("ip", "netns", "exec", n, "nft", "-j", "-a", "list", "ruleset"));
            Map<?, ?> jr = ((List<?>) ((Map<?, ?>) top).get("nftables")).stream().map(o -> (Map<?, ?>) o)
                    .filter(o -> o.containsKey("rule")).map(o -> (Map<?, ?>) o.get("rule")).findFirst().orElseThrow();
            assertThat(r.table()).isEqualTo(jr.get("table")).isEqualTo("mon");
            assertThat(r.chain()).isEqualTo(jr.get("chain")).isEqualTo("postrouting");
            assertThat(r.handle()).isEqualTo(((Number) jr.get("handle")).longValue());
            assertThat(r.tag()).isEqualTo(jr.get("comment")).isEqualTo("tag-" + third);
            assertThat(r.natRule()).isPresent();
            assertThat(r.natRule().get().kind()).isEqualTo(NatRule.Kind.MASQUERADE);
            assertThat(r.natRule().get().source().toString()).isEqualTo(cidr);

            Oracle.run("ip", "netns", "exec", n, "nft", "delete", "rule", "ip", "mon", "postrouting", "handle",
                    Long.toString(r.handle()));
            MonitorEvent gone = ev.await("rule removed", e -> e.topic() == MonitorTopic.NAT_RULE
                    && e.type() == MonitorEvent.Type.REMOVED);
            assertThat(gone.value()).isEqualTo(r);
        }
    }

    @Test
    void filtersByLinkKindAndFamily(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("f");
        String n = ns(nss, netns);
        ip(n, "link", "add", "br0", "type", "bridge");
        ip(n, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning");
        ip(n, "link", "set", "br0", "up");
        ip(n, "link", "set", "vx0", "up");
        Netlink nl = nss.netlink(netns);
        try (Subscription byLink = nl.monitor().neighbours().link("br0").subscribe();
             Subscription byKind = nl.monitor().neighbours().fdb().kind("vxlan").subscribe();
             Subscription byFamily = nl.monitor().neighbours().family(AddressFamily.AF_INET6).subscribe()) {
            Events l = new Events(byLink);
            Events k = new Events(byKind);
            Events f = new Events(byFamily);
            l.awaitSynced();
            k.awaitSynced();
            f.awaitSynced();
            ip(n, "neigh", "add", "10.1.0.1", "lladdr", mac(), "dev", "vx0", "nud", "permanent");
            ip(n, "neigh", "add", "fd00::1", "lladdr", mac(), "dev", "vx0", "nud", "permanent");
            ip(n, "neigh", "add", "10.1.0.2", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            bridge(n, "fdb", "add", mac(), "dev", "vx0", "dst", "172.16.0.9", "self", "permanent");
            ip(n, "neigh", "add", "fd00::2", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            // the last change is seen by all three: everything before it has been delivered
            MonitorEvent last = l.await("fd00::2", e -> isNeigh(e, "fd00::2"));
            f.await("fd00::2", e -> isNeigh(e, "fd00::2"));
            ip(n, "neigh", "add", "10.1.0.3", "lladdr", mac(), "dev", "vx0", "nud", "permanent");
            k.await("10.1.0.3", e -> isNeigh(e, "10.1.0.3"));
            assertThat(last.value(Neighbour.class).dev()).isEqualTo("br0");
            assertThat(names(l.seen)).containsExactly("10.1.0.2", "fd00::2");
            assertThat(names(f.seen)).containsExactly("fd00::1", "fd00::2");
            assertThat(names(k.seen)).containsExactly("10.1.0.1", "fd00::1", "fdb vx0", "10.1.0.3");
        }
    }

    private static boolean isNeigh(MonitorEvent e, String ip) {
        return e.type() == MonitorEvent.Type.ADDED && e.value() instanceof Neighbour nb && Ip.text(nb.ip()).equals(ip);
    }

    private static List<String> names(List<MonitorEvent> seen) {
        List<String> out = new ArrayList<>();
        for (MonitorEvent e : seen) {
            if (e.type() != MonitorEvent.Type.ADDED || e.synthetic()) {
                continue;
            }
            if (e.value() instanceof Neighbour nb) {
                out.add(Ip.text(nb.ip()));
            } else if (e.value() instanceof FdbEntry fd) {
                out.add("fdb " + fd.dev());
            }
        }
        return out;
    }

    @Test
    void aResyncOfAnUnchangedNamespaceDeliversNoChange(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("u");
        // No IPv6: bringing br0 up would make the kernel join MLD groups and create NOARP
        // multicast neighbours (ff02::16) silently, without a notification, at a moment
        // of its choosing; the namespace would not be unchanged, and a resync rightly says so.
        netns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        netns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        String n = ns(nss, netns);
        ip(n, "link", "add", "br0", "type", "bridge"); // its timers tick in every dump
        ip(n, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789");
        ip(n, "link", "set", "br0", "up");
        ip(n, "addr", "add", "10.4.0.1/24", "dev", "br0");
        ip(n, "neigh", "add", "10.4.0.2", "lladdr", mac(), "dev", "br0", "nud", "permanent");
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().all().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            for (int i = 0; i < 3; i++) {
                ev.seen.clear();
                s.resync();
                MonitorEvent synced = ev.await("resync " + i, e -> e.type() == MonitorEvent.Type.SYNCED);
                assertThat(synced.resync().reason()).isEqualTo(dev.overlaynet.Resync.Reason.REQUESTED);
                assertThat(ev.seen).as("resync %d", i).containsExactly(synced);
                assertThat(synced.resync().changed() + synced.resync().added() + synced.resync().removed()).isZero();
            }
        }
    }

    @Test
    void allNamespacesTagsEventsOfOtherNamespacesWithTheirNsid(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("wa");
        NetNs b = nss.create("wb");
        String na = ns(nss, a);
        String nb = ns(nss, b);
        int nsid = 1 + rnd().nextInt(1000);
        ip(na, "netns", "set", nb, Integer.toString(nsid)); // b has an id in a
        ip(na, "link", "add", "br0", "type", "bridge");
        ip(nb, "link", "add", "br0", "type", "bridge");
        Netlink nl = nss.netlink(a);
        try (Subscription s = nl.monitor().neighbours().allNamespaces(true).subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            ip(nb, "neigh", "add", "10.5.0.2", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            ip(na, "neigh", "add", "10.5.0.1", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            MonitorEvent own = ev.await("own", e -> isNeigh(e, "10.5.0.1"));
            MonitorEvent other = ev.seen.stream().filter(e -> isNeigh(e, "10.5.0.2")).findFirst()
                    .orElseGet(() -> {
                        try {
                            return ev.await("other", e -> isNeigh(e, "10.5.0.2"));
                        } catch (InterruptedException x) {
                            throw new AssertionError(x);
                        }
                    });
            assertThat(own.nsid()).isNull();
            assertThat(other.nsid()).isEqualTo(nsid);
            assertThat(other.value(Neighbour.class).index()).isEqualTo(
                    ((Number) only(json("ip", "-n", nb, "-j", "link", "show", "br0")).get("ifindex")).intValue());
            ip(nb, "neigh", "del", "10.5.0.2", "dev", "br0");
            MonitorEvent gone = ev.await("other removed", e -> e.type() == MonitorEvent.Type.REMOVED
                    && e.value() instanceof Neighbour x && Ip.text(x.ip()).equals("10.5.0.2"));
            assertThat(gone.nsid()).isEqualTo(nsid);
        }
        try (Subscription s = nl.monitor().neighbours().subscribe()) { // without the option: none of b's
            Events ev = new Events(s);
            ev.awaitSynced();
            ip(nb, "neigh", "add", "10.5.0.3", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            ip(na, "neigh", "add", "10.5.0.4", "lladdr", mac(), "dev", "br0", "nud", "permanent");
            ev.await("own", e -> isNeigh(e, "10.5.0.4"));
            assertThat(ev.seen).noneMatch(e -> isNeigh(e, "10.5.0.3"));
        }
    }

    @Test
    void eventsOfOneObjectArriveInOrder(TestNamespaces nss) throws Exception {
        NetNs netns = nss.create("o");
        String n = ns(nss, netns);
        ip(n, "link", "add", "br0", "type", "bridge");
        ip(n, "link", "set", "br0", "up");
        Netlink nl = nss.netlink(netns);
        try (Subscription s = nl.monitor().neighbours().subscribe()) {
            Events ev = new Events(s);
            ev.awaitSynced();
            StringBuilder batch = new StringBuilder();
            int changes = 500;
            for (int i = 0; i < changes; i++) {
                batch.append("neigh replace 10.7.0.1 lladdr 02:00:00:00:")
                        .append(String.format("%02x:%02x", i >> 8, i & 0xff)).append(" dev br0 nud permanent\n");
                batch.append("neigh replace 10.7.0.2 lladdr 02:00:00:01:")
                        .append(String.format("%02x:%02x", i >> 8, i & 0xff)).append(" dev br0 nud permanent\n");
            }
            java.nio.file.Path file = java.nio.file.Files.createTempFile("order", ".batch");
            try {
                java.nio.file.Files.writeString(file, batch);
                ip(n, "-batch", file.toString());
            } finally {
                java.nio.file.Files.delete(file);
            }
            int lastMac = changes - 1;
            ev.await("last change of 10.7.0.1", e -> lladdrOf(e, "10.7.0.1") == lastMac);
            ev.await("last change of 10.7.0.2", e -> lladdrOf(e, "10.7.0.2") == lastMac);
            for (String ip : new String[] {"10.7.0.1", "10.7.0.2"}) {
                List<Integer> seq = ev.seen.stream().map(e -> lladdrOf(e, ip)).filter(x -> x >= 0).toList();
                assertThat(seq).as("changes of %s", ip).isSorted().doesNotHaveDuplicates().hasSize(changes);
            }
            assertThat(s.overruns()).isZero();
        }
    }

    private static int lladdrOf(MonitorEvent e, String ip) {
        if (e.value() instanceof Neighbour nb && Ip.text(nb.ip()).equals(ip) && e.type() != MonitorEvent.Type.REMOVED) {
            byte[] b = nb.lladdr().toByteArray();
            return ((b[4] & 0xff) << 8) | (b[5] & 0xff);
        }
        return -1;
    }
}
