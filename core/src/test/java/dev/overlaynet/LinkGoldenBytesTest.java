package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact RTM_NEWLINK bytes for each kind. vxlan, bridge, veth and macvlan
 * expectations are what {@code strace -f -e trace=sendmsg -xx ip -n hl-g link add ...}
 * showed iproute2 6.1 sending (kernel 6.18), with seq and pid masked to 0; the
 * builders state every attribute ip sent. vlan, dummy (not in this kernel) and
 * the bridge-port message are derived by hand from the uapi headers.
 *
 * <p>Our writer leaves NLM_F_ACK to the socket, which sets it at send time;
 * the comparison adds it the same way.
 */
class LinkGoldenBytesTest {
    /** ifindexes as they were in the namespace where ip ran. */
    private static final NameResolver NAMES = new NameResolver() {
        private final Map<String, Integer> index = Map.of("ul0", 2, "ve0", 9, "eth0", 2);

        @Override
        public int ifindex(String name) {
            return index.get(name);
        }

        @Override
        public String name(int i) {
            return null;
        }
    };

    static byte[] encode(Link l) throws Exception {
        MessageWriter w = new MessageWriter();
        LinkCodec.encodeNewLink(w, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, l, 0, NAMES, true);
        return withAck(w.toByteArray());
    }

    static byte[] withAck(byte[] b) {
        b[6] |= Nlmsg.NLM_F_ACK;
        return b;
    }

    private static void assertBytes(Link l, String expected) throws Exception {
        assertThat(TestHex.format(encode(l))).isEqualTo(TestHex.format(TestHex.parse(expected)));
    }

