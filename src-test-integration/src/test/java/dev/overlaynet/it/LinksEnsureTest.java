package dev.overlaynet.it;

import static dev.overlaynet.it.LinkOracle.info;
import static dev.overlaynet.it.LinkOracle.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Netlink;
import dev.overlaynet.Recreate;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ensure() semantics against the kernel. "Sends nothing" is checked two
 * ways: the handle's own count of mutating messages stays the same, and
 * {@code ip monitor link} (the kernel's own notifications, an independent
 * observer) shows no event for the link between two marker events. The
 * monitor alone could miss a no-op changelink (the kernel does not notify
 * when nothing changed), hence the counter as well.
 */
@ExtendWith(NetnsExtension.class)
class LinksEnsureTest {

    private static Vxlan vxlan(int vni) {
        return Vxlan.builder().name("vxlan0").vni(vni).group("239.1.1.1").device("ul0").ttl(5).learning(false)
                .master("br0").build();
    }

    @Test
    void secondEnsureChangesNothing(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        ChangeCounter linkMessages = new ChangeCounter();
        Netlink nl = nss.closeLater(Netlink.builder().namespace(ns).listener(linkMessages).open());
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().add(Bridge.builder().name("mark0").build());
        assertThat(nl.links().ensure(vxlan(42))).isEqualTo(EnsureResult.CREATED);
        Object index = Json.path(show(n, "vxlan0"), "ifindex");

        Process mon = new ProcessBuilder("ip", "-n", n, "monitor", "link").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(mon.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process was destroyed
            }
        });
        pump.start();
        try {
            // The monitor subscribes asynchronously: repeat a marker change until it shows up.
            // (An MTU change notifies; an alias change does not on this kernel.)
            String first = null;
            for (int i = 0; i < 50 && first == null; i++) {
                nl.links().setMtu("mark0", 1300 + i);
                first = awaitLine(lines, "mark0: <BROADCAST,MULTICAST> mtu " + (1300 + i) + " ", 200);
            }
            assertThat(first).as("ip monitor never reported the marker").isNotNull();
            long before = linkMessages.linkChanges();
            assertThat(nl.links().ensure(vxlan(42))).isEqualTo(EnsureResult.UNCHANGED);
            assertThat(linkMessages.linkChanges()).isEqualTo(before);
            nl.links().setMtu("mark0", 1200);
            List<String> between = new ArrayList<>();
            assertThat(awaitLine(lines, "mark0: <BROADCAST,MULTICAST> mtu 1200 ", 30_000, between)).isNotNull();
            assertThat(between).noneMatch(l -> l.contains("vxlan0"));
        } finally {
            mon.destroy();
            mon.waitFor();
            pump.join();
        }
        assertThat(Json.path(show(n, "vxlan0"), "ifindex")).isEqualTo(index);
        assertThat(Json.path(show(n, "vxlan0"), "master")).isEqualTo("br0");
    }

    private static String awaitLine(BlockingQueue<String> q, String marker, long millis) throws InterruptedException {
        return awaitLine(q, marker, millis, new ArrayList<>());
    }

    /** The first line containing marker within the bound (a liveness bound, not a timing assertion), else null. */
    private static String awaitLine(BlockingQueue<String> q, String marker, long millis, List<String> seen)
            throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (;;) {
            long left = end - System.nanoTime();
            String line = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                return null;
            }
            if (line.contains(marker)) {
                return line;
            }
            seen.add(line);
        }
    }

    @Test
    void mutableDifferenceIsChangedInPlace(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().ensure(vxlan(42));
        Object index = Json.path(show(n, "vxlan0"), "ifindex");
        Vxlan changed = vxlan(42).toBuilder().ttl(9).learning(true).ageing(120).mtu(1400).up(true).build();
        assertThat(nl.links().ensure(changed)).isEqualTo(EnsureResult.CHANGED);
        assertThat(Json.path(show(n, "vxlan0"), "ifindex")).isEqualTo(index);
        assertThat(info(n, "vxlan0", "ttl")).isEqualTo(9L);
        assertThat(info(n, "vxlan0", "learning")).isEqualTo(true);
        assertThat(info(n, "vxlan0", "ageing")).isEqualTo(120L);
        assertThat(Json.path(show(n, "vxlan0"), "mtu")).isEqualTo(1400L);
        assertThat(Json.path(show(n, "vxlan0"), "flags").toString()).contains("UP");
        assertThat(nl.links().ensure(changed)).isEqualTo(EnsureResult.UNCHANGED);
    }

    @Test
    void immutableDifferenceNeedsRecreate(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().ensure(vxlan(42));
        assertThatThrownBy(() -> nl.links().ensure(vxlan(43)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("vxlan0: vni differs")
                .hasMessageContaining("vni is 42, want 43")
                .hasMessageContaining("Recreate.ALLOWED");
        assertThat(info(n, "vxlan0", "id")).isEqualTo(42L);

        assertThat(nl.links().ensure(vxlan(43), Recreate.ALLOWED)).isEqualTo(EnsureResult.RECREATED);
        assertThat(info(n, "vxlan0", "id")).isEqualTo(43L);
        assertThat(Json.path(show(n, "vxlan0"), "master")).isEqualTo("br0");

        // a different kind under the same name is also not changeable in place
        assertThatThrownBy(() -> nl.links().ensure(Bridge.builder().name("vxlan0").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kind");
    }

    /**
     * reliability-anchors §7.16 (the kernel selftest test_vxlan_fdb_changelink
     * idea): a VNI change recreates the vxlan, and what lived on it comes back.
     * The device is set up with iproute2 (master, up, an address, a permanent
     * neighbour, two flood remotes and a MAC entry); after the recreate,
     * {@code ip}/{@code bridge} show the same, apart from the VNI.
     */
    @Test
    void recreateKeepsMasterAddressesNeighboursAndFdb(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        for (String cmd : new String[] {
            "link add ul0 type bridge", "addr add 172.16.1.11/24 dev ul0", "link set ul0 up",
            "link add br0 type bridge", "link set br0 up",
            "link add vxlan0 address 0e:2a:00:00:00:01 type vxlan id 42 local 172.16.1.11 dev ul0 dstport 4789 nolearning",
            "link set vxlan0 master br0", "link set vxlan0 up",
            "addr add 10.1.0.1/24 dev vxlan0", "neigh add 10.1.0.2 lladdr 02:00:00:00:01:02 dev vxlan0 nud permanent"}) {
            dev.overlaynet.testkit.Oracle.run(("ip -n " + n + " " + cmd).split(" "));
        }
        for (String cmd : new String[] {
            "fdb append 00:00:00:00:00:00 dev vxlan0 dst 172.16.1.12",
            "fdb append 00:00:00:00:00:00 dev vxlan0 dst 172.16.1.13",
            "fdb add 02:00:00:00:01:02 dev vxlan0 dst 172.16.1.12"}) {
            dev.overlaynet.testkit.Oracle.run(("bridge -n " + n + " " + cmd).split(" "));
        }
        String before = state(n);
        assertThat(before).contains("dst 172.16.1.12", "dst 172.16.1.13", "10.1.0.1/24", "10.1.0.2", "master br0");

        Vxlan want = Vxlan.builder().name("vxlan0").vni(43).local("172.16.1.11").device("ul0").dstPort(4789)
                .learning(false).address(dev.overlaynet.MacAddress.parse("0e:2a:00:00:00:01")).build();
        assertThat(nl.links().ensure(want, Recreate.ALLOWED)).isEqualTo(EnsureResult.RECREATED);
        assertThat(info(n, "vxlan0", "id")).isEqualTo(43L);
        assertThat(state(n)).isEqualTo(before);
        assertThat(nl.links().ensure(want)).isEqualTo(EnsureResult.UNCHANGED);
    }

    /** What lives on vxlan0, as text without ifindexes, sorted: master/up, addresses, neighbours, FDB. */
    private static String state(String ns) throws Exception {
        List<String> lines = new ArrayList<>();
        String link = dev.overlaynet.testkit.Oracle.run("ip", "-n", ns, "-o", "link", "show", "vxlan0");
        lines.add(link.replaceAll("^\\d+: ", "").replaceAll("link/ether .*", "").strip());
        for (String l : dev.overlaynet.testkit.Oracle.run("ip", "-n", ns, "-o", "-4", "addr", "show", "dev", "vxlan0").split("\n")) {
            lines.add(l.replaceAll("^\\d+: ", "").replaceAll("valid_lft.*", "").strip());
        }
        lines.addAll(List.of(dev.overlaynet.testkit.Oracle.run("ip", "-n", ns, "neigh", "show", "dev", "vxlan0").split("\n")));
        lines.addAll(List.of(dev.overlaynet.testkit.Oracle.run("bridge", "-n", ns, "fdb", "show", "dev", "vxlan0").split("\n")));
        lines.replaceAll(String::strip);
        lines.removeIf(String::isEmpty);
        java.util.Collections.sort(lines);
        return String.join("\n", lines);
    }
}
