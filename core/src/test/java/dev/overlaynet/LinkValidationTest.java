package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every build() rule fails with an IllegalArgumentException naming the field, before any syscall. */
class LinkValidationTest {
    private static void rejects(Supplier<?> build, String message) {
        assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    private static Vxlan.Builder vx() {
        return Vxlan.builder().name("vxlan0").vni(42);
    }

    @Test
    void commonFields() {
        rejects(() -> Bridge.builder().build(), "name must not be empty");
        rejects(() -> Bridge.builder().name("averyveryverylong0").build(), "name \"averyveryverylong0\" is 18 bytes; max 15");
        rejects(() -> Bridge.builder().name("..").build(), "name \"..\" is not allowed");
        rejects(() -> Bridge.builder().name("a b").build(), "must not contain");
        rejects(() -> Bridge.builder().name("a/b").build(), "must not contain");
        rejects(() -> Bridge.builder().name("a:b").build(), "must not contain");
        rejects(() -> Bridge.builder().name("br0").mtu(67).build(), "mtu 67 out of range [68..65535]");
        rejects(() -> Bridge.builder().name("br0").mtu(65536).build(), "mtu 65536 out of range");
        rejects(() -> Bridge.builder().name("br0").master("br0").build(), "master \"br0\" is the link itself");
        rejects(() -> Bridge.builder().name("br0").master("x y").build(), "master \"x y\" must not contain");
        rejects(() -> Bridge.builder().name("br0").txQueueLength(-1).build(), "txQueueLength -1");
        rejects(() -> Bridge.builder().name("br0").address("01:00:5e:00:00:01").build(), "multicast MAC");
        rejects(() -> Bridge.builder().name("br0").alias("x".repeat(256)).build(), "alias is 256 bytes; max 255");
        rejects(() -> Bridge.builder().name("br0").address("zz:00:00:00:00:00").build(), "bad MAC address");
    }

    @Test
    void vxlanRules() {
        rejects(() -> Vxlan.builder().name("vxlan0").build(), "vni must be set");
        rejects(() -> vx().vni(0).build(), "vni 0 out of range [1..16777215]");
        rejects(() -> vx().vni(16777216).build(), "vni 16777216 out of range [1..16777215]");
        rejects(() -> vx().external(true).build(), "vni must not be set on an external");
        rejects(() -> vx().group("239.1.1.1").build(), "group 239.1.1.1 is multicast and needs a device");
        rejects(() -> vx().group("ff05::1").build(), "group ff05::1 is multicast and needs a device");
        rejects(() -> vx().remote("0.0.0.0").build(), "is the unspecified address");
        rejects(() -> vx().group("300.1.1.1").build(), "group");
        rejects(() -> vx().remote("10.0.0.1").local("239.1.1.1").build(), "local 239.1.1.1 must be a unicast address");
        rejects(() -> vx().remote("10.0.0.1").local("fd00::1").build(), "different address families");
        rejects(() -> vx().device("bad name").build(), "device \"bad name\" must not contain");
        rejects(() -> vx().dstPort(0).build(), "dstPort 0 out of range [1..65535]");
        rejects(() -> vx().dstPort(65536).build(), "dstPort 65536 out of range [1..65535]");
        rejects(() -> vx().srcPortRange(0, 10).build(), "srcPortRange 0-10 out of range [1..65535]");
        rejects(() -> vx().srcPortRange(10, 5).build(), "port range 10-5: high below low");
        rejects(() -> vx().srcPortRange(1, 70000).build(), "port range 1-70000 outside [0..65535]");
        rejects(() -> vx().ttl(256).build(), "ttl 256 out of range [0..255]");
        rejects(() -> vx().tos(-1).build(), "tos -1 out of range [0..255]");
        rejects(() -> vx().label(0x100000).remote("fd00::2").build(), "label 1048576 out of range [0..1048575]");
        rejects(() -> vx().label(5).remote("10.0.0.2").build(), "label applies to IPv6 VXLAN only");
        rejects(() -> vx().ttl(5).ttlInherit(true).build(), "ttl and ttlInherit(true) exclude each other");
        rejects(() -> vx().ageing(-1).build(), "ageing -1 out of range [0..4294967295]");
        rejects(() -> vx().limit(-1).build(), "limit -1 out of range [0..4294967295]");
        rejects(() -> vx().gpe(true).build(), "gpe needs external(true)");
        rejects(() -> Vxlan.builder().name("v").external(true).gpe(true).build(), "gpe needs learning(false)");
        rejects(() -> vx().vnifilter(true).build(), "vnifilter needs external(true)");
    }

    @Test
    void vxlanDefaultsAndTriState() {
        Vxlan v = vx().build();
        assertThat(v.dstPort()).isEqualTo(Vxlan.IANA_PORT);
        assertThat(v.learning()).isNull(); // never sent unless asked: the kernel keeps learning on
        assertThat(vx().dstPort(Vxlan.KERNEL_DEFAULT_PORT).build().dstPort()).isEqualTo(8472);
        Vxlan g = vx().group("239.1.1.1").device("eth1").build();
        assertThat(g.group()).hasToString("/239.1.1.1");
        assertThat(g.remote()).isNull();
        Vxlan r = g.toBuilder().remote("10.0.0.2").build();
        assertThat(r.group()).isNull();
        assertThat(r.remote()).hasToString("/10.0.0.2");
        assertThat(r.device()).isEqualTo("eth1");
        assertThat(r).isNotEqualTo(g);
        assertThat(r.toBuilder().group("239.1.1.1").build()).isEqualTo(g);
    }

    @Test
    void bridgeRules() {
        Supplier<Bridge.Builder> b = () -> Bridge.builder().name("br0");
        rejects(() -> b.get().forwardDelay(Duration.ofMillis(1505)).build(), "forwardDelay PT1.505S must be a non-negative multiple of 10 ms");
        rejects(() -> b.get().forwardDelay(Duration.ofMillis(0x100000000L * 10)).build(), "forwardDelay PT11930H27M52.96S out of range");
        rejects(() -> b.get().helloTime(Duration.ofMillis(500)).build(), "helloTime PT0.5S out of range [PT1S..PT10S]");
        rejects(() -> b.get().maxAge(Duration.ofSeconds(41)).build(), "maxAge PT41S out of range");
        rejects(() -> b.get().ageingTime(Duration.ofMillis(0x100000000L * 10)).build(), "ageingTime PT11930H27M52.96S out of range");
        rejects(() -> b.get().ageingTime(Duration.ofSeconds(-1)).build(), "ageingTime PT-1S must be a non-negative");
        rejects(() -> b.get().priority(65536).build(), "priority 65536 out of range [0..65535]");
        rejects(() -> b.get().vlanProtocol(0x0800).build(), "vlanProtocol 0x800 must be 0x8100 (802.1Q) or 0x88a8 (802.1ad)");
        rejects(() -> b.get().vlanDefaultPvid(4095).build(), "vlanDefaultPvid 4095 out of range [0..4094]");
        rejects(() -> b.get().groupFwdMask(0x1).build(), "groupFwdMask 0x1 must not include bits 0-2");
        rejects(() -> b.get().mcastRouter(3).build(), "mcastRouter 3 out of range [0..2]");
        rejects(() -> b.get().mcastIgmpVersion(1).build(), "mcastIgmpVersion 1 out of range [2..3]");
        rejects(() -> b.get().mcastMldVersion(3).build(), "mcastMldVersion 3 out of range [1..2]");
        rejects(() -> b.get().groupAddress(MacAddress.parse("01:00:5e:00:00:01")).build(), "groupAddress 01:00:5e:00:00:01 must be");
        assertThat(b.get().ageingTime(Duration.ZERO).build().ageingTime()).isZero();
    }

    @Test
    void vethMacvlanVlanPortRules() {
        rejects(() -> Veth.builder().name("v0").build(), "peer must not be empty");
        rejects(() -> Veth.builder().name("v0").peer("v0").build(), "peer \"v0\" must differ from name");
        rejects(() -> Veth.builder().name("v0").peer("v1").peerMtu(10).build(), "peerMtu 10 out of range [68..65535]");
        rejects(() -> Veth.builder().name("v0").peer("v1").peerAddress("ff:ff:ff:ff:ff:ff").build(), "peerAddress ff:ff:ff:ff:ff:ff is a multicast MAC");
        rejects(() -> Macvlan.builder().name("mv0").build(), "parent must not be empty");
        rejects(() -> Macvlan.builder().name("mv0").parent("eth0").macvlanFlags(4).build(), "macvlanFlags 0x4 has unknown bits");
        rejects(() -> Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.BRIDGE).macvlanFlags(1).build(), "NOPROMISC needs mode PASSTHRU");
        rejects(() -> Vlan.builder().name("v100").parent("eth0").build(), "id must be set (1..4094)");
        rejects(() -> Vlan.builder().name("v100").parent("eth0").id(0).build(), "id 0 out of range [1..4094]");
        rejects(() -> Vlan.builder().name("v100").parent("eth0").id(4095).build(), "id 4095 out of range [1..4094]");
        rejects(() -> Vlan.builder().name("v100").id(5).build(), "parent must not be empty");
        rejects(() -> Vlan.builder().name("v100").parent("eth0").id(5).protocol(0x800).build(), "protocol 0x800 must be 0x8100");
        rejects(() -> BridgePort.builder().priority(64).build(), "priority 64 out of range [0..63]");
        rejects(() -> BridgePort.builder().cost(0).build(), "cost 0 out of range [1..65535]");
        rejects(() -> GenericLink.builder().name("x").build(), "kind must be set");
    }

