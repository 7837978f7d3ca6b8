package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The gateway design of OverlayHost: every host carries the same gateway
 * address, yet each container resolves it to its own host's bridge, gateway
 * ARP never leaves the host, and a host with a unique hostAddress reaches
 * containers elsewhere without teaching them a foreign gateway MAC.
 */
@ExtendWith(NetnsExtension.class)
class OverlayGatewayTest {

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void gatewayResolvesToOwnHostAndItsArpStaysLocal(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 3);
        OverlayCluster cl = OverlayCluster.build(sim, mode, 2, true);
        String[] brMac = new String[4];
        for (int i = 1; i <= 3; i++) {
            brMac[i] = linkMac(sim.hostName(i), "br0");
        }
        assertThat(new HashSet<>(List.of(brMac[1], brMac[2], brMac[3]))).as("distinct bridge MACs, else the check is vacuous").hasSize(3);

        // Cross-host traffic from every container, and from every host (via its hostAddress) to every remote container.
        List<String> failures = new ArrayList<>();
        for (OverlayCluster.Container a : cl.containers) {
            for (OverlayCluster.Container b : cl.containers) {
                if (a.host() != b.host() && !ping(mode, a.ns(), b.ip())) {
                    failures.add(a.ip() + " -> " + b.ip());
                }
            }
        }
        for (int i = 1; i <= 3; i++) {
            for (OverlayCluster.Container b : cl.containers) {
                if (b.host() != i && !ping(mode, sim.host(i), b.ip())) {
                    failures.add("host h" + i + " -> " + b.ip());
                }
            }
        }
        // Containers reach each other on-link; only traffic to the gateway itself (or beyond it) resolves it.
        for (OverlayCluster.Container a : cl.containers) {
            if (!Traffic.ping(a.ns(), OverlaySim.GATEWAY)) {
                failures.add(a.ip() + " -> gateway");
            }
        }
        assertThat(failures).as("unreachable").isEmpty();

        for (OverlayCluster.Container c : cl.containers) {
            assertThat(neighMac(c.ns().name(), OverlaySim.GATEWAY))
                    .as("gateway MAC seen by " + c.ip() + " on h" + c.host()).isEqualTo(brMac[c.host()]);
            for (int i = 1; i <= 3; i++) {
                if (i != c.host()) {
                    // The host's pings came from its own address, whose MAC is that host's bridge.
                    assertThat(neighMac(c.ns().name(), OverlaySim.hostAddress(i))).as("h" + i + " as seen by " + c.ip()).isEqualTo(brMac[i]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void arpForTheGatewayIsNotSeenOnOtherHosts(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 3);
        OverlayCluster cl = OverlayCluster.build(sim, mode, 1, false);
        // A fresh container that has sent nothing yet (IPv6 is off, so bringing eth0 up sends nothing).
        NetNs q = sim.container("q");
        ContainerSpec qs = ContainerSpec.builder().namespace(q).ip("10.233.1.99").build();
        cl.hosts[1].attach(qs);
        String qMac = qs.mac().toString().toLowerCase();

        assertThat(Traffic.ping(q, OverlaySim.GATEWAY)).as("q -> its gateway").isTrue();
        assertThat(neighMac(q.name(), OverlaySim.GATEWAY)).isEqualTo(linkMac(sim.hostName(1), "br0"));
        for (int i = 2; i <= 3; i++) {
            // A frame from q arriving over vxlan0 (the ARP broadcast would) is learned by the remote bridge.
            assertThat(fdbMacs(sim.hostName(i))).as("h" + i + " learned q's MAC: its gateway ARP crossed").doesNotContain(qMac);
        }

        // Control: traffic that does cross is seen by that oracle, so the check above can fail.
        OverlayCluster.Container onH2 = cl.on(2).get(0);
        assertThat(ping(mode, q, onH2.ip())).as("q -> " + onH2.ip()).isTrue();
        assertThat(fdbMacs(sim.hostName(2))).as("h2 learns q's MAC from crossing traffic").contains(qMac);
    }

    /** Multicast: one retry for the flood-and-learn warm-up; unicast: one try. */
    private static boolean ping(Overlay.Mode mode, NetNs from, String ip) throws Exception {
        return mode == Overlay.Mode.MULTICAST ? Traffic.pingWithWarmup(from, ip) : Traffic.ping(from, ip);
    }

    static String linkMac(String ns, String dev) throws Exception {
        Object j = Oracle.json("ip", "-n", ns, "-j", "link", "show", "dev", dev);
        return ((String) ((Map<?, ?>) ((List<?>) j).get(0)).get("address")).toLowerCase();
    }

    static String neighMac(String ns, String ip) throws Exception {
        List<?> j = (List<?>) Oracle.json("ip", "-n", ns, "-j", "-4", "neigh", "show", ip);
        assertThat(j).as("neighbour " + ip + " in " + ns + "; all: " + Oracle.run("ip", "-n", ns, "neigh")
                + Oracle.run("ip", "-n", ns, "route")).hasSize(1);
        Object mac = ((Map<?, ?>) j.get(0)).get("lladdr");
        return mac == null ? null : ((String) mac).toLowerCase();
    }

    /** Every MAC in the namespace's bridge and vxlan FDBs. */
    static Set<String> fdbMacs(String ns) throws Exception {
        Set<String> out = new HashSet<>();
        for (Object o : (List<?>) Oracle.json("bridge", "-n", ns, "-j", "fdb", "show")) {
            out.add(((String) ((Map<?, ?>) o).get("mac")).toLowerCase());
        }
        return out;
    }
}
