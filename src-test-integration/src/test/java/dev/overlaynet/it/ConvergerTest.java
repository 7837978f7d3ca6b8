package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.agent.ConvergeReport;
import dev.overlaynet.agent.Converger;
import dev.overlaynet.agent.DesiredRemotes;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The converger against the kernel, checked with {@code bridge -j fdb} and
 * {@code ip -j neigh}: random desired states and random changes between
 * them, drift made with the tools, entries it does not own, and the cost of
 * a pass over a kernel that is already right.
 */
@ExtendWith(NetnsExtension.class)
class ConvergerTest {
    private static final Overlay OVERLAY = Overlay.builder().cidr("10.233.0.0/16").vni(42).dstPort(4789).unicast()
            .vxlanName("vx0").bridgeName("br0").build();

    @Test
    void randomDesiredStatesAreReachedExactlyAndASecondPassSendsNothing(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("converger.seed", 20261129L);
        System.out.println("ConvergerTest seed " + seed + " (-Dconverger.seed=" + seed + ")");
        Random r = new Random(seed);
        HostFixture h = HostFixture.create(nss, "cv");
        DesiredRemotes want = random(r, null);
        for (int round = 0; round < 6; round++) {
            ConvergeReport first = Converger.converge(h.nl, OVERLAY, want);
            assertThat(first.failed()).as("seed %d round %d", seed, round).isZero();
            assertKernelHolds(h, want, "seed " + seed + " round " + round);
            ConvergeReport second = Converger.converge(h.nl, OVERLAY, want);
            assertThat(second.unchanged()).as("seed %d round %d: second pass %s", seed, round, second).isTrue();
            want = random(r, want);
        }
        Converger.converge(h.nl, OVERLAY, DesiredRemotes.NONE);
        assertKernelHolds(h, DesiredRemotes.NONE, "seed " + seed + " after NONE");
    }

    @Test
    void driftMadeWithTheToolsIsRepairedAndForeignEntriesAreLeftAlone(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "cd");
        DesiredRemotes want = random(new Random(7), null);
        Converger.converge(h.nl, OVERLAY, want);
        Endpoint victim = want.endpoints().values().iterator().next();
        InetAddress peer = want.peers().iterator().next();
        h.bridge("fdb", "del", victim.mac().toString(), "dev", "vx0", "dst", Ip.text(victim.host()));
        h.ip("neigh", "del", Ip.text(victim.ip()), "dev", "br0");
        h.bridge("fdb", "del", "00:00:00:00:00:00", "dev", "vx0", "dst", Ip.text(peer));
        h.ip("neigh", "replace", "10.233.200.1", "lladdr", "02:00:00:00:c8:01", "dev", "br0", "nud", "permanent");
        h.bridge("fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "172.31.9.9");
        // Not ours: a learned-style neighbour and a master entry on the bridge.
        h.ip("neigh", "replace", "10.233.201.1", "lladdr", "02:00:00:00:c9:01", "dev", "br0", "nud", "reachable");
        h.bridge("fdb", "add", "02:00:00:00:c9:02", "dev", "vb0", "master", "static");

        ConvergeReport r = Converger.converge(h.nl, OVERLAY, want);
        assertThat(r.added()).isEqualTo(3);
        assertThat(r.removed()).isEqualTo(2);
        assertKernelHolds(h, want, "after drift");
        assertThat(h.ip("neigh", "show", "10.233.201.1", "dev", "br0")).contains("02:00:00:00:c9:01");
        assertThat(h.bridge("fdb", "show", "dev", "vb0")).contains("02:00:00:00:c9:02");
        assertThat(Converger.converge(h.nl, OVERLAY, want).unchanged()).isTrue();
    }

