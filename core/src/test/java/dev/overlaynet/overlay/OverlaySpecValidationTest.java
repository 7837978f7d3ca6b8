package dev.overlaynet.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import java.net.InetAddress;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validation of Overlay, HostSpec and ContainerSpec builders and of the
 * checks join, attach and addRemote make before any syscall. No root needed.
 */
class OverlaySpecValidationTest {
    private static NetNs ns;

    @BeforeAll
    static void openNamespace() throws Exception {
        // Only a handle for ContainerSpec to hold; nothing is ever sent into it.
        ns = NetNs.current();
    }

    @AfterAll
    static void closeNamespace() {
        ns.close();
    }

    private static Overlay.Builder valid() {
        return Overlay.builder().cidr("10.233.0.0/16").vni(42).multicastGroup("239.1.1.1");
    }

    private static void overlayFails(Consumer<Overlay.Builder> change, String... fragments) {
        Overlay.Builder b = valid();
        change.accept(b);
        var t = assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class);
        for (String f : fragments) {
            t.hasMessageContaining(f);
        }
    }

    @Test
    void overlayDefaults() {
        Overlay o = valid().build();
        assertThat(o.cidr().toString()).isEqualTo("10.233.0.0/16");
        assertThat(o.gateway().getHostAddress()).isEqualTo("10.233.0.1");
        assertThat(o.gatewayPrefix().toString()).isEqualTo("10.233.0.1/16");
        assertThat(o.dstPort()).isEqualTo(4789);
        assertThat(o.vxlanName()).isEqualTo("vxlan0");
        assertThat(o.bridgeName()).isEqualTo("br0");
        assertThat(o.nat()).isTrue();
        assertThat(o.mtu()).isNull();
        assertThat(o.tag()).isEqualTo("overlaynet-vni-42");
        assertThat(o.mode()).isEqualTo(Overlay.Mode.MULTICAST);
        assertThat(o.group().getHostAddress()).isEqualTo("239.1.1.1");
        assertThat(Overlay.builder().cidr("10.9.8.7/8").vni(1).unicast().build().cidr().toString())
                .as("host bits cleared").isEqualTo("10.0.0.0/8");
        assertThat(valid().unicast().build().group()).isNull();
    }

    @Test
    void overlayRequiredFields() {
        assertThatThrownBy(() -> Overlay.builder().vni(1).unicast().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cidr is required");
        assertThatThrownBy(() -> Overlay.builder().cidr("10.233.0.0/16").unicast().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vni is required");
        assertThatThrownBy(() -> Overlay.builder().cidr("10.233.0.0/16").vni(1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode is required");
    }

    @Test
    void overlayRanges() {
        overlayFails(b -> b.vni(0), "vni 0", "[1..16777215]");
        overlayFails(b -> b.vni(16_777_216), "vni 16777216");
        overlayFails(b -> b.vni(-5), "vni -5");
        assertThat(valid().vni(1).build().vni()).isEqualTo(1);
        assertThat(valid().vni(16_777_215).build().vni()).isEqualTo(16_777_215);
        overlayFails(b -> b.dstPort(0), "dstPort 0", "[1..65535]");
        overlayFails(b -> b.dstPort(65_536), "dstPort 65536");
        assertThat(valid().dstPort(65_535).build().dstPort()).isEqualTo(65_535);
        overlayFails(b -> b.mtu(67), "mtu 67");
        overlayFails(b -> b.mtu(65_536), "mtu 65536");
        assertThat(valid().mtu(1400).build().mtu()).isEqualTo(1400);
    }

    @Test
    void overlayCidrAndGroup() {
        overlayFails(b -> b.cidr("fd00::/64"), "only IPv4");
        overlayFails(b -> b.cidr("10.0.0.0/31"), "too small");
        assertThatThrownBy(() -> valid().cidr("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cidr");
        assertThatThrownBy(() -> valid().cidr("banana")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cidr");
        overlayFails(b -> b.multicastGroup("10.1.1.1"), "multicastGroup 10.1.1.1", "not an IPv4 multicast");
        overlayFails(b -> b.multicastGroup("ff02::1"), "multicastGroup ff02", "not an IPv4 multicast");
        assertThatThrownBy(() -> valid().multicastGroup("239.1.1")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multicastGroup");
    }

    @Test
    void overlayGateway() {
        overlayFails(b -> b.gateway("10.234.0.1"), "gateway 10.234.0.1 is outside cidr 10.233.0.0/16");
        overlayFails(b -> b.gateway("10.233.0.0"), "network or broadcast");
        overlayFails(b -> b.gateway("10.233.255.255"), "network or broadcast");
        assertThat(valid().gateway("10.233.255.254").build().gateway().getHostAddress()).isEqualTo("10.233.255.254");
        assertThat(Overlay.builder().cidr("192.168.7.4/30").vni(1).unicast().build().gateway().getHostAddress()).isEqualTo("192.168.7.5");
    }

    @Test
    void overlayNames() {
        overlayFails(b -> b.vxlanName(""), "vxlanName must not be empty");
        overlayFails(b -> b.vxlanName("a-name-too-long-x"), "vxlanName", "bytes; max 15");
        overlayFails(b -> b.bridgeName("br/0"), "bridgeName");
        overlayFails(b -> b.bridgeName("vxlan0"), "must differ");
        overlayFails(b -> b.tag(" "), "tag");
    }

    @Test
    void overlayToBuilderKeepsSetValuesAndRederivesDefaults() {
        Overlay o = valid().dstPort(8472).nat(false).mtu(1400).vxlanName("vx1").bridgeName("cbr1").build();
        Overlay copy = o.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(o.toString());
        assertThat(copy.mtu()).isEqualTo(1400);
        assertThat(copy.vxlanName()).isEqualTo("vx1");
        assertThat(copy.bridgeName()).isEqualTo("cbr1");
        assertThat(copy.tag()).isEqualTo("overlaynet-vni-42");
        Overlay other = o.toBuilder().cidr("10.50.0.0/16").vni(7).build();
        assertThat(other.gateway().getHostAddress()).as("derived gateway follows the cidr").isEqualTo("10.50.0.1");
        assertThat(other.tag()).as("derived tag follows the vni").isEqualTo("overlaynet-vni-7");
        Overlay explicit = valid().gateway("10.233.0.254").tag("mine").build();
        assertThat(explicit.toBuilder().vni(9).build().tag()).isEqualTo("mine");
        assertThat(explicit.toBuilder().build().gateway().getHostAddress()).isEqualTo("10.233.0.254");
        assertThatThrownBy(() -> explicit.toBuilder().cidr("10.50.0.0/16").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway 10.233.0.254 is outside");
    }

    @Test
    void hostSpec() {
        HostSpec h = HostSpec.builder().underlayDevice("eth1").localAddress("172.16.1.11").hostAddress("10.233.255.11").build();
        assertThat(h.underlayDevice()).isEqualTo("eth1");
        assertThat(h.localAddress().getHostAddress()).isEqualTo("172.16.1.11");
        assertThat(h.hostAddress().getHostAddress()).isEqualTo("10.233.255.11");
        HostSpec copy = h.toBuilder().build();
        assertThat(copy.localAddress()).isEqualTo(h.localAddress());
        assertThat(copy.hostAddress()).isEqualTo(h.hostAddress());
        assertThat(HostSpec.builder().underlayDevice("eth1").build().localAddress()).isNull();

        assertThatThrownBy(() -> HostSpec.builder().build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("underlayDevice must not be empty");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth 1").build()).hasMessageContaining("underlayDevice");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").localAddress("239.1.1.1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localAddress 239.1.1.1 must be a unicast IPv4");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").localAddress("fd00::1").build()).hasMessageContaining("localAddress");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").localAddress("0.0.0.0").build()).hasMessageContaining("localAddress");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").localAddress("255.255.255.255").build()).hasMessageContaining("localAddress");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").localAddress("172.16.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("localAddress");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").hostAddress("fd00::1").build()).hasMessageContaining("hostAddress");
        assertThatThrownBy(() -> HostSpec.builder().underlayDevice("eth1").hostAddress("224.0.0.1").build()).hasMessageContaining("hostAddress");
    }

    @Test
    void containerSpecDefaultsAreDerivedFromTheIp() {
        ContainerSpec c = ContainerSpec.builder().namespace(ns).ip("10.233.1.2").build();
        // 10.233.1.2 = 0a e9 01 02
        assertThat(c.hostInterfaceName()).isEqualTo("ov0ae90102");
        assertThat(c.mac()).isEqualTo(MacAddress.parse("0a:58:0a:e9:01:02"));
        assertThat(c.interfaceName()).isEqualTo("eth0");
        ContainerSpec moved = c.toBuilder().ip("10.233.1.3").build();
        assertThat(moved.hostInterfaceName()).as("derived names follow the new ip").isEqualTo("ov0ae90103");
        assertThat(moved.mac()).isEqualTo(MacAddress.parse("0a:58:0a:e9:01:03"));
        ContainerSpec named = c.toBuilder().hostInterfaceName("vethc1").mac("02:00:00:00:00:01").interfaceName("net0").build();
        ContainerSpec namedMoved = named.toBuilder().ip("10.233.1.4").build();
        assertThat(namedMoved.hostInterfaceName()).isEqualTo("vethc1");
        assertThat(namedMoved.mac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
        assertThat(namedMoved.interfaceName()).isEqualTo("net0");
        assertThat(namedMoved.namespace()).isSameAs(ns);
    }

    @Test
    void containerSpecValidation() {
        assertThatThrownBy(() -> ContainerSpec.builder().ip("10.233.1.2").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("namespace is required");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ip is required");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("fd00::2").build()).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.300")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ip");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.2").interfaceName("").build())
                .hasMessageContaining("interfaceName must not be empty");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.2").hostInterfaceName("veth:1").build())
                .hasMessageContaining("hostInterfaceName");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.2").mac("01:00:5e:00:00:01").build())
                .hasMessageContaining("mac 01:00:5e:00:00:01 must be a unicast");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.2").mac("00:00:00:00:00:00").build())
                .hasMessageContaining("must be a unicast, non-zero");
        assertThatThrownBy(() -> ContainerSpec.builder().namespace(ns).ip("10.233.1.2").mac("zz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mac: ");
    }

    @Test
    void joinChecks() {
        Overlay uni = valid().unicast().build();
        HostSpec noLocal = HostSpec.builder().underlayDevice("eth1").build();
        assertThatThrownBy(() -> OverlayHost.checkJoin(uni, noLocal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unicast mode needs the host's localAddress");
        OverlayHost.checkJoin(valid().build(), noLocal); // multicast may go without
        assertThatThrownBy(() -> OverlayHost.checkJoin(uni, host("10.233.7.7", null))).hasMessageContaining("must be outside the overlay");
        assertThatThrownBy(() -> OverlayHost.checkJoin(uni, host("172.16.1.11", "10.99.0.5"))).hasMessageContaining("hostAddress 10.99.0.5 is outside 10.233.0.0/16");
        assertThatThrownBy(() -> OverlayHost.checkJoin(uni, host("172.16.1.11", "10.233.0.1"))).hasMessageContaining("differ from the shared gateway");
        assertThatThrownBy(() -> OverlayHost.checkJoin(uni, host("172.16.1.11", "10.233.255.255"))).hasMessageContaining("broadcast");
        OverlayHost.checkJoin(uni, host("172.16.1.11", "10.233.255.11"));
    }

    @Test
    void joinValidatesBeforeAnySyscall() throws Exception {
        // A closed handle: had join sent anything, it would fail with another exception than this IAE.
        Netlink closed = Netlink.open();
        closed.close();
        Overlay uni = valid().unicast().build();
        assertThatThrownBy(() -> OverlayHost.join(closed, uni, HostSpec.builder().underlayDevice("eth1").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localAddress");
        assertThatThrownBy(() -> OverlayHost.join(closed, uni, host("172.16.1.11", "10.234.0.9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hostAddress 10.234.0.9 is outside");
    }

    @Test
    void attachChecks() {
        Overlay o = valid().build();
        HostSpec h = host("172.16.1.11", "10.233.255.11");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h, container("10.234.1.2"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("container ip 10.234.1.2 is outside 10.233.0.0/16");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h, container("10.233.0.1"))).hasMessageContaining("gateway's or the host's");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h, container("10.233.255.11"))).hasMessageContaining("gateway's or the host's");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h, container("10.233.0.0"))).hasMessageContaining("network or broadcast");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h,
                ContainerSpec.builder().namespace(ns).ip("10.233.1.2").hostInterfaceName("br0").build())).hasMessageContaining("hostInterfaceName br0 is taken");
        assertThatThrownBy(() -> OverlayHost.checkAttach(o, h,
                ContainerSpec.builder().namespace(ns).ip("10.233.1.2").hostInterfaceName("eth1").build())).hasMessageContaining("hostInterfaceName eth1 is taken");
        OverlayHost.checkAttach(o, h, container("10.233.1.0")); // a host address in a /16
    }

    @Test
    void remoteChecks() throws Exception {
        Overlay o = valid().unicast().build();
        HostSpec h = host("172.16.1.11", "10.233.255.11");
        MacAddress mac = MacAddress.parse("0a:58:0a:e9:02:02");
        InetAddress other = InetAddress.getByName("172.16.1.12");
        assertThatThrownBy(() -> OverlayHost.checkRemote(o, h, new Endpoint(InetAddress.getByName("10.9.2.2"), mac, other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 10.233.0.0/16");
        assertThatThrownBy(() -> OverlayHost.checkRemote(o, h, new Endpoint(InetAddress.getByName("10.233.2.2"), mac, null)))
                .hasMessageContaining("has no host address");
        assertThatThrownBy(() -> OverlayHost.checkRemote(o, h, new Endpoint(InetAddress.getByName("10.233.2.2"), mac, h.localAddress())))
                .hasMessageContaining("lives on this host");
        assertThatThrownBy(() -> OverlayHost.checkRemote(o, h, new Endpoint(InetAddress.getByName("10.233.0.1"), mac, other)))
                .hasMessageContaining("gateway's");
        OverlayHost.checkRemote(o, h, new Endpoint(InetAddress.getByName("10.233.2.2"), mac, other));
        assertThatThrownBy(() -> new Endpoint(null, mac, other)).isInstanceOf(NullPointerException.class).hasMessageContaining("ip");
    }

    private static HostSpec host(String local, String hostAddress) {
        HostSpec.Builder b = HostSpec.builder().underlayDevice("eth1").localAddress(local);
        if (hostAddress != null) {
            b.hostAddress(hostAddress);
        }
        return b.build();
    }

    private static ContainerSpec container(String ip) {
        return ContainerSpec.builder().namespace(ns).ip(ip).build();
    }
}
