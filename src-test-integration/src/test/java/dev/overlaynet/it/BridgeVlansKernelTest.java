package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.BridgeVlan;
import dev.overlaynet.BridgeVlanGlobalOptions;
import dev.overlaynet.BridgeVlanOptions;
import dev.overlaynet.StpState;
import dev.overlaynet.VlanTunnel;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What this kernel (6.18, built without CONFIG_BRIDGE_VLAN_FILTERING) does
 * with bridge VLANs, the library and {@code bridge vlan} side by side: every
 * change is refused the same way, the link dump still answers (with no
 * VLANs) and RTM_GETVLAN is refused. The requests themselves are checked by
 * golden bytes (BridgeVlanCodecTest). If the kernel ever accepts them, this
 * test fails and says so: then the golden-bytes-only items can be tested live.
 */
@ExtendWith(NetnsExtension.class)
class BridgeVlansKernelTest {

    private static String refusal(Oracle.Result r) {
        assertThat(r.ok()).as("bridge accepted it: this kernel has VLAN filtering now").isFalse();
        return r.stderr();
    }

    @Test
    void changesAreRefusedAsBridgeVlanSeesThem(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "v");
        Oracle.Result filtering = Oracle.exec("ip", "-n", h.name, "link", "set", "br0", "type", "bridge", "vlan_filtering", "1");
        assertThat(refusal(filtering)).contains("Operation not supported");

        assertThat(refusal(Oracle.exec("bridge", "-n", h.name, "vlan", "add", "dev", "vb0", "vid", "10", "pvid", "untagged")))
                .contains("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().add(BridgeVlan.builder().dev("vb0").vid(10).pvid(true).untagged(true).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");

        assertThatThrownBy(() -> h.nl.bridgeVlans().addEntry(BridgeVlan.builder().dev("vb0").vid(10).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().deleteEntry(BridgeVlan.builder().dev("vb0").vid(10).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");

        assertThat(refusal(Oracle.exec("bridge", "-n", h.name, "vlan", "set", "dev", "vb0", "vid", "10", "state", "3")))
                .contains("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().setOptions(BridgeVlanOptions.builder().dev("vb0").vid(10)
                .state(StpState.FORWARDING).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");

        assertThat(refusal(Oracle.exec("bridge", "-n", h.name, "vlan", "global", "set", "dev", "br0", "vid", "10",
                "mcast_snooping", "1"))).contains("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().setGlobalOptions(BridgeVlanGlobalOptions.builder().bridge("br0")
                .vid(10).mcastSnooping(true).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");

        // the tunnel map: whatever the kernel answers bridge, it answers the library
        String tool = refusal(Oracle.exec("bridge", "-n", h.name, "vlan", "add", "dev", "vx0", "vid", "100", "tunnel_info",
                "id", "1000")).replace("RTNETLINK answers: ", "").trim();
        assertThat(tool).isNotEmpty();
        assertThatThrownBy(() -> h.nl.bridgeVlans().addTunnel(VlanTunnel.builder().dev("vx0").vid(100).tunnelId(1000).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining(tool);
        // a name that does not exist fails before any bridge message
        assertThatThrownBy(() -> h.nl.bridgeVlans().add(BridgeVlan.builder().dev("nosuch0").vid(10).build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("nosuch0");
    }

    @Test
    void dumpsDecodeWhatTheKernelGives(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "d");
        // the AF_BRIDGE link dump answers, one message per port, with no VLAN in it
        assertThat((List<?>) Oracle.json("bridge", "-n", h.name, "-j", "vlan", "show")).isEmpty();
        assertThat(h.nl.bridgeVlans().list()).isEmpty();
        assertThat(h.nl.bridgeVlans().list("vb0")).isEmpty();
        assertThat(h.nl.bridgeVlans().listTunnels(null)).isEmpty();
        // RTM_GETVLAN is refused
        assertThat(refusal(Oracle.exec("bridge", "-n", h.name, "-d", "vlan", "show"))).contains("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().listOptions(null))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");
        assertThat(refusal(Oracle.exec("bridge", "-n", h.name, "vlan", "global", "show"))).contains("Operation not supported");
        assertThatThrownBy(() -> h.nl.bridgeVlans().listGlobalOptions("br0"))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("Operation not supported");
    }
}
