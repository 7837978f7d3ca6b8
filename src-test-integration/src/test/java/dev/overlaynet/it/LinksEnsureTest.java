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
        Netlink nl = nss.netlink(ns);
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
            long before = nl.links().mutatingMessagesSent();
            assertThat(nl.links().ensure(vxlan(42))).isEqualTo(EnsureResult.UNCHANGED);
            assertThat(nl.links().mutatingMessagesSent()).isEqualTo(before);
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
}
