package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A link's toString reads like iproute2: the expected strings are written from
 * ip-link(8)'s syntax ({@code ip link add NAME type vxlan id 42 dstport 4789 ...}),
 * not copied from the code's output.
 */
class LinkTextTest {
    @Test
    void vxlanReadsLikeIpLinkAdd() {
        Vxlan v = Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).group("239.1.1.1").device("eth1")
                .learning(false).ttl(64).mtu(1450).master("br0").up(true).build();
        assertThat(v.toString()).isEqualTo(
                "vxlan0 vxlan id 42 group 239.1.1.1 dev eth1 dstport 4789 ttl 64 nolearning mtu 1450 master br0 up");
    }

    @Test
    void vxlanUnicastRemoteIpv6AndFlags() {
        Vxlan v = Vxlan.builder().name("vx6").vni(7).remote("2001:db8::1").local("2001:db8::2").srcPortRange(1000, 2000)
                .udpCsum(true).gbp(true).ttlInherit(true).label(5).limit(100).build();
        // dstport 4789 is the builder's default (IANA's port; the kernel's own default is 8472);
        // after the endpoints, options follow the order iproute2 writes them.
        assertThat(v.toString()).isEqualTo("vx6 vxlan id 7 remote 2001:db8::1 local 2001:db8::2 dstport 4789"
                + " srcport 1000 2000 udpcsum maxaddress 100 flowlabel 5 ttl inherit gbp");
    }

    @Test
    void bridgeUsesIpDetailWords() {
        Bridge b = Bridge.builder().name("br0").stp(false).forwardDelay(Duration.ofSeconds(15)).vlanFiltering(true)
                .vlanProtocol(0x88a8).mcastSnooping(false).linkGroup(7).build();
        assertThat(b.toString()).isEqualTo(
                "br0 bridge forward_delay 1500 stp_state 0 vlan_filtering 1 vlan_protocol 802.1ad mcast_snooping 0 group 7");
    }

    @Test
    void vethShowsItsPeer() {
        Veth v = Veth.builder().name("veth0").peer("eth-tmp").peerMtu(1400).txQueueLength(500).build();
        assertThat(v.toString()).isEqualTo("veth0 veth peer name eth-tmp peer_mtu 1400 qlen 500");
    }

    @Test
    void macvlanAndVlanName() {
        assertThat(Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.BRIDGE).build().toString())
                .isEqualTo("mv0 macvlan link eth0 mode bridge");
        assertThat(Vlan.builder().name("eth0.100").parent("eth0").id(100).build().toString())
                .isEqualTo("eth0.100 vlan link eth0 id 100");
        assertThat(Vlan.builder().name("q").parent("eth0").id(5).protocol(0x88a8).build().toString())
                .isEqualTo("q vlan link eth0 protocol 802.1ad id 5");
    }

    @Test
    void dummyGenericAndAlias() {
        assertThat(Dummy.builder().name("d0").alias("a b").up(false).address("02:00:00:00:00:01").build().toString())
                .isEqualTo("d0 dummy address 02:00:00:00:00:01 alias \"a b\" down");
        assertThat(GenericLink.builder().name("t0").kind("ifb").infoData(new byte[8]).build().toString())
                .isEqualTo("t0 ifb info_data 8 bytes");
    }

    @Test
    void decodedLinkShowsIndexAndStateAndNoAttributeNumbers() throws Exception {
        // A kernel dump (test resource vx1, captured from `ip link add vx1 type vxlan id 100 ...`).
        Link l = Links.decode(LinkDecodeTest.resource("vx1"), NameResolver.NONE);
        String s = l.toString();
        assertThat(s).matches("\\d+: vx1 vxlan id 100 .*").contains(" state ").doesNotContain("=").doesNotContain("{");
    }

    @Test
    void customLinkShowsTheDriversData() {
        record Tap(int mode) {}
        LinkDriver<Tap> d = LinkDriver.of("macvtap", (t, out) -> out.u32(1, t.mode()), in -> new Tap(0));
        assertThat(CustomLink.builder(d).name("tap0").parent("eth0").data(new Tap(4)).build().toString())
                .isEqualTo("tap0 macvtap link eth0 Tap[mode=4]");
    }

    @Test
    void bridgePortReadsLikeBridgeSlave() {
        BridgePort p = BridgePort.builder().priority(32).cost(100).learning(true).flood(false).fastLeave(true).build();
        assertThat(p.toString()).isEqualTo("bridge_slave learning on flood off priority 32 cost 100 fastleave on");
    }
}
