package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The u32 kernel attributes the typed API exposes as {@code Long}
 * (IFLA_TXQLEN, IFLA_GROUP, IFLA_VXLAN_AGEING, IFLA_VXLAN_LIMIT,
 * BRIDGE_VLANDB_GOPTS_MCAST_*_CNT, NDA_NH_ID, RTA_TABLE): every value 0..2^32-1 is
 * written as its four little-endian bytes and read back exactly, and values
 * outside the range are refused naming the field. The expected bytes are
 * built here from the uapi layout (struct nlattr: u16 len, u16 type,
 * payload in host order), not by the codec under test.
 */
class U32AttributesTest {
    private static final long SEED = Long.getLong("overlaynet.seed", 20261129L);

    /** The edges (0, 2^31-1, 2^31, 2^32-1) and a few seeded random values over the whole range. */
    static List<Long> values() {
        List<Long> v = new ArrayList<>(List.of(0L, 0x7fffffffL, 0x80000000L, 0xffffffffL, 1L, 0xfffffffeL));
        Random r = new Random(SEED);
        for (int i = 0; i < 8; i++) {
            v.add(r.nextLong() & 0xffffffffL);
        }
        return v;
    }

    /** struct nlattr {len 8, type} and a u32 payload, little-endian as on x86/arm64. */
    private static String u32Attr(int type, long v) {
        return String.format("08 00 %02x %02x %02x %02x %02x %02x", type & 0xff, type >> 8,
                v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff);
    }

    private static String hex(byte[] b) {
        return TestHex.format(b).replace("\n", " ");
    }

    private static String le32(long v) {
        return String.format("%02x %02x %02x %02x", v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff);
    }

    @Test
    void linkAndVxlanU32sAreWrittenOverTheWholeRange() throws Exception {
        System.out.println("U32AttributesTest seed " + SEED + " (-Doverlaynet.seed=N to repeat)");
        List<Long> vs = values();
        for (int i = 0; i < vs.size(); i++) {
            long a = vs.get(i);
            long b = vs.get(vs.size() - 1 - i);
            Vxlan vx = Vxlan.builder().name("vx9").vni(5).ageing(a).limit(b).txQueueLength(b).linkGroup(a).build();
            String bytes = hex(LinkGoldenBytesTest.encode(vx));
            assertThat(bytes).as("IFLA_VXLAN_AGEING %d", a).contains(u32Attr(8, a));
            assertThat(bytes).as("IFLA_VXLAN_LIMIT %d", b).contains(u32Attr(9, b));
            assertThat(bytes).as("IFLA_TXQLEN %d", b).contains(u32Attr(13, b));
            assertThat(bytes).as("IFLA_GROUP %d", a).contains(u32Attr(27, a));
            assertThat(vx.ageing()).isEqualTo(a);
            assertThat(vx.limit()).isEqualTo(b);
            assertThat(vx.txQueueLength()).isEqualTo(b);
            assertThat(vx.linkGroup()).isEqualTo(a);
        }
    }

    /** An RTM_NEWLINK reply laid out by hand: ifinfomsg, IFNAME, TXQLEN, GROUP, LINKINFO{vxlan, ID, AGEING, LIMIT, PORT}. */
    static byte[] vxlanReply(long txqlen, long group, long ageing, long limit) {
        return TestHex.parse("""
                6c 00 00 00 10 00 00 00 00 00 00 00 00 00 00 00 // nlmsghdr: len 108, RTM_NEWLINK
                00 00 01 00 07 00 00 00 00 00 00 00 00 00 00 00 // ifinfomsg: ARPHRD_ETHER, index 7
                08 00 03 00 76 78 39 00                         // IFLA_IFNAME vx9
                08 00 0d 00 %s                                  // IFLA_TXQLEN
                08 00 1b 00 %s                                  // IFLA_GROUP
                34 00 12 00                                     // IFLA_LINKINFO
                0a 00 01 00 76 78 6c 61 6e 00 00 00             //   IFLA_INFO_KIND vxlan
                24 00 02 00                                     //   IFLA_INFO_DATA
                08 00 01 00 05 00 00 00                         //     IFLA_VXLAN_ID 5
                08 00 08 00 %s                                  //     IFLA_VXLAN_AGEING
                08 00 09 00 %s                                  //     IFLA_VXLAN_LIMIT
                06 00 0f 00 12 b5 00 00                         //     IFLA_VXLAN_PORT 4789
                """.formatted(le32(txqlen), le32(group), le32(ageing), le32(limit)));
    }

