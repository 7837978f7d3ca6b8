package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code net.ipv4.ip_forward} is one setting per host shared by every overlay
 * on it: it stays on while any overlay remains, the last one to leave puts
 * back the value from before the first join, and a program that restarts and
 * rejoins still knows that value.
 */
@ExtendWith(NetnsExtension.class)
class OverlayForwardingTest {
    private static final Overlay A = OverlaySim.overlay(Overlay.Mode.UNICAST);
    private static final Overlay B = Overlay.builder().cidr("10.234.0.0/16").vni(43).dstPort(4789)
            .vxlanName("vxlan1").bridgeName("br1").unicast().build();

    private static String forwarding(String ns) throws Exception {
        return Oracle.run("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward").strip();
    }

    @Test
    void stayOnWhileAnyOverlayRemainsInEitherLeaveOrder(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        HostSpec spec = OverlaySim.hostSpec(1, false);
        Map<String, Object> before = Snapshot.host(h1);
        assertThat(before.get("ip_forward")).isEqualTo("0");

        OverlayHost a = OverlayHost.join(sim.handle(1), A, spec);
        OverlayHost b = OverlayHost.join(sim.handle(1), B, spec);
        a.leave();
        assertThat(forwarding(h1)).as("B still joined").isEqualTo("1");
        b.leave();
        assertThat(forwarding(h1)).isEqualTo("0");
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();

        a = OverlayHost.join(sim.handle(1), A, spec);
        b = OverlayHost.join(sim.handle(1), B, spec);
        b.leave();
        assertThat(forwarding(h1)).as("A still joined").isEqualTo("1");
        a.leave();
        assertThat(forwarding(h1)).isEqualTo("0");
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }

    @Test
    void aRejoinAfterARestartStillRestoresTheOriginalValue(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        HostSpec spec = OverlaySim.hostSpec(1, false);
        Map<String, Object> before = Snapshot.host(h1);

        OverlayHost.join(sim.handle(1), A, spec); // the first run "crashes": never leaves
        assertThat(forwarding(h1)).isEqualTo("1");
        OverlayHost again = OverlayHost.join(sim.handle(1), A, spec); // the restarted program
        again.leave();
        assertThat(forwarding(h1)).isEqualTo("0");
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }

    @Test
    void forwardingAlreadyOnIsLeftOn(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Oracle.run("ip", "netns", "exec", h1, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        HostSpec spec = OverlaySim.hostSpec(1, false);
        Map<String, Object> before = Snapshot.host(h1);
        OverlayHost a = OverlayHost.join(sim.handle(1), A, spec);
        a.leave();
        assertThat(forwarding(h1)).isEqualTo("1");
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }
}
