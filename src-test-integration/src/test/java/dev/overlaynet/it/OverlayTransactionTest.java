package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A failure at any step of join or attach leaves the namespaces exactly as
 * they were: the failure is injected before step k, for every k, and the
 * snapshots are compared with the ones taken before the call.
 */
@ExtendWith(NetnsExtension.class)
class OverlayTransactionTest {

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void joinFailingAtAnyStepLeavesNothing(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Overlay o = OverlaySim.overlay(mode); // with NAT
        HostSpec spec = OverlaySim.hostSpec(1, true); // with the host address and its arp_announce step
        Map<String, Object> before = Snapshot.host(h1);

        RecordingObserver obs = new RecordingObserver();
        OverlayHost h = OverlayHost.join(sim.handle(1), o, spec, obs);
        List<String> steps = new ArrayList<>(obs.steps);
        h.leave();
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).as("after a successful join and leave").isEmpty();
        assertThat(steps).as("join's steps").hasSizeGreaterThanOrEqualTo(10)
                .anyMatch(s -> s.startsWith("masquerade")).anyMatch(s -> s.startsWith("arp_announce"));

        for (int k = 1; k <= steps.size(); k++) {
            obs.reset(k);
            String step = steps.get(k - 1);
            assertThatThrownBy(() -> OverlayHost.join(sim.handle(1), o, spec, obs)).as("join failing at step " + k + " " + step)
                    .isInstanceOf(RecordingObserver.InjectedFailure.class).hasMessageContaining(step);
            assertThat(Snapshot.diff(before, Snapshot.host(h1))).as("host after join failed at step " + k + " (" + step + ")").isEmpty();
        }
    }

    /**
     * A rejoin finds the overlay's vxlan from an earlier run with another MTU
     * and MAC and changes it in place. If a later step fails, the vxlan gets
     * its old MTU and MAC back (not deleted: this call did not create it).
     */
    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void failedJoinPutsBackAVxlanItChanged(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Overlay o = OverlaySim.overlay(mode).toBuilder().mtu(1450).build();
        HostSpec spec = OverlaySim.hostSpec(1, true);
        Runnable earlierRun = () -> {
            try {
                List<String> cmd = new ArrayList<>(List.of("ip", "-n", h1, "link", "add", "vxlan0", "mtu", "1400",
                        "type", "vxlan", "id", "42", "dstport", "4789", "dev", "eth1", "local", OverlaySim.underlayIp(1)));
                cmd.addAll(mode == Overlay.Mode.MULTICAST ? List.of("group", "239.1.1.1") : List.of("nolearning"));
                dev.overlaynet.testkit.Oracle.run(cmd.toArray(String[]::new));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        earlierRun.run();
        RecordingObserver obs = new RecordingObserver();
        OverlayHost h = OverlayHost.join(sim.handle(1), o, spec, obs);
        List<String> steps = new ArrayList<>(obs.steps);
        assertThat(obs.mutations).contains("CHANGED vxlan vxlan0");
        h.leave();

        for (int k = 2; k <= steps.size(); k++) {
            earlierRun.run();
            Map<String, Object> before = Snapshot.host(h1);
            obs.reset(k);
            String step = steps.get(k - 1);
            assertThatThrownBy(() -> OverlayHost.join(sim.handle(1), o, spec, obs)).as("join failing at step " + k + " " + step)
                    .isInstanceOf(RecordingObserver.InjectedFailure.class);
            assertThat(obs.mutations).contains("CHANGED vxlan vxlan0");
            assertThat(Snapshot.diff(before, Snapshot.host(h1))).as("host after join failed at step " + k + " (" + step + ")").isEmpty();
            dev.overlaynet.testkit.Oracle.run("ip", "-n", h1, "link", "del", "vxlan0");
        }
    }

    @org.junit.jupiter.api.Test
    void anObserverThrowingFromMutatedLosesNoUndo(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Map<String, Object> before = Snapshot.host(h1);
        List<String> seen = new ArrayList<>();
        dev.overlaynet.overlay.StepObserver rude = new dev.overlaynet.overlay.StepObserver() {
            @Override
            public void mutated(String what) {
                seen.add(what);
                throw new IllegalStateException("observer bug");
            }
        };
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(Overlay.Mode.UNICAST), OverlaySim.hostSpec(1, true), rude);
        assertThat(seen).as("every change was still reported").hasSizeGreaterThanOrEqualTo(8);
        h.leave();
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void attachFailingAtAnyStepLeavesNothing(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        RecordingObserver obs = new RecordingObserver();
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(mode), OverlaySim.hostSpec(1, true), obs);
        NetNs c = sim.container("c");
        ContainerSpec spec = ContainerSpec.builder().namespace(c).ip("10.233.1.2").build();
        Map<String, Object> host = Snapshot.host(h1);
        Map<String, Object> container = Snapshot.container(c.name());

        obs.reset(-1);
        h.attach(spec);
        List<String> steps = new ArrayList<>(obs.steps);
        assertThat(steps).as("attach's steps").hasSizeGreaterThanOrEqualTo(7);
        h.detach(spec);
        assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).as("after attach and detach").isEmpty();
        assertThat(Snapshot.diff(host, Snapshot.host(h1))).as("host after attach and detach").isEmpty();

        for (int k = 1; k <= steps.size(); k++) {
            obs.reset(k);
            String step = steps.get(k - 1);
            assertThatThrownBy(() -> h.attach(spec)).as("attach failing at step " + k + " " + step)
                    .isInstanceOf(RecordingObserver.InjectedFailure.class).hasMessageContaining(step);
            assertThat(Snapshot.diff(container, Snapshot.container(c.name()))).as("container after attach failed at step " + k + " (" + step + ")").isEmpty();
            assertThat(Snapshot.diff(host, Snapshot.host(h1))).as("host after attach failed at step " + k + " (" + step + ")").isEmpty();
            assertThat(h.localEndpoints()).as("no endpoint published after a failed attach").isEmpty();
        }

        // The host is still usable: the same attach now succeeds and the container reaches its gateway.
        obs.reset(-1);
        h.attach(spec);
        assertThat(Traffic.ping(c, OverlaySim.GATEWAY)).isTrue();
    }
}