    @Test
    void linkAndVxlanU32sAreReadOverTheWholeRange() {
        List<Long> vs = values();
        for (int i = 0; i < vs.size(); i++) {
            long a = vs.get(i);
            long b = vs.get(vs.size() - 1 - i);
            Vxlan vx = (Vxlan) Links.decode(vxlanReply(b, a, a, b), NameResolver.NONE);
            assertThat(vx.txQueueLength()).as("txQueueLength").isEqualTo(b);
            assertThat(vx.linkGroup()).as("linkGroup").isEqualTo(a);
            assertThat(vx.ageing()).as("ageing").isEqualTo(a);
            assertThat(vx.limit()).as("limit").isEqualTo(b);
            assertThat(vx.toString()).contains(" ageing " + a, " maxaddress " + b, " qlen " + b, " group " + a);
            // what was read builds again and asks for nothing different
            Vxlan want = Vxlan.builder().name("vx9").vni(5).ageing(a).limit(b).txQueueLength(b).linkGroup(a).build();
            assertThat(want.differences(vx)).isEmpty();
            assertThat(vx.toBuilder().build()).isEqualTo(vx);
        }
    }

    @Test
    void ageingZeroIsWhatTheKernelKeepsAs300() {
        // vxlan_config_apply stores FDB_AGE_DEFAULT (300) for 0, on add and on change
        Vxlan kernel = (Vxlan) Links.decode(vxlanReply(0, 0, 300, 0), NameResolver.NONE);
        assertThat(Vxlan.builder().name("vx9").vni(5).ageing(0).build().differences(kernel)).isEmpty();
        assertThat(Vxlan.builder().name("vx9").vni(5).ageing(300).build().differences(kernel)).isEmpty();
        assertThat(Vxlan.builder().name("vx9").vni(5).ageing(1).build().differences(kernel)).containsExactly("ageing");
        Vxlan other = (Vxlan) Links.decode(vxlanReply(0, 0, 301, 0), NameResolver.NONE);
        assertThat(Vxlan.builder().name("vx9").vni(5).ageing(0).build().differences(other)).containsExactly("ageing");
    }

