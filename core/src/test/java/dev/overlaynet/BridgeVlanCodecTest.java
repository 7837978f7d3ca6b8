package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.IfBridge;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bridge VLAN requests against what {@code bridge vlan} (iproute2 6.1) sent
 * on kernel 6.18 ({@code strace -xx -e trace=sendmsg}), which then refused
 * them (EOPNOTSUPP: no CONFIG_BRIDGE_VLAN_FILTERING): golden bytes are the
 * only check of these requests on this machine. Ifindexes there: br0 2,
 * vb0 4, vx0 6. Decoding is checked on replies laid out per the uapi.
 */
class BridgeVlanCodecTest {
    private static MessageWriter w() {
        return new MessageWriter(256);
    }

    @Test
    void membershipMatchesBridgeVlanAddDel() {
        MessageWriter w = w(); // bridge vlan add dev vb0 vid 10 pvid untagged
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK,
                BridgeVlan.builder().dev("vb0").vid(10).pvid(true).untagged(true).build(), 4);
        Golden.assertRequest("2c000000130005000000000000000000070000000400000000000000000000000c001a000800020006000a00", w);
        w = w(); // bridge vlan add dev vb0 vid 20-30
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK, BridgeVlan.builder().dev("vb0").vid(20).end(30).build(), 4);
        Golden.assertRequest("340000001300050000000000000000000700000004000000000000000000000014001a0008000200080014000800020010001e00", w);
        w = w(); // bridge vlan add dev vb0 vid 11 master
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK, BridgeVlan.builder().dev("vb0").vid(11).master().build(), 4);
        Golden.assertRequest("340000001300050000000000000000000700000004000000000000000000000014001a0006000000010000000800020000000b00", w);
        w = w(); // bridge vlan add dev br0 vid 12 self untagged
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK,
                BridgeVlan.builder().dev("br0").vid(12).self().untagged(true).build(), 2);
        Golden.assertRequest("340000001300050000000000000000000700000002000000000000000000000014001a0006000000020000000800020004000c00", w);
        w = w(); // bridge vlan add dev vb0 vid 13 self master
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK,
                BridgeVlan.builder().dev("vb0").vid(13).self().master().build(), 4);
        Golden.assertRequest("340000001300050000000000000000000700000004000000000000000000000014001a0006000000030000000800020000000d00", w);
        w = w(); // bridge vlan del dev vb0 vid 10
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_DELLINK, BridgeVlan.builder().dev("vb0").vid(10).build(), 4);
        Golden.assertRequest("2c000000110005000000000000000000070000000400000000000000000000000c001a000800020000000a00", w);
        w = w(); // bridge vlan del dev vb0 vid 20-30
        BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_DELLINK, BridgeVlan.builder().dev("vb0").vid(20).end(30).build(), 4);
        Golden.assertRequest("340000001100050000000000000000000700000004000000000000000000000014001a0008000200080014000800020010001e00", w);
    }

    @Test
    void tunnelMapsMatchBridgeVlanTunnelInfo() {
        MessageWriter w = w(); // bridge vlan add dev vx0 vid 100 tunnel_info id 1000
        BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_SETLINK, VlanTunnel.builder().dev("vx0").vid(100).tunnelId(1000).build(), 6);
        Golden.assertRequest("400000001300050000000000000000000700000006000000000000000000000020001a001c00030008000100e803000006000200640000000600030000000000", w);
        w = w(); // bridge vlan add dev vx0 vid 100-105 tunnel_info id 1000-1005
        BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_SETLINK,
                VlanTunnel.builder().dev("vx0").vid(100).end(105).tunnelId(1000).build(), 6);
        Golden.assertRequest("5c000000130005000000000000000000070000000600000000000000000000003c001a001c00030008000100e8030000060002006400000006000300080000001c00030008000100ed03000006000200690000000600030010000000", w);
        w = w(); // bridge vlan del dev vx0 vid 100 tunnel_info id 1000
        BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_DELLINK, VlanTunnel.builder().dev("vx0").vid(100).tunnelId(1000).build(), 6);
        Golden.assertRequest("400000001100050000000000000000000700000006000000000000000000000020001a001c00030008000100e803000006000200640000000600030000000000", w);
        w = w(); // bridge vlan add dev vx0 vid 100 tunnel_info id 1000 master
        BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_SETLINK,
                VlanTunnel.builder().dev("vx0").vid(100).tunnelId(1000).master().build(), 6);
        Golden.assertRequest("480000001300050000000000000000000700000006000000000000000000000028001a0006000000010000001c00030008000100e803000006000200640000000600030000000000", w);
    }

    @Test
    void optionsMatchBridgeVlanSetAndGlobalSet() {
        MessageWriter w = w(); // bridge vlan set dev vb0 vid 10 state 3
        BridgeVlanCodec.encodeOptions(w, BridgeVlanOptions.builder().dev("vb0").vid(10).state(StpState.FORWARDING).build(), 4);
        Golden.assertRequest("2c0000007000050000000000000000000700000004000000140001800800010040000a000500030003000000", w);
        w = w(); // bridge vlan set dev vb0 vid 10-12 state forwarding mcast_router 2
        BridgeVlanCodec.encodeOptions(w, BridgeVlanOptions.builder().dev("vb0").vid(10).end(12)
                .state(StpState.FORWARDING).mcastRouter(2).build(), 4);
        Golden.assertRequest("3c0000007000050000000000000000000700000004000000240001800800010040000a00060002000c00000005000300030000000500060002000000", w);
        w = w(); // bridge vlan set dev vb0 vid 10 mcast_router 0
        BridgeVlanCodec.encodeOptions(w, BridgeVlanOptions.builder().dev("vb0").vid(10).mcastRouter(0).build(), 4);
        Golden.assertRequest("2c0000007000050000000000000000000700000004000000140001800800010040000a000500060000000000", w);
        w = w(); // bridge vlan global set dev br0 vid 10 mcast_snooping 1
        BridgeVlanCodec.encodeGlobal(w, BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastSnooping(true).build(), 2);
        Golden.assertRequest("2c000000700005000000000000000000070000000200000014000280060001000a0000000500030001000000", w);
        w = w(); // bridge vlan global set dev br0 vid 10-20 mcast_snooping 0 mcast_querier 1 mcast_igmp_version 3
        //   mcast_mld_version 2 mcast_last_member_count 5 mcast_startup_query_count 7 mcast_last_member_interval 100
        //   mcast_startup_query_interval 3125 mcast_membership_interval 26000 mcast_querier_interval 25500
        //   mcast_query_interval 12500 mcast_query_response_interval 1000
        BridgeVlanCodec.encodeGlobal(w, BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).end(20)
                .mcastSnooping(false).mcastQuerier(true).mcastIgmpVersion(3).mcastMldVersion(2)
                .mcastLastMemberCount(5).mcastStartupQueryCount(7).mcastLastMemberInterval(Duration.ofSeconds(1))
                .mcastStartupQueryInterval(Duration.ofMillis(31250)).mcastMembershipInterval(Duration.ofSeconds(260))
                .mcastQuerierInterval(Duration.ofSeconds(255)).mcastQueryInterval(Duration.ofSeconds(125))
                .mcastQueryResponseInterval(Duration.ofSeconds(10)).build(), 2);
        Golden.assertRequest("a400000070000500000000000000000007000000020000008c000280060001000a0000000600020014000000"
                + "050003000000000005000f000100000005000400030000000500050002000000080006000500000008000700070000000c00"
                + "080064000000000000000c000e00350c0000000000000c000a0090650000000000000c000b009c630000000000000c000c00"
                + "d4300000000000000c000d00e803000000000000", w);
    }

    @Test
    void vlanDbEntriesFollowTheUapiLayout() {
        // Not sent by iproute2 6.1: laid out per if_bridge.h (br_vlan_msg, BRIDGE_VLANDB_ENTRY nest,
        // INFO = struct bridge_vlan_info {u16 flags; u16 vid}, RANGE u16).
        MessageWriter w = w();
        BridgeVlanCodec.encodeEntry(w, RtNetlink.RTM_NEWVLAN,
                BridgeVlan.builder().dev("vb0").vid(10).pvid(true).untagged(true).build(), 4);
        Golden.assertRequest("24000000700005000000000000000000" + "0700000004000000"
                + "0c000180" + "08000100" + "0600" + "0a00", w);
        w = w();
        BridgeVlanCodec.encodeEntry(w, RtNetlink.RTM_DELVLAN, BridgeVlan.builder().dev("vb0").vid(20).end(30).build(), 4);
        Golden.assertRequest("2c000000710005000000000000000000" + "0700000004000000"
                + "14000180" + "08000100" + "0000" + "1400" + "06000200" + "1e000000", w);
    }

    @Test
    void dumpRequestsMatchBridgeVlanShow() {
        MessageWriter w = w(); // bridge vlan show
        BridgeVlanCodec.encodeLinkDump(w);
        Golden.assertRequest("280000001200010300000000000000000700000000000000000000000000000008001d0002000000", w);
        w = w(); // bridge -d vlan show
        BridgeVlanCodec.encodeVlanDump(w, 0, 0);
        Golden.assertRequest("2000000072000103000000000000000007000000000000000800010000000000", w);
        w = w(); // bridge vlan global show
        BridgeVlanCodec.encodeVlanDump(w, 0, IfBridge.BRIDGE_VLANDB_DUMPF_GLOBAL);
        Golden.assertRequest("2000000072000103000000000000000007000000000000000800010002000000", w);
    }

    @Test
    void decodesVlansAndTunnelsOfALinkDumpReply() {
        // An AF_BRIDGE RTM_NEWLINK for vb0 (4) as the kernel lays it out: IFLA_AF_SPEC with
        // VLAN_INFO 10 pvid untagged, a 20-30 range, a tunnel map 100-105 -> 1000-1005.
        String msg = "74000000100002000000000000000000" + "07000000040000000000000000000000"
                + "54001a00" + "080002000600" + "0a00" + "0800020008001400" + "0800020010001e00"
                + "1c00030008000100e8030000060002006400000006000300080000001c00030008000100ed03000006000200690000000600030010000000";
        List<BridgeVlan> vlans = new ArrayList<>();
        List<VlanTunnel> tunnels = new ArrayList<>();
        BridgeVlanCodec.decodeLink(Golden.message(msg), i -> i == 4 ? "vb0" : null, Golden.attrs(), vlans::add, tunnels::add);
        assertThat(vlans).extracting(BridgeVlan::toString).containsExactly("dev vb0 vid 10 pvid untagged", "dev vb0 vid 20-30");
        assertThat(tunnels).extracting(VlanTunnel::toString).containsExactly("dev vb0 vid 100-105 tunnel_info id 1000-1005");
    }

    @Test
    void decodesEntriesAndGlobalOptionsOfAVlanDumpReply() {
        // RTM_NEWVLAN: the options request bodies above, as a reply carries them (INFO without ONLY_OPTS).
        MessageWriter w = w();
        BridgeVlanCodec.encodeOptions(w, BridgeVlanOptions.builder().dev("vb0").vid(10).end(12)
                .state(StpState.LEARNING).mcastRouter(2).build(), 4);
        List<BridgeVlanOptions> entries = new ArrayList<>();
        BridgeVlanCodec.decodeVlan(Golden.message(HexFormat.of().formatHex(w.toByteArray())), i -> "vb0",
                Golden.attrs(), entries::add, g -> { });
        assertThat(entries).extracting(BridgeVlanOptions::toString).containsExactly("dev vb0 vid 10-12 state learning mcast_router 2");

        BridgeVlanGlobalOptions want = BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).end(20)
                .mcastSnooping(true).mcastIgmpVersion(3).mcastQueryInterval(Duration.ofSeconds(125)).build();
        w = w();
        BridgeVlanCodec.encodeGlobal(w, want, 2);
        List<BridgeVlanGlobalOptions> globals = new ArrayList<>();
        BridgeVlanCodec.decodeVlan(Golden.message(HexFormat.of().formatHex(w.toByteArray())), i -> "br0",
                Golden.attrs(), e -> { }, globals::add);
        assertThat(globals).containsExactly(want);
    }

    @Test
    void refusesBadValuesNamingTheField() {
        assertThatThrownBy(() -> BridgeVlan.builder().vid(1).build()).hasMessageContaining("dev");
        assertThatThrownBy(() -> BridgeVlan.builder().dev("vb0").vid(4095).build()).hasMessageContaining("vid 4095");
        assertThatThrownBy(() -> BridgeVlan.builder().dev("vb0").vid(0).build()).hasMessageContaining("vid 0");
        assertThatThrownBy(() -> BridgeVlan.builder().dev("vb0").vid(10).end(9).build()).hasMessageContaining("end 9");
        assertThatThrownBy(() -> BridgeVlan.builder().dev("vb0").vid(10).end(12).pvid(true).build()).hasMessageContaining("pvid");
        assertThatThrownBy(() -> VlanTunnel.builder().dev("vx0").vid(10).build()).hasMessageContaining("tunnelId");
        assertThatThrownBy(() -> VlanTunnel.builder().dev("vx0").vid(10).end(20).tunnelId(16777210).build())
                .hasMessageContaining("tunnelId");
        assertThatThrownBy(() -> BridgeVlanOptions.builder().dev("vb0").vid(10).build()).hasMessageContaining("state or mcastRouter");
        assertThatThrownBy(() -> BridgeVlanOptions.builder().dev("vb0").vid(10).mcastRouter(4).build()).hasMessageContaining("mcastRouter");
        assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastIgmpVersion(1).build())
                .hasMessageContaining("mcastIgmpVersion");
        assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastMldVersion(3).build())
                .hasMessageContaining("mcastMldVersion");
        assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10)
                .mcastQueryInterval(Duration.ofMillis(1005)).build()).hasMessageContaining("mcastQueryInterval");
        assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastLastMemberCount(-1).build())
                .hasMessageContaining("mcastLastMemberCount");
    }
}
