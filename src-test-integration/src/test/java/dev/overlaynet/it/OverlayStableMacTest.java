package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Leaving and joining again recreates vxlan0 and br0 with the MACs they had. */
@ExtendWith(NetnsExtension.class)
class OverlayStableMacTest {

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void rejoinKeepsMacs(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 2);
        Overlay o = OverlaySim.overlay(mode);
        String[] vx = new String[3];
        String[] br = new String[3];
        for (int i = 1; i <= 2; i++) {
            OverlayHost h = OverlayHost.join(sim.handle(i), o, OverlaySim.hostSpec(i, false));
            vx[i] = OverlayGatewayTest.linkMac(sim.hostName(i), "vxlan0");
            br[i] = OverlayGatewayTest.linkMac(sim.hostName(i), "br0");
            h.leave();
            assertThat(sim.handle(i).links().find("br0")).isEmpty();
            OverlayHost again = OverlayHost.join(sim.handle(i), o, OverlaySim.hostSpec(i, false));
            assertThat(OverlayGatewayTest.linkMac(sim.hostName(i), "vxlan0")).as("vxlan0 on h" + i).isEqualTo(vx[i]);
            assertThat(OverlayGatewayTest.linkMac(sim.hostName(i), "br0")).as("br0 on h" + i).isEqualTo(br[i]);
            again.leave();
        }
        // Derived from the underlay address (172.16.1.11 = ac:10:01:0b), so hosts differ; locally administered unicast.
        assertThat(vx[1]).isNotEqualTo(vx[2]).isEqualTo("0e:2a:ac:10:01:0b");
        assertThat(br[1]).isNotEqualTo(br[2]).isEqualTo("06:2a:ac:10:01:0b");
    }
}
