package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * detach and leave undo everything: the host namespace (links, addresses,
 * routes, neighbours, FDB, nft ruleset, ip_forward) and the container
 * namespace (links, addresses, routes) read back exactly as before join.
 *
 * <p>Traffic is sent to the gateway and across hosts first. Cross-host VXLAN
 * traffic leaves ARP cache entries for the other hosts' underlay addresses
 * on eth1, which the kernel keeps by itself; {@link Snapshot} compares
 * configured neighbours only.
 */
@ExtendWith(NetnsExtension.class)
class OverlayCleanupTest {

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void detachAndLeaveRestoreEverything(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 2);
        NetNs c = sim.container("c");
        String h1 = sim.hostName(1);
        Map<String, Object> hostBefore = Snapshot.host(h1);
        Map<String, Object> containerBefore = Snapshot.container(c.name());
        assertThat(hostBefore.get("ip_forward")).isEqualTo("0");

        Overlay o = OverlaySim.overlay(mode);
        OverlayHost a = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true));
        OverlayHost b = OverlayHost.join(sim.handle(2), o, OverlaySim.hostSpec(2, true));
        ContainerSpec cs = ContainerSpec.builder().namespace(c).ip("10.233.1.2").build();
        Endpoint local = a.attach(cs);
        Endpoint remote = b.attach(ContainerSpec.builder().namespace(sim.container("d")).ip("10.233.2.2").build());
        if (mode == Overlay.Mode.UNICAST) {
            a.addPeer(OverlaySim.underlayIp(2));
            a.addRemote(remote);
            b.addPeer(OverlaySim.underlayIp(1));
            b.addRemote(local);
        }
        assertThat(Traffic.ping(c, OverlaySim.GATEWAY)).isTrue();
        // Multicast: one retry for the flood-and-learn warm-up.
        assertThat(mode == Overlay.Mode.MULTICAST ? Traffic.pingWithWarmup(c, "10.233.2.2") : Traffic.ping(c, "10.233.2.2")).isTrue();
        Map<String, Object> hostJoined = Snapshot.host(h1);
        for (String k : hostBefore.keySet()) {
            if (!k.equals("route") && !(k.equals("neigh") && mode == Overlay.Mode.MULTICAST)) {
                // The snapshot sees every kind of change join makes (else the equalities below prove nothing).
                assertThat(hostJoined.get(k)).as(k + " after join").isNotEqualTo(hostBefore.get(k));
            }
        }
        assertThat(hostJoined.get("route")).as("routes after join").isNotEqualTo(hostBefore.get("route"));

        a.detach(cs);
        assertThat(Snapshot.diff(containerBefore, Snapshot.container(c.name()))).as("container after detach").isEmpty();
        a.leave();
        assertThat(Snapshot.diff(hostBefore, Snapshot.host(h1))).as("host h1 after leave").isEmpty();
    }

    @Test
    void rejectedAttachSendsNothing(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(Overlay.Mode.MULTICAST), OverlaySim.hostSpec(1, true));
        NetNs c = sim.container("c");
        Map<String, Object> host = Snapshot.host(sim.hostName(1));
        Map<String, Object> container = Snapshot.container(c.name());
        long sent = sim.linkMessagesSent(1);
        for (String ip : new String[] {"10.234.1.2", OverlaySim.GATEWAY, OverlaySim.hostAddress(1)}) {
            ContainerSpec bad = ContainerSpec.builder().namespace(c).ip(ip).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.attach(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("container ip " + ip);
        }
        assertThat(sim.linkMessagesSent(1)).isEqualTo(sent);
        assertThat(Snapshot.diff(host, Snapshot.host(sim.hostName(1)))).isEmpty();
        assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).isEmpty();
        assertThat(h.localEndpoints()).isEmpty();
    }

    @Test
    void leaveKeepsWhatWasAlreadyOn(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        sim.handle(1).sysctls().ipForward(true);
        String h1 = sim.hostName(1);
        NetNs c = sim.container("c");
        nss.netlink(c).links().up("lo"); // as a container runtime would
        Map<String, Object> before = Snapshot.host(h1);
        Map<String, Object> containerBefore = Snapshot.container(c.name());
        assertThat(before.get("ip_forward")).isEqualTo("1");
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(Overlay.Mode.MULTICAST), OverlaySim.hostSpec(1, false));
        h.attach(ContainerSpec.builder().namespace(c).ip("10.233.1.2").build());
        h.leave(); // detaches c too
        assertThat(Snapshot.diff(containerBefore, Snapshot.container(c.name()))).as("lo stays up: attach did not bring it up").isEmpty();
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }

    /**
     * A second container ip in a namespace that already has one of this
     * overlay is refused before anything is sent (its default route would
     * clash, and a detach would take lo down under the other); the first
     * stays attached and working.
     */
    @Test
    void aSecondInterfaceInTheSameNamespaceIsRefusedUpFront(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        NetNs c = sim.container("c");
        String h1 = sim.hostName(1);
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(Overlay.Mode.UNICAST), OverlaySim.hostSpec(1, false));
        ContainerSpec first = ContainerSpec.builder().namespace(c).ip("10.233.1.2").build();
        ContainerSpec second = ContainerSpec.builder().namespace(c).ip("10.233.1.3").interfaceName("eth1").hostInterfaceName("vc2").build();
        h.attach(first);
        Map<String, Object> host = Snapshot.host(h1);
        Map<String, Object> container = Snapshot.container(c.name());
        long sent = sim.linkMessagesSent(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.attach(second))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has container ip 10.233.1.2");
        assertThat(sim.linkMessagesSent(1)).isEqualTo(sent);
        assertThat(Snapshot.diff(host, Snapshot.host(h1))).isEmpty();
        assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).isEmpty();
        assertThat(Traffic.ping(c, OverlaySim.GATEWAY)).isTrue();
        h.leave();
    }
}
