package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Macvlan;
import dev.overlaynet.MacvlanMode;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 11 defect 6, the cases found: each failed before its fix. */
@ExtendWith(NetnsExtension.class)
class IdempotenceRegressionTest {

    @Test
    void bridgeTimersAndDroppedVlanAttributesReachUnchanged(TestNamespaces nss) throws Exception {
        Netlink nl = MutationCount.open(nss, nss.create("br"));
        // 4.51 s is 1127.5 jiffies at HZ=250: the kernel keeps 1127 and reports 4.50 s.
        Bridge br = Bridge.builder().name("br0").helloTime(Duration.ofMillis(4510)).forwardDelay(Duration.ofMillis(15030))
                .maxAge(Duration.ofMillis(20070)).ageingTime(Duration.ofMillis(300010)).vlanProtocol(0x88a8)
                .vlanDefaultPvid(5).build();
        assertThat(nl.links().ensure(br)).isEqualTo(EnsureResult.CREATED);
        long before = MutationCount.of(nl);
        assertThat(nl.links().ensure(br)).isEqualTo(EnsureResult.UNCHANGED);
        assertThat(MutationCount.of(nl)).isEqualTo(before);
    }

    @Test
    void vxlanMtuAboveTheDeviceLimitIsRefusedNamingTheLimit(TestNamespaces nss) throws Exception {
        String n = nss.nameOf(nss.create("vx"));
        Netlink nl = MutationCount.open(nss, nss.get("vx"));
        Oracle.run("ip", "-n", n, "link", "add", "ul0", "type", "veth", "peer", "name", "ul0p");
        Vxlan.Builder b = Vxlan.builder().name("vxlan0").vni(7).remote("fd00::2").device("ul0");
        assertThatThrownBy(() -> nl.links().ensure(b.mtu(1443).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mtu 1443 is above 1430");
        assertThat(nl.links().find("vxlan0")).as("nothing is created").isEmpty();
        assertThat(nl.links().ensure(b.mtu(1400).build())).isEqualTo(EnsureResult.CREATED);
        long before = MutationCount.of(nl);
        assertThatThrownBy(() -> nl.links().ensure(b.mtu(1443).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mtu 1443 is above 1430");
        assertThat(MutationCount.of(nl)).isEqualTo(before);
        assertThat(nl.links().ensure(b.mtu(1430).build())).isEqualTo(EnsureResult.CHANGED);
        assertThat(nl.links().ensure(b.mtu(1430).build())).isEqualTo(EnsureResult.UNCHANGED);
    }

    @Test
    void passthruMacvlanAddressIsRefused(TestNamespaces nss) throws Exception {
        Netlink nl = MutationCount.open(nss, nss.create("pt"));
        nl.links().add(Veth.builder().name("eth0").address("02:00:00:00:00:01").peer("eth1").build());
        Macvlan.Builder mv = Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.PASSTHRU);
        long before = MutationCount.of(nl);
        assertThatThrownBy(() -> nl.links().add(mv.address("02:11:22:33:44:55").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passthru")
                .hasMessageContaining("02:00:00:00:00:01");
        assertThat(MutationCount.of(nl)).as("nothing sent").isEqualTo(before);
        // its parent's address is what the kernel gives it anyway: accepted, and ensured again as it is
        assertThat(nl.links().ensure(mv.address("02:00:00:00:00:01").build())).isEqualTo(EnsureResult.CREATED);
        assertThat(nl.links().ensure(nl.links().get("mv0"))).isEqualTo(EnsureResult.UNCHANGED);
        assertThatThrownBy(() -> nl.links().ensure(mv.address("02:11:22:33:44:55").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passthru");
    }

    @Test
    void upAndSetMasterSendNothingWhenAlreadySo(TestNamespaces nss) throws Exception {
        Netlink nl = MutationCount.open(nss, nss.create("up"));
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().add(Veth.builder().name("a0").peer("a1").build());
        nl.links().setMaster("a0", "br0");
        nl.links().up("a0", "br0");
        long before = MutationCount.of(nl);
        nl.links().setMaster("a0", "br0");
        nl.links().up("a0", "br0");
        nl.links().down("a1");
        assertThat(MutationCount.of(nl)).isEqualTo(before);
        assertThat(nl.links().get("a0").up()).isTrue();
        assertThat(nl.links().get("a0").master()).isEqualTo("br0");
    }
}
