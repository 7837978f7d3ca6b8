package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.AttachedContainer;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What must survive a restart of the program (a new OverlayHost on the same
 * kernel state) and an out-of-band repair lives in the kernel: the four
 * failures found by trying the library as a new user would, as regression tests.
 */
@ExtendWith(NetnsExtension.class)
class OverlayRestartTest {

    /** The ip_forward record survives a repair of a vxlan deleted by hand (it is on the bridge too). */
    @Test
    void leaveAfterARepairedVxlanRestoresIpForward(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        Map<String, Object> before = Snapshot.host(sim.hostName(1));
        assertThat(before.get("ip_forward")).isEqualTo("0");
        Overlay o = OverlaySim.overlay(Overlay.Mode.UNICAST);
        OverlayHost h = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        HostFixture.ipIn(sim.hostName(1), "link", "del", o.vxlanName());
        h.reapply();
        assertThat(HostFixture.ipIn(sim.hostName(1), "link", "show", o.vxlanName())).contains(o.vxlanName());
        h.leave();
        assertThat(Snapshot.diff(before, Snapshot.host(sim.hostName(1)))).as("host after leave").isEmpty();
    }

    /** After a restart that attaches the same containers again, leave puts their lo back down. */
    @Test
    void leaveAfterARestartAndReattachRestoresTheContainersLoopback(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        NetNs c = sim.container("c");
        Map<String, Object> host = Snapshot.host(sim.hostName(1));
        Map<String, Object> container = Snapshot.container(c.name());
        Overlay o = OverlaySim.overlay(Overlay.Mode.UNICAST);
        ContainerSpec cs = ContainerSpec.builder().namespace(c).ip("10.233.1.2").build();
        OverlayHost first = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        first.attach(cs);
        // "Restart": the first object is forgotten, a new one joins and attaches the same container.
        OverlayHost second = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        second.attach(cs);
        second.leave();
        assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).as("container after leave").isEmpty();
        assertThat(Snapshot.diff(host, Snapshot.host(sim.hostName(1)))).as("host after leave").isEmpty();
    }

    /** After a restart that only joins, leave still removes the containers (found by their link group). */
    @Test
    void leaveAfterARestartThatOnlyJoinsRemovesTheContainers(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        NetNs c = sim.container("c");
        NetNs d = sim.container("d");
        Map<String, Object> host = Snapshot.host(sim.hostName(1));
        Map<String, Object> containerC = Snapshot.container(c.name());
        Map<String, Object> containerD = Snapshot.container(d.name());
        Overlay o = OverlaySim.overlay(Overlay.Mode.UNICAST);
        OverlayHost first = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        Endpoint ec = first.attach(ContainerSpec.builder().namespace(c).ip("10.233.1.2").build());
        first.attach(ContainerSpec.builder().namespace(d).ip("10.233.1.3").build());
        OverlayHost second = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        assertThat(second.attachedInKernel()).extracting(AttachedContainer::ip)
                .containsExactlyInAnyOrder(ec.ip(), dev.overlaynet.Ip.parse("10.233.1.3"));
        assertThat(second.attachedInKernel()).extracting(AttachedContainer::namespace)
                .containsExactlyInAnyOrder(c.name(), d.name());
        second.leave();
        assertThat(Snapshot.diff(containerC, Snapshot.container(c.name()))).as("container c after leave").isEmpty();
        assertThat(Snapshot.diff(containerD, Snapshot.container(d.name()))).as("container d after leave").isEmpty();
        assertThat(Snapshot.diff(host, Snapshot.host(sim.hostName(1)))).as("host after leave").isEmpty();
    }
}
