package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.overlay.Overlay;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 defect 5: builders accept exactly what the kernel (6.18, checked
 * with iproute2 in a namespace) accepts, and refuse the rest before any
 * syscall, naming the field. Each case is one the library got wrong.
 */
class KernelRulesValidationTest {

    @Test
    void linkNamesFollowTheKernelsByteRules() {
        // dev_valid_name applies isspace() to bytes with a Latin-1 table: 0xA0 is a space.
        for (String bad : new String[] {"a\u00a0b", "a\u00e0b" /* à = c3 a0 */, "a\u2020b" /* e2 80 a0 */,
                "a\u000bb", "a b", "a%b", "eth%d", "a\ud800b", "a:b", "a/b", "a\0b"}) {
            assertThatThrownBy(() -> LinkName.validate("name", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("name");
        }
        // Accepted by the kernel (ip link add ... type bridge succeeds), so accepted here.
        for (String ok : new String[] {"a\u2003b", "a\u001cb", "a\u0085b", "a;b", "a..b", "\u00e9t\u00e9"}) {
            assertThat(LinkName.validate("name", ok)).as(ok).isEqualTo(ok);
        }
    }

    @Test
    void aliasKeepsEveryCharacterOrIsRefused() {
        assertThatThrownBy(() -> Bridge.builder().name("br0").alias("a\0b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alias contains NUL");
        assertThatThrownBy(() -> Bridge.builder().name("br0").alias("x".repeat(256)).build())
                .hasMessageContaining("alias is 256 bytes; max 255");
        assertThat(Bridge.builder().name("br0").alias("x".repeat(255)).build().alias()).hasSize(255);
    }

    @Test
    void overlayTagIsCheckedAtBuildNotAtJoin() {
        Overlay.Builder b = Overlay.builder().cidr("10.233.0.0/16").vni(42).unicast();
        assertThatThrownBy(() -> b.tag("t".repeat(1000)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> b.tag("a\0b").build()).hasMessageContaining("tag");
        assertThat(b.tag("t".repeat(127)).build().tag()).hasSize(127);
    }

    @Test
    void vxlanGroupAndRemoteAreNotInterchangeable() {
        assertThatThrownBy(() -> Vxlan.builder().group("10.0.0.1"))
                .hasMessageContaining("group 10.0.0.1 is not a multicast address");
        assertThatThrownBy(() -> Vxlan.builder().remote("239.1.1.1"))
                .hasMessageContaining("remote 239.1.1.1 is a multicast address");
        assertThatThrownBy(() -> Vxlan.builder().group("239.1.1.1").remote("10.0.0.1"))
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> Vxlan.builder().remote("10.0.0.1").group("239.1.1.1"))
                .hasMessageContaining("exclude each other");
        Vxlan v = Vxlan.builder().name("vx0").vni(5).group("239.1.1.1").group((String) null).remote("10.0.0.1").build();
        assertThat(v.remote()).hasToString("/10.0.0.1");
        Vxlan g = Vxlan.builder().name("vx0").vni(5).device("eth0").group("239.1.1.1").build();
        assertThat(g.toBuilder().group((String) null).remote("10.0.0.2").build().remote()).hasToString("/10.0.0.2");
    }

    @Test
    void vxlanLabelNeedsIpv6AndGpeRefusesWhatTheKernelRefuses() {
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").external(true).label(5).build())
                .hasMessageContaining("label applies to IPv6 VXLAN only (label 5)");
        assertThat(Vxlan.builder().name("vx0").vni(5).local("fd00::1").label(5).build().label()).isEqualTo(5);
        java.util.function.Supplier<Vxlan.Builder> gpe =
                () -> Vxlan.builder().name("vx0").external(true).gpe(true).learning(false);
        assertThatThrownBy(() -> gpe.get().l2miss(true).build()).hasMessageContaining("l2miss");
        assertThatThrownBy(() -> gpe.get().gbp(true).build()).hasMessageContaining("gbp");
        assertThatThrownBy(() -> gpe.get().ttlInherit(true).build()).hasMessageContaining("ttlInherit");
        // ttl itself is accepted with gpe by the kernel.
        assertThat(gpe.get().ttl(5).build().ttl()).isEqualTo(5);
    }

    @Test
    void routeTableNegativeIsRefused() {
        assertThatThrownBy(() -> Route.builder().table(-1)).hasMessageContaining("table -1 out of range");
        assertThatThrownBy(() -> Route.builder().table(Long.valueOf(-1))).hasMessageContaining("table -1");
        Route r = Route.builder().dst("10.9.0.0/24").dev("br0").table(4294967295L).build();
        assertThat(r.toString()).contains("table 4294967295");
    }

    @Test
    void nullArgumentsNameTheirField() {
        assertThatThrownBy(() -> Neighbour.builder().state((NeighbourState[]) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state must not be null");
        assertThatThrownBy(() -> Neighbour.builder().state(NeighbourState.PERMANENT, null))
                .hasMessageContaining("state must not contain null");
        assertThatThrownBy(() -> Neighbour.builder().flags((NeighbourFlag[]) null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> Neighbour.builder().flags((Set<NeighbourFlag>) null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> Address.builder().flags((AddressFlag[]) null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> Address.builder().flags((Set<AddressFlag>) null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> FdbEntry.builder().flags((NeighbourFlag[]) null)).hasMessageContaining("flags");
        assertThatThrownBy(() -> FdbEntry.builder().flags((Set<NeighbourFlag>) null)).hasMessageContaining("flags");
    }

    @Test
    void bridgeGroupAddressFollowsBrChangelink() {
        for (String bad : new String[] {"01:80:c2:00:00:01", "01:80:c2:00:00:02", "01:80:c2:00:00:03",
                "01:80:c2:00:00:10", "01:80:c2:00:00:ff"}) {
            assertThatThrownBy(() -> Bridge.builder().name("br0").groupAddress(MacAddress.parse(bad)).build()).as(bad)
                    .hasMessageContaining("groupAddress");
        }
        for (String ok : new String[] {"01:80:c2:00:00:00", "01:80:c2:00:00:04", "01:80:c2:00:00:0e", "01:80:c2:00:00:0f"}) {
            assertThatCode(() -> Bridge.builder().name("br0").groupAddress(MacAddress.parse(ok)).build()).as(ok).doesNotThrowAnyException();
        }
    }

    @Test
    void bridgePortCostIsBrStpPathCostRange() {
        // br_stp_set_path_cost on 6.18: 1..65535, ERANGE outside (checked with ip link set type bridge_slave cost).
        for (int bad : new int[] {0, 65536, 100000, -1}) {
            assertThatThrownBy(() -> BridgePort.builder().cost(bad).build()).as("" + bad).hasMessageContaining("cost");
        }
        assertThat(BridgePort.builder().cost(65535).build().cost()).isEqualTo(65535);
        assertThat(BridgePort.builder().cost(1).build().cost()).isEqualTo(1);
    }

    @Test
    void manageTempAddrNeedsSlash64() {
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("fd00::1/48").flags(AddressFlag.MANAGETEMPADDR).build())
                .hasMessageContaining("MANAGETEMPADDR needs a /64");
        assertThat(Address.builder().link("br0").prefix("fd00::1/64").flags(AddressFlag.MANAGETEMPADDR).build().flags())
                .contains(AddressFlag.MANAGETEMPADDR);
    }

    @Test
    void fdbStickyOnAPermanentMasterEntryIsRefused() {
        assertThatThrownBy(() -> FdbEntry.builder().dev("d1").mac("02:00:00:00:00:01")
                .flags(NeighbourFlag.MASTER, NeighbourFlag.STICKY).build()).hasMessageContaining("STICKY");
        assertThatThrownBy(() -> FdbEntry.builder().dev("d1").mac("02:00:00:00:00:01")
                .flags(NeighbourFlag.MASTER, NeighbourFlag.STICKY).state(FdbEntryState.PERMANENT).build()).hasMessageContaining("STICKY");
        assertThat(FdbEntry.builder().dev("d1").mac("02:00:00:00:00:01").flags(NeighbourFlag.MASTER, NeighbourFlag.STICKY)
                .state(FdbEntryState.STATIC).build().flags()).contains(NeighbourFlag.STICKY);
    }

    @Test
    void bridgeTimersTakeWhatTheKernelTakes() {
        // Without STP the kernel takes any forward delay, and any ageing time (checked with ip link add).
        assertThat(Bridge.builder().name("br0").forwardDelay(java.time.Duration.ofSeconds(1))
                .ageingTime(java.time.Duration.ofSeconds(5)).build().ageingTime()).hasSeconds(5);
        assertThatThrownBy(() -> Bridge.builder().name("br0").helloTime(java.time.Duration.ofMillis(500)).build())
                .hasMessageContaining("helloTime");
    }

    @Test
    void fdbMasterEntriesHaveNoRemote() {
        assertThatThrownBy(() -> FdbEntry.builder().dev("d1").mac("02:00:00:00:00:01").flags(NeighbourFlag.MASTER)
                .state(FdbEntryState.STATIC).dst("10.0.0.9").build()).hasMessageContaining("dst is not kept on a MASTER");
        assertThatThrownBy(() -> FdbEntry.builder().dev("d1").mac("02:00:00:00:00:01").flags(NeighbourFlag.MASTER)
                .vni(5).build()).hasMessageContaining("vni is not kept");
    }

    @Test
    void vxlanLinkLocalScopesFollowTheKernel() {
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").vni(5).remote("fe80::2").device("ul0").build())
                .hasMessageContaining("remote fe80::2 is link-local");
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").vni(5).local("fe80::1").build())
                .hasMessageContaining("needs device");
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").vni(5).local("fe80::1").group("ff05::5").device("ul0").build())
                .hasMessageContaining("local fe80::1 is link-local but remote ff05::5");
        assertThatCode(() -> Vxlan.builder().name("vx0").vni(5).local("fe80::1").remote("fe80::2").device("ul0").build())
                .doesNotThrowAnyException();
        assertThatCode(() -> Vxlan.builder().name("vx0").vni(5).local("fe80::1").group("ff02::5").device("ul0").build())
                .doesNotThrowAnyException();
    }
}