    /** ip link add vxlan0 type vxlan id 42 dstport 4789 group 239.1.1.1 dev ul0 ttl 5 -- ip adds learning 1 and the port on its own: the builder states them explicitly. */
    @Test
    void vxlanMulticastAsIpSendsIt() throws Exception {
        assertBytes(Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).group("239.1.1.1").device("ul0").ttl(5).learning(true).build(), """
            70 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 112, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            0b 00 03 00 76 78 6c 61 6e 30 00 00 // IFLA_IFNAME = vxlan0
            44 00 12 00 // IFLA_LINKINFO (nested, len 68)
            09 00 01 00 76 78 6c 61 6e 00 00 00 //   IFLA_INFO_KIND = vxlan
            34 00 02 00 //   IFLA_INFO_DATA (nested, len 52)
            08 00 03 00 02 00 00 00 //     IFLA_VXLAN_LINK = 02 00 00 00
            05 00 05 00 05 00 00 00 //     IFLA_VXLAN_TTL = 05
            08 00 01 00 2a 00 00 00 //     IFLA_VXLAN_ID = 2a 00 00 00
            08 00 02 00 ef 01 01 01 //     IFLA_VXLAN_GROUP = ef 01 01 01
            05 00 07 00 01 00 00 00 //     IFLA_VXLAN_LEARNING = 01
            06 00 0f 00 12 b5 00 00 //     IFLA_VXLAN_PORT = 12 b5
            """);
    }

    /** ip link add vx1 type vxlan id 100 remote 10.0.0.2 local 10.0.0.1 dstport 4790 srcport 1000 2000 nolearning proxy rsc l2miss l3miss noudpcsum udp6zerocsumtx udp6zerocsumrx remcsumtx remcsumrx ageing 200 maxaddress 50 tos 16 ttl 64 df set -- ip reads "tos 16" as hex: 0x16. */
    @Test
    void vxlanUnicastEveryFlag() throws Exception {
        assertBytes(Vxlan.builder().name("vx1").vni(100).remote("10.0.0.2").local("10.0.0.1").dstPort(4790)
                .srcPortRange(1000, 2000).learning(false).proxy(true).rsc(true).l2miss(true).l3miss(true)
                .udpCsum(false).udp6ZeroCsumTx(true).udp6ZeroCsumRx(true).remcsumTx(true).remcsumRx(true)
                .ageing(200).limit(50).tos(0x16).ttl(64).df(VxlanDf.SET).build(), """
            dc 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 220, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 03 00 76 78 31 00 // IFLA_IFNAME = vx1
            b4 00 12 00 // IFLA_LINKINFO (nested, len 180)
            09 00 01 00 76 78 6c 61 6e 00 00 00 //   IFLA_INFO_KIND = vxlan
            a4 00 02 00 //   IFLA_INFO_DATA (nested, len 164)
            08 00 0a 00 03 e8 07 d0 //     IFLA_VXLAN_PORT_RANGE = 03 e8 07 d0
            05 00 0b 00 01 00 00 00 //     IFLA_VXLAN_PROXY = 01
            05 00 0c 00 01 00 00 00 //     IFLA_VXLAN_RSC = 01
            05 00 0d 00 01 00 00 00 //     IFLA_VXLAN_L2MISS = 01
            05 00 0e 00 01 00 00 00 //     IFLA_VXLAN_L3MISS = 01
            05 00 12 00 00 00 00 00 //     IFLA_VXLAN_UDP_CSUM = 00
            05 00 13 00 01 00 00 00 //     IFLA_VXLAN_UDP_ZERO_CSUM6_TX = 01
            05 00 14 00 01 00 00 00 //     IFLA_VXLAN_UDP_ZERO_CSUM6_RX = 01
            05 00 15 00 01 00 00 00 //     IFLA_VXLAN_REMCSUM_TX = 01
            05 00 16 00 01 00 00 00 //     IFLA_VXLAN_REMCSUM_RX = 01
            08 00 08 00 c8 00 00 00 //     IFLA_VXLAN_AGEING = c8 00 00 00
            08 00 09 00 32 00 00 00 //     IFLA_VXLAN_LIMIT = 32 00 00 00
            05 00 06 00 16 00 00 00 //     IFLA_VXLAN_TOS = 16
            05 00 05 00 40 00 00 00 //     IFLA_VXLAN_TTL = 40
            05 00 1d 00 01 00 00 00 //     IFLA_VXLAN_DF = 01
            08 00 01 00 64 00 00 00 //     IFLA_VXLAN_ID = 64 00 00 00
            08 00 04 00 0a 00 00 01 //     IFLA_VXLAN_LOCAL = 0a 00 00 01
            08 00 02 00 0a 00 00 02 //     IFLA_VXLAN_GROUP = 0a 00 00 02
            05 00 07 00 00 00 00 00 //     IFLA_VXLAN_LEARNING = 00
            06 00 0f 00 12 b6 00 00 //     IFLA_VXLAN_PORT = 12 b6
            """);
    }

    /** ip link add vx6 type vxlan id 101 group ff05::1 dev ul0 local fd00::1 flowlabel 5 ttl inherit gbp dstport 4791 -- TTL_INHERIT and GBP are NLA_FLAGs (no payload); LABEL is be32. */
    @Test
    void vxlanIpv6LabelTtlInheritGbp() throws Exception {
        assertBytes(Vxlan.builder().name("vx6").vni(101).group("ff05::1").device("ul0").local("fd00::1").label(5)
                .ttlInherit(true).gbp(true).dstPort(4791).learning(true).build(), """
            94 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 148, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 03 00 76 78 36 00 // IFLA_IFNAME = vx6
            6c 00 12 00 // IFLA_LINKINFO (nested, len 108)
            09 00 01 00 76 78 6c 61 6e 00 00 00 //   IFLA_INFO_KIND = vxlan
            5c 00 02 00 //   IFLA_INFO_DATA (nested, len 92)
            08 00 03 00 02 00 00 00 //     IFLA_VXLAN_LINK = 02 00 00 00
            08 00 1a 00 00 00 00 05 //     IFLA_VXLAN_LABEL = 00 00 00 05
            04 00 1c 00 //     IFLA_VXLAN_TTL_INHERIT = 
            04 00 17 00 //     IFLA_VXLAN_GBP = 
            08 00 01 00 65 00 00 00 //     IFLA_VXLAN_ID = 65 00 00 00
            14 00 11 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 //     IFLA_VXLAN_LOCAL6 = fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01
            14 00 10 00 ff 05 00 00 00 00 00 00 00 00 00 00 00 00 00 01 //     IFLA_VXLAN_GROUP6 = ff 05 00 00 00 00 00 00 00 00 00 00 00 00 00 01
            05 00 07 00 01 00 00 00 //     IFLA_VXLAN_LEARNING = 01
            06 00 0f 00 12 b7 00 00 //     IFLA_VXLAN_PORT = 12 b7
            """);
    }

    /** ip link add vx8 type vxlan gpe external dstport 4793 -- ip turns learning off for external devices; GPE requires it. */
    @Test
    void vxlanGpeExternal() throws Exception {
        assertBytes(Vxlan.builder().name("vx8").gpe(true).external(true).dstPort(4793).learning(false).build(), """
            58 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 88, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 03 00 76 78 38 00 // IFLA_IFNAME = vx8
            30 00 12 00 // IFLA_LINKINFO (nested, len 48)
            09 00 01 00 76 78 6c 61 6e 00 00 00 //   IFLA_INFO_KIND = vxlan
            20 00 02 00 //   IFLA_INFO_DATA (nested, len 32)
            04 00 1b 00 //     IFLA_VXLAN_GPE = 
            05 00 19 00 01 00 00 00 //     IFLA_VXLAN_COLLECT_METADATA = 01
            05 00 07 00 00 00 00 00 //     IFLA_VXLAN_LEARNING = 00
            06 00 0f 00 12 b9 00 00 //     IFLA_VXLAN_PORT = 12 b9
            """);
    }

    /** ip link add br1 type bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 1 priority 100 vlan_protocol 802.1ad group_fwd_mask 0x8 mcast_snooping 0 mcast_querier 1 -- Times are clock_t (centiseconds): 1500 = 15 s. VLAN_PROTOCOL is be16. */
    @Test
    void bridgeOptions() throws Exception {
        assertBytes(Bridge.builder().name("br1").forwardDelay(Duration.ofSeconds(15)).helloTime(Duration.ofSeconds(2))
                .maxAge(Duration.ofSeconds(20)).ageingTime(Duration.ofSeconds(300)).stp(true).priority(100)
                .vlanProtocol(Bridge.ETH_P_8021AD).groupFwdMask(0x8).mcastSnooping(false).mcastQuerier(true).build(), """
            8c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 140, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 03 00 62 72 31 00 // IFLA_IFNAME = br1
            64 00 12 00 // IFLA_LINKINFO (nested, len 100)
            0a 00 01 00 62 72 69 64 67 65 00 00 //   IFLA_INFO_KIND = bridge
            54 00 02 00 //   IFLA_INFO_DATA (nested, len 84)
            08 00 01 00 dc 05 00 00 //     IFLA_BR_FORWARD_DELAY = dc 05 00 00
            08 00 02 00 c8 00 00 00 //     IFLA_BR_HELLO_TIME = c8 00 00 00
            08 00 03 00 d0 07 00 00 //     IFLA_BR_MAX_AGE = d0 07 00 00
            08 00 04 00 30 75 00 00 //     IFLA_BR_AGEING_TIME = 30 75 00 00
            08 00 05 00 01 00 00 00 //     IFLA_BR_STP_STATE = 01 00 00 00
            06 00 06 00 64 00 00 00 //     IFLA_BR_PRIORITY = 64 00
            06 00 08 00 88 a8 00 00 //     IFLA_BR_VLAN_PROTOCOL = 88 a8
            06 00 09 00 08 00 00 00 //     IFLA_BR_GROUP_FWD_MASK = 08 00
            05 00 17 00 00 00 00 00 //     IFLA_BR_MCAST_SNOOPING = 00
            05 00 19 00 01 00 00 00 //     IFLA_BR_MCAST_QUERIER = 01
            """);
    }

    /** ip link add ve0 type veth peer name ve1 */
    @Test
    void vethPlain() throws Exception {
        assertBytes(Veth.builder().name("ve0").peer("ve1").build(), """
            54 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 84, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 03 00 76 65 30 00 // IFLA_IFNAME = ve0
            2c 00 12 00 // IFLA_LINKINFO (nested, len 44)
            08 00 01 00 76 65 74 68 //   IFLA_INFO_KIND = veth
            20 00 02 00 //   IFLA_INFO_DATA (nested, len 32)
            1c 00 01 00 //     VETH_INFO_PEER (nested, len 28)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 //       struct ifinfomsg of the peer
            08 00 03 00 76 65 31 00 //       IFLA_IFNAME = ve1
            """);
    }

    /** ip link add ve2 address 02:00:00:00:00:02 mtu 1400 type veth peer name ve3 address 02:00:00:00:00:03 mtu 1300 */
    @Test
    void vethWithPeerAddressAndMtu() throws Exception {
        assertBytes(Veth.builder().name("ve2").address("02:00:00:00:00:02").mtu(1400).peer("ve3")
                .peerAddress("02:00:00:00:00:03").peerMtu(1300).build(), """
            7c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 124, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            0a 00 01 00 02 00 00 00 00 02 00 00 // IFLA_ADDRESS = 02 00 00 00 00 02
            08 00 04 00 78 05 00 00 // IFLA_MTU = 78 05 00 00
            08 00 03 00 76 65 32 00 // IFLA_IFNAME = ve2
            40 00 12 00 // IFLA_LINKINFO (nested, len 64)
            08 00 01 00 76 65 74 68 //   IFLA_INFO_KIND = veth
            34 00 02 00 //   IFLA_INFO_DATA (nested, len 52)
            30 00 01 00 //     VETH_INFO_PEER (nested, len 48)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 //       struct ifinfomsg of the peer
            0a 00 01 00 02 00 00 00 00 03 00 00 //       IFLA_ADDRESS = 02 00 00 00 00 03
            08 00 04 00 14 05 00 00 //       IFLA_MTU = 14 05 00 00
            08 00 03 00 76 65 33 00 //       IFLA_IFNAME = ve3
            """);
    }

    /** ip link add mv0 link ve0 type macvlan mode bridge (ve0 was ifindex 9) */
    @Test
    void macvlanBridgeMode() throws Exception {
        assertBytes(Macvlan.builder().name("mv0").parent("ve0").mode(MacvlanMode.BRIDGE).build(), """
            4c 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 76, RTM_NEWLINK, flags 0x605 (REQUEST|ACK|EXCL|CREATE), seq 0, pid 0 (masked)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 05 00 09 00 00 00 // IFLA_LINK = 09 00 00 00
            08 00 03 00 6d 76 30 00 // IFLA_IFNAME = mv0
            1c 00 12 00 // IFLA_LINKINFO (nested, len 28)
            0b 00 01 00 6d 61 63 76 6c 61 6e 00 //   IFLA_INFO_KIND = macvlan
            0c 00 02 00 //   IFLA_INFO_DATA (nested, len 12)
            08 00 01 00 04 00 00 00 //     IFLA_MACVLAN_MODE = 04 00 00 00
            """);
    }

    /**
     * Hand-derived: {@code ip link add link eth0 name eth0.100 type vlan id 100 protocol 802.1ad}
     * (eth0 = ifindex 2). if_link.h: IFLA_VLAN_ID = 1 (u16), IFLA_VLAN_PROTOCOL = 5 (be16);
     * iproute2's vlan_parse_opt writes them in command-line order, protocol first here.
     */
    @Test
    void vlanHandDerived() throws Exception {
        assertBytes(Vlan.builder().name("eth0.100").parent("eth0").id(100).protocol(Vlan.PROTOCOL_8021AD).build(), """
            58 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 88 = 16+16+8+16+32, RTM_NEWLINK (0x10), REQUEST|ACK|EXCL|CREATE
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 05 00 02 00 00 00                         // IFLA_LINK (5) = 2, the parent
            0d 00 03 00 65 74 68 30 2e 31 30 30 00 00 00 00 // IFLA_IFNAME (3) = "eth0.100\0": len 4+9 = 13, padded to 16
            20 00 12 00                                     // IFLA_LINKINFO (18), len 4+8+20 = 32
            08 00 01 00 76 6c 61 6e                         //   IFLA_INFO_KIND (1) = "vlan", no NUL (as ip writes kinds), len 8
            14 00 02 00                                     //   IFLA_INFO_DATA (2), len 4+8+8 = 20
            06 00 05 00 88 a8 00 00                         //     IFLA_VLAN_PROTOCOL (5) = be16 0x88a8 (ETH_P_8021AD)
            06 00 01 00 64 00 00 00                         //     IFLA_VLAN_ID (1) = u16 100
            """);
    }

    /** Hand-derived: {@code ip link add dummy0 mtu 9000 type dummy}: no IFLA_INFO_DATA at all. */
    @Test
    void dummyHandDerived() throws Exception {
        assertBytes(Dummy.builder().name("dummy0").mtu(9000).build(), """
            44 00 00 00 10 00 05 06 00 00 00 00 00 00 00 00 // nlmsghdr: len 68 = 16+16+8+12+16, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0, flags 0, change 0
            08 00 04 00 28 23 00 00                         // IFLA_MTU (4) = u32 9000 (0x2328)
            0b 00 03 00 64 75 6d 6d 79 30 00 00             // IFLA_IFNAME (3) = "dummy0\0": len 11, padded to 12
            10 00 12 00                                     // IFLA_LINKINFO (18), len 16
            09 00 01 00 64 75 6d 6d 79 00 00 00             //   IFLA_INFO_KIND (1) = "dummy", no NUL: len 9, padded to 12
            """);
    }

    /**
     * Bridge port options. iproute2 ({@code ip link set ve2 type bridge_slave learning off hairpin on
     * flood off neigh_suppress on isolated on mcast_flood off bcast_flood off proxy_arp on}) sent:
     * <pre>
     * 78 00 00 00 10 00 05 00 ... ifinfomsg index 11
     * 58 00 12 00  10 00 01 00 "bridge_slave"  44 00 05 00 [the eight u8 attributes below]
     * </pre>
     * We name the port by IFLA_IFNAME instead of its index (one request fewer) and leave out
     * IFLA_INFO_KIND "bridge_slave", a kind no rtnl_link_ops has, so the kernel does not try
     * request_module("rtnl-link-bridge_slave"). IFLA_INFO_SLAVE_DATA is byte for byte ip's.
     */
    @Test
    void bridgePortDerivedFromIp() throws Exception {
        MessageWriter w = new MessageWriter();
        Links.encodeBridgePort(w, "ve2", BridgePort.builder().learning(false).hairpin(true).flood(false)
                .neighSuppress(true).isolated(true).mcastFlood(false).bcastFlood(false).proxyArp(true).build());
        assertThat(TestHex.format(withAck(w.toByteArray()))).isEqualTo(TestHex.format(TestHex.parse("""
            70 00 00 00 10 00 05 00 00 00 00 00 00 00 00 00 // nlmsghdr: len 112 = 16+16+8+72, RTM_NEWLINK, REQUEST|ACK (no CREATE)
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 // struct ifinfomsg: AF_UNSPEC, index 0 (by name)
            08 00 03 00 76 65 32 00                         // IFLA_IFNAME = "ve2"
            48 00 12 00                                     // IFLA_LINKINFO (18), len 4+68 = 72
            44 00 05 00                                     //   IFLA_INFO_SLAVE_DATA (5), len 68, as ip sent it:
            05 00 08 00 00 00 00 00                         //     IFLA_BRPORT_LEARNING (8) = 0
            05 00 04 00 01 00 00 00                         //     IFLA_BRPORT_MODE (4, hairpin) = 1
            05 00 09 00 00 00 00 00                         //     IFLA_BRPORT_UNICAST_FLOOD (9) = 0
            05 00 20 00 01 00 00 00                         //     IFLA_BRPORT_NEIGH_SUPPRESS (32) = 1
            05 00 21 00 01 00 00 00                         //     IFLA_BRPORT_ISOLATED (33) = 1
            05 00 1b 00 00 00 00 00                         //     IFLA_BRPORT_MCAST_FLOOD (27) = 0
            05 00 1e 00 00 00 00 00                         //     IFLA_BRPORT_BCAST_FLOOD (30) = 0
            05 00 0a 00 01 00 00 00                         //     IFLA_BRPORT_PROXYARP (10) = 1
            """)));
    }

    /** A vxlan built without dstPort gets the IANA port 4789, not the kernel's 8472. */
    @Test
    void defaultDstPortIs4789() throws Exception {
        byte[] b = encode(Vxlan.builder().name("v").vni(1).build());
        // last attribute: IFLA_VXLAN_PORT (15) be16 4789 = 0x12b5
        assertThat(TestHex.format(b)).endsWith("06 00 0f 00 12 b5 00 00");
        assertThat(Vxlan.builder().name("v").vni(1).build().dstPort()).isEqualTo(4789);
    }
}