    @Test
    void valuesOutsideU32AreRefusedNamingTheField() {
        for (long bad : new long[] {-1L, 0x1_0000_0000L, Long.MIN_VALUE, Long.MAX_VALUE}) {
            String text = Long.toString(bad);
            assertThatThrownBy(() -> Vxlan.builder().name("vx9").vni(5).ageing(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ageing " + text)
                    .hasMessageContaining("[0..4294967295]");
            assertThatThrownBy(() -> Vxlan.builder().name("vx9").vni(5).limit(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit " + text);
            assertThatThrownBy(() -> Bridge.builder().name("br9").txQueueLength(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txQueueLength " + text);
            assertThatThrownBy(() -> Veth.builder().name("va").peer("vb").linkGroup(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linkGroup " + text);
            assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastLastMemberCount(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mcastLastMemberCount " + text);
            assertThatThrownBy(() -> BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).mcastStartupQueryCount(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mcastStartupQueryCount " + text);
            assertThatThrownBy(() -> FdbFlush.builder().dev("vx0").nhid(bad).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nhid " + text);
        }
        assertThatThrownBy(() -> FdbFlush.builder().dev("vx0").nhid(0).build()).hasMessageContaining("nhid 0");
    }

    @Test
    void bridgeVlanGlobalCountsOverTheWholeRange() {
        for (long v : values()) {
            long w = 0xffffffffL - v;
            BridgeVlanGlobalOptions want = BridgeVlanGlobalOptions.builder().bridge("br0").vid(10)
                    .mcastLastMemberCount(v).mcastStartupQueryCount(w).build();
            MessageWriter m = new MessageWriter(256);
            BridgeVlanCodec.encodeGlobal(m, want, 2);
            String bytes = hex(m.toByteArray());
            assertThat(bytes).contains(u32Attr(6, v)); // BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT
            assertThat(bytes).contains(u32Attr(7, w)); // BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT
            List<BridgeVlanGlobalOptions> back = new ArrayList<>();
            BridgeVlanCodec.decodeVlan(Golden.message(HexFormat.of().formatHex(m.toByteArray())), i -> "br0",
                    Golden.attrs(), e -> { }, back::add);
            assertThat(back).containsExactly(want);
            assertThat(back.get(0).mcastLastMemberCount()).isEqualTo(v);
            assertThat(back.get(0).mcastStartupQueryCount()).isEqualTo(w);
            assertThat(back.get(0).toString()).contains("mcast_last_member_count " + v, "mcast_startup_query_count " + w);
        }
    }

    @Test
    void fdbFlushNexthopIdOverTheWholeRange() {
        for (long v : values()) {
            if (v == 0) {
                continue; // nhid 0 is "none"
            }
            FdbFlush f = FdbFlush.builder().dev("vx0").nhid(v).build();
            MessageWriter m = new MessageWriter(256);
            FdbCodec.encodeFlush(m, f, 5, 0);
            assertThat(hex(m.toByteArray())).contains(u32Attr(13, v)); // NDA_NH_ID
            assertThat(f.nhid()).isEqualTo(v);
            assertThat(f.toString()).contains("nhid " + v);
        }
    }

    @Test
    void routeTableOverTheWholeRange() {
        for (long v : values()) {
            if (v == 0) {
                assertThatThrownBy(() -> Route.builder().table(0L)).hasMessageContaining("table 0 is RT_TABLE_UNSPEC");
                continue;
            }
            Route r = Route.builder().dst("10.9.0.0/24").dev("br0").table(v).build();
            MessageWriter m = new MessageWriter(256);
            RouteCodec.encode(m, dev.overlaynet.netlink.internal.uapi.RtNetlink.RTM_NEWROUTE, 0, r, 2);
            byte[] b = m.toByteArray();
            if (v < 256) {
                assertThat(b[16 + 4] & 0xff).as("rtm_table").isEqualTo(v);
                assertThat(hex(b)).doesNotContain("08 00 0f 00");
            } else {
                assertThat(b[16 + 4]).as("rtm_table RT_TABLE_UNSPEC, the id in RTA_TABLE").isZero();
                assertThat(hex(b)).contains(u32Attr(15, v));
            }
            assertThat(r.table()).isEqualTo(v);
            assertThat(r.toString()).contains("table " + v);

            // the reply of decodesTable1000 (RouteCodecTest) with RTA_TABLE v
            Route back = RouteCodec.decode(Golden.message(
                    ("4400000018002200401e076bfa21000002180000fc0300010000000008000f00%s"
                            + "080001000a0900000800060064000000080005000ae900050800040002000000")
                            .formatted(le32(v).replace(" ", ""))),
                    Golden::name, Golden.attrs());
            assertThat(back.table()).isEqualTo(v);
            assertThat(back.toString()).contains("table " + v);
        }
        for (long bad : new long[] {-1L, 0x1_0000_0000L}) {
            assertThatThrownBy(() -> Route.builder().table(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("table " + bad + " out of range [1..4294967295]");
        }
    }
}