    @Test
    void differencesNameOnlySetFields() {
        Vxlan want = vx().remote("10.0.0.2").ttl(5).build();
        Vxlan have = vx().vni(43).remote("10.0.0.2").ttl(6).learning(true).mtu(1450).build();
        assertThat(want.differences(have)).containsExactly("ttl", "vni");
        assertThat(VxlanCodec.INSTANCE.isImmutable("vni")).isTrue();
        assertThat(VxlanCodec.INSTANCE.isImmutable("ttl")).isFalse();
        assertThat(VxlanCodec.INSTANCE.isImmutable("dstPort")).isTrue();
        assertThat(want.differences(Bridge.builder().name("vxlan0").build())).containsExactly("kind");
    }

    @Test
    void restrictedToKeepsOnlyTheNamedFieldsAndPutsThemBack() {
        Vxlan have = vx().ttl(6).learning(true).mtu(1400).address(MacAddress.parse("02:00:00:00:00:01")).build();
        Vxlan want = vx().ttl(5).mtu(1450).build();
        List<String> changed = want.differences(have);
        assertThat(changed).containsExactlyInAnyOrder("ttl", "mtu");
        Link restore = have.restrictedTo(changed);
        assertThat(restore).isInstanceOf(Vxlan.class);
        assertThat(restore.name()).isEqualTo(have.name());
        assertThat(restore.mtu()).isEqualTo(1400);
        assertThat(((Vxlan) restore).ttl()).isEqualTo(6);
        assertThat(restore.address()).as("not changed, so not carried").isNull();
        assertThat(((Vxlan) restore).learning()).isNull();
        assertThat(((Vxlan) restore).vni()).isNull();
        // Applying it to what ensure(want) left makes exactly those fields differ.
        Vxlan after = have.toBuilder().ttl(5).mtu(1450).build();
        assertThat(restore.differences(after)).containsExactlyInAnyOrder("ttl", "mtu");
        assertThat(restore.differences(have)).isEmpty();
    }
}
