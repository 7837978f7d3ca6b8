package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.agent.AgentOptions;
import dev.overlaynet.agent.OverlayAgent;
import dev.overlaynet.directory.InMemoryDirectory;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three simulated hosts, each run by its own {@link OverlayAgent} in this JVM,
 * sharing an in-memory directory (the etcd directory with agent processes is
 * tested in the etcd module): containers attached anywhere reach each other,
 * drift is repaired, a crashed host's containers disappear from the others,
 * and leaving removes everything.
 */
@ExtendWith(NetnsExtension.class)
class AgentInMemoryTest {
    private static final Overlay OVERLAY = Overlay.builder().cidr("10.233.0.0/16").vni(42).dstPort(4789).unicast().build();

    @Test
    void agentsConvergeRepairDriftForgetCrashedHostsAndLeaveNothing(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 3);
        List<OverlayAgent> agents = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        List<NetNs> containers = new ArrayList<>();
        try (InMemoryDirectory dir = new InMemoryDirectory("it")) {
            for (int i = 1; i <= 3; i++) {
                agents.add(OverlayAgent.start(sim.handle(i), dir, OVERLAY,
                        HostSpec.builder().underlayDevice("eth1").localAddress(OverlaySim.underlayIp(i)).build(),
                        AgentOptions.builder().hostName("h" + i).resyncInterval(Duration.ofMinutes(10)).build()));
            }
            for (int i = 1; i <= 3; i++) {
                NetNs c = sim.container("c" + i);
                containers.add(c);
                endpoints.add(agents.get(i - 1).attach(c));
            }
            long rev = dir.view().revision();
            for (OverlayAgent a : agents) {
                assertThat(a.awaitRevision(rev, Duration.ofSeconds(10))).isTrue();
                assertThat(a.status().remotes()).isEqualTo(2);
                assertThat(a.status().peers()).isEqualTo(2);
            }
            for (int i = 0; i < 3; i++) {
                sim.awaitCarrier(containers.get(i).name(), "eth0");
            }
            List<String> failures = new ArrayList<>();
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    if (a != b && !Traffic.ping(containers.get(a), Ip.text(endpoints.get(b).ip()))) {
                        failures.add(Ip.text(endpoints.get(a).ip()) + " -> " + Ip.text(endpoints.get(b).ip()));
                    }
                }
            }
            assertThat(failures).as("unreachable pairs").isEmpty();

            // Drift: an FDB entry and a neighbour deleted by hand on h2 come back. The periodic
            // resync is 10 minutes away: it is the event monitor that makes the agent repair it.
            Endpoint e1 = endpoints.get(0);
            HostFixture.bridgeIn(sim.hostName(2), "fdb", "del", e1.mac().toString(), "dev", "vxlan0",
                    "dst", OverlaySim.underlayIp(1));
            HostFixture.ipIn(sim.hostName(2), "neigh", "del", Ip.text(e1.ip()), "dev", "br0");
            awaitOutput(sim.hostName(2), e1.mac().toString(), true, "bridge", "fdb", "show", "dev", "vxlan0");
            awaitOutput(sim.hostName(2), Ip.text(e1.ip()), true, "ip", "neigh", "show", "dev", "br0", "nud", "permanent");

            // A crash of h3 (its lease ends): h1 and h2 forget its container and its flood entry.
            agents.get(2).close();
            dir.expire("h3");
            Endpoint e3 = endpoints.get(2);
            for (int h = 1; h <= 2; h++) {
                awaitOutput(sim.hostName(h), e3.mac().toString(), false, "bridge", "fdb", "show", "dev", "vxlan0");
                awaitOutput(sim.hostName(h), OverlaySim.underlayIp(3), false, "bridge", "fdb", "show", "dev", "vxlan0");
            }
            // h3's kernel keeps its last state (no flush while the agent is down).
            assertThat(HostFixture.bridgeIn(sim.hostName(3), "fdb", "show", "dev", "vxlan0"))
                    .contains(endpoints.get(0).mac().toString());

            agents.get(0).leave();
            agents.get(1).leave();
            for (int h = 1; h <= 2; h++) {
                String links = HostFixture.ipIn(sim.hostName(h), "-o", "link", "show");
                assertThat(links).doesNotContain("vxlan0").doesNotContain("br0").doesNotContain("ov0a");
            }
            assertThat(dir.view().allocations().values()).containsOnly("h3");
        } finally {
            for (OverlayAgent a : agents) {
                a.close();
            }
        }
    }

    /** A restarted agent adopts the containers the kernel records, republishes them, and its leave removes them. */
    @Test
    void aRestartedAgentAdoptsItsContainersFromTheKernel(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        NetNs c = sim.container("c");
        java.util.Map<String, Object> host = Snapshot.host(sim.hostName(1));
        java.util.Map<String, Object> container = Snapshot.container(c.name());
        HostSpec spec = HostSpec.builder().underlayDevice("eth1").localAddress(OverlaySim.underlayIp(1)).build();
        AgentOptions opts = AgentOptions.builder().hostName("h1").build();
        try (InMemoryDirectory dir = new InMemoryDirectory("adopt")) {
            OverlayAgent first = OverlayAgent.start(sim.handle(1), dir, OVERLAY, spec, opts);
            Endpoint e = first.attach(c);
            first.close(); // a restart: the kernel keeps everything, the directory records stay
            try (OverlayAgent second = OverlayAgent.start(sim.handle(1), dir, OVERLAY, spec, opts)) {
                assertThat(second.status().localEndpoints()).isEqualTo(1);
                assertThat(dir.view().endpoints()).containsKey(e.ip());
                second.leave();
            }
            assertThat(dir.view().endpoints()).isEmpty();
            assertThat(dir.view().allocations()).isEmpty();
            assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).as("container after leave").isEmpty();
            assertThat(Snapshot.diff(host, Snapshot.host(sim.hostName(1)))).as("host after leave").isEmpty();
        }
    }

    private static void awaitOutput(String ns, String needle, boolean present, String... cmd) throws Exception {
        String[] withNs = new String[cmd.length + 2];
        withNs[0] = cmd[0];
        withNs[1] = "-n";
        withNs[2] = ns;
        System.arraycopy(cmd, 1, withNs, 3, cmd.length - 1);
        String out = "";
        for (int i = 0; i < 100; i++) {
            // Only lines the overlay owns: FDB entries with a destination, permanent neighbours
            // (the bridge also learns remote MACs on its vxlan port from traffic).
            out = dev.overlaynet.testkit.Oracle.run(withNs);
            boolean found = out.lines().anyMatch(l -> l.contains(needle) && (!cmd[0].equals("bridge") || l.contains(" dst ")));
            if (found == present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError((present ? "missing " : "still there: ") + needle + " in " + String.join(" ", withNs)
                + ":\n" + out);
    }
}