    @Test
    void tenThousandRemoteEndpointsConvergeInBulk(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "cb");
        Set<InetAddress> peers = new LinkedHashSet<>();
        for (int p = 0; p < 10; p++) {
            peers.add(Ip.parse("172.16.2." + (10 + p)));
        }
        List<InetAddress> peerList = new ArrayList<>(peers);
        Map<InetAddress, Endpoint> eps = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            InetAddress ip = Ip.parse("10.233." + (1 + i / 250) + "." + (1 + i % 250));
            eps.put(ip, new Endpoint(ip, mac(i), peerList.get(i % peerList.size())));
        }
        DesiredRemotes want = new DesiredRemotes(peers, eps);
        ConvergeReport first = Converger.converge(h.nl, OVERLAY, want);
        ConvergeReport again = Converger.converge(h.nl, OVERLAY, want);
        System.out.println("10,000 endpoints: first pass " + first + "; unchanged pass " + again);
        assertThat(first.added()).isEqualTo(10 + 2 * 10_000);
        assertThat(again.unchanged()).isTrue();
        assertThat(HostFixture.lines(h.bridge("fdb", "show", "dev", "vx0"))).isEqualTo(10 + 10_000);
        assertThat(HostFixture.lines(h.ip("neigh", "show", "dev", "br0", "nud", "permanent"))).isEqualTo(10_000);
    }

    private static MacAddress mac(int i) {
        return MacAddress.parse(String.format("0a:58:0a:%02x:%02x:%02x", (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff));
    }

    /** A random desired state; from {@code prev}, one with some peers and endpoints kept, moved or changed. */
    private static DesiredRemotes random(Random r, DesiredRemotes prev) {
        Set<InetAddress> peers = new LinkedHashSet<>();
        Map<InetAddress, Endpoint> eps = new LinkedHashMap<>();
        if (prev != null) {
            for (InetAddress p : prev.peers()) {
                if (r.nextInt(4) != 0) {
                    peers.add(p);
                }
            }
        }
        while (peers.size() < 2 + r.nextInt(5)) {
            peers.add(Ip.parse("172.16." + (1 + r.nextInt(3)) + "." + (2 + r.nextInt(250))));
        }
        List<InetAddress> peerList = new ArrayList<>(peers);
        if (prev != null) {
            for (Endpoint e : prev.endpoints().values()) {
                int k = r.nextInt(6);
                if (k == 0) {
                    continue; // withdrawn
                }
                InetAddress host = peers.contains(e.host()) && k != 1 ? e.host() : peerList.get(r.nextInt(peerList.size()));
                MacAddress mac = k == 2 ? mac(100_000 + r.nextInt(100_000)) : e.mac();
                eps.put(e.ip(), new Endpoint(e.ip(), mac, host));
            }
        }
        int more = 5 + r.nextInt(40);
        Set<MacAddress> macs = new HashSet<>();
        eps.values().forEach(e -> macs.add(e.mac()));
        for (int i = 0; i < more; i++) {
            InetAddress ip = Ip.parse("10.233." + r.nextInt(200) + "." + (2 + r.nextInt(250)));
            MacAddress mac = mac(r.nextInt(100_000));
            if (eps.containsKey(ip) || !macs.add(mac)) {
                continue;
            }
            eps.put(ip, new Endpoint(ip, mac, peerList.get(r.nextInt(peerList.size()))));
        }
        // One MAC per endpoint: drop any MAC reused after a change above.
        Map<MacAddress, InetAddress> byMac = new LinkedHashMap<>();
        eps.values().removeIf(e -> byMac.putIfAbsent(e.mac(), e.ip()) != null);
        return new DesiredRemotes(peers, eps);
    }

    private static void assertKernelHolds(HostFixture h, DesiredRemotes want, String what) throws Exception {
        Set<String> wantFdb = new TreeSet<>();
        want.peers().forEach(p -> wantFdb.add("00:00:00:00:00:00 " + Ip.text(p)));
        want.endpoints().values().forEach(e -> wantFdb.add(e.mac() + " " + Ip.text(e.host())));
        Set<String> gotFdb = new TreeSet<>();
        for (Map<String, Object> m : h.bridgeJson("fdb", "show", "dev", "vx0")) {
            if (m.containsKey("dst")) {
                gotFdb.add(m.get("mac") + " " + m.get("dst"));
            }
        }
        assertThat(gotFdb).as(what + ": bridge -j fdb show dev vx0").isEqualTo(wantFdb);
        Set<String> wantNeigh = new TreeSet<>();
        want.endpoints().values().forEach(e -> wantNeigh.add(Ip.text(e.ip()) + " " + e.mac()));
        Set<String> gotNeigh = new TreeSet<>();
        for (Map<String, Object> m : h.ipJson("neigh", "show", "dev", "br0", "nud", "permanent")) {
            gotNeigh.add(m.get("dst") + " " + m.get("lladdr"));
        }
        assertThat(gotNeigh).as(what + ": ip -j neigh show dev br0 nud permanent").isEqualTo(wantNeigh);
    }
}
