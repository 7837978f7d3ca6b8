package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Three hosts with two containers each: every container reaches every other one by ICMP and TCP. */
@ExtendWith(NetnsExtension.class)
class OverlayReachabilityTest {

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void allPairsPingAndTcpEcho(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 3);
        OverlayCluster cl = OverlayCluster.build(sim, mode, 2, false);
        List<String> failures = new ArrayList<>();
        int port = 7000;
        for (OverlayCluster.Container a : cl.containers) {
            for (OverlayCluster.Container b : cl.containers) {
                if (a == b) {
                    continue;
                }
                // Multicast: a retry covers the first flood-and-learn round (see Traffic.pingWithWarmup).
                boolean ok = mode == Overlay.Mode.MULTICAST ? Traffic.pingWithWarmup(a.ns(), b.ip()) : Traffic.ping(a.ns(), b.ip());
                if (!ok) {
                    failures.add("ping " + a.ip() + " -> " + b.ip());
                }
                String msg = "hello from " + a.ip() + " to " + b.ip();
                String echoed;
                try {
                    echoed = Traffic.tcpEcho(b.ns(), b.ip(), port++, a.ns(), msg);
                } catch (Exception e) {
                    echoed = e.toString();
                }
                if (!msg.equals(echoed)) {
                    failures.add("tcp " + a.ip() + " -> " + b.ip() + ": " + echoed);
                }
            }
        }
        assertThat(cl.containers).hasSize(6);
        assertThat(failures).as("unreachable pairs in " + mode + " mode").isEmpty();
    }
}
