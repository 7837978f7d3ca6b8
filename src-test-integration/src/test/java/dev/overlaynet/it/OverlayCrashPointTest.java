package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill at every point of join / attach / attach / addPeer / addRemote (a
 * separate JVM halted before each step and after each change it sends),
 * then a restarted program that joins and leaves: host and containers read
 * back exactly as before, every time. What the dead process knew only in
 * memory is gone; what leave needs must be in the kernel.
 */
@ExtendWith(NetnsExtension.class)
class OverlayCrashPointTest {

    /** The children's java.io.tmpdir: the halted ones must leave it empty. */
    @TempDir
    Path childTmp;

    private String run(String... args) throws Exception {
        List<String> cmd = ChildJvm.command(childTmp, CrashPointMain.class.getName(), List.of(), List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish: " + out);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void aKillAtAnyPointFollowedByRestartAndLeaveLeavesNothing(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 2);
        NetNs c1 = sim.container("c1");
        NetNs c2 = sim.container("c2");
        Map<String, Object> host = Snapshot.host(sim.hostName(1));
        Map<String, Object> before1 = Snapshot.container(c1.name());
        Map<String, Object> before2 = Snapshot.container(c2.name());
        String all = run(sim.hostName(1), c1.name(), c2.name(), mode.name());
        assertThat(all).contains("POINTS ");
        int points = Integer.parseInt(all.substring(all.indexOf("POINTS ") + 7).trim().split("\\s")[0]);
        System.out.println(mode + ": " + points + " kill points");
        // The full run left its state: leave it once, as every case below will.
        leave(sim, mode);
        assertThat(Snapshot.diff(host, Snapshot.host(sim.hostName(1)))).as("after the full run").isEmpty();
        List<String> failures = new ArrayList<>();
        for (int k = 1; k <= points; k++) {
            String out = run(sim.hostName(1), c1.name(), c2.name(), mode.name(), Integer.toString(k));
            assertThat(out).as("killed at %d", k).doesNotContain("POINTS ");
            leave(sim, mode);
            List<String> d = new ArrayList<>(Snapshot.diff(host, Snapshot.host(sim.hostName(1))));
            d.addAll(Snapshot.diff(before1, Snapshot.container(c1.name())));
            d.addAll(Snapshot.diff(before2, Snapshot.container(c2.name())));
            if (!d.isEmpty()) {
                failures.add("killed at point " + k + ": " + d);
                break; // the next cases would start from a dirty state
            }
        }
        assertThat(failures).isEmpty();
        ChildJvm.assertLeftNothing(childTmp, "by " + (points + 1) + " halted children");
    }

    /** What a restarted program does: join again, then leave. */
    private static void leave(OverlaySim sim, Overlay.Mode mode) throws Exception {
        OverlayHost h = OverlayHost.join(sim.handle(1), OverlaySim.overlay(mode), OverlaySim.hostSpec(1, true));
        h.leave();
    }
}
