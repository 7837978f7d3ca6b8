package dev.overlaynet;

import static dev.overlaynet.Golden.assertRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import org.junit.jupiter.api.Test;

/**
 * FDB requests against what {@code bridge -n ho-g fdb ...} sent (vx0 is
 * ifindex 3, vb0 ifindex 4 in that capture), and decoding of AF_BRIDGE
 * replies captured from {@code bridge fdb show dev vx0} / {@code br br0}.
 */
class FdbCodecTest {
    private static final int APPEND = Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND;

    private static MessageWriter encode(int type, int flags, FdbEntry f, int ifindex) {
        MessageWriter w = new MessageWriter(128);
        FdbCodec.encode(w, type, flags, f, ifindex);
        return w;
    }

    @Test
    void floodEntryIsBridgeFdbAppendOfZeroMac() {
        // bridge fdb append 00:00:00:00:00:00 dev vx0 dst 172.16.1.12
        assertRequest("300000001c00050c00000000000000000700000003000000c00002000a000200000000000000000008000100ac10010c",
                encode(RtNetlink.RTM_NEWNEIGH, APPEND, FdbEntry.flood("vx0", "172.16.1.12"), 3));
    }

    @Test
    void addRemoteMac() {
        // bridge fdb add 02:42:0a:e9:00:03 dev vx0 dst 172.16.1.13
        assertRequest("300000001c00050600000000000000000700000003000000c00002000a00020002420ae90003000008000100ac10010d",
                encode(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL,
                        FdbEntry.remote("vx0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.13"), 3));
    }

    @Test
    void vniPortSrcVni() {
        // bridge fdb append 00:00:00:00:00:00 dev vx0 dst 172.16.1.14 vni 100 port 4790 src_vni 42
        assertRequest("480000001c00050c00000000000000000700000003000000c00002000a000200000000000000000008000100ac10010e0600060012b60000080007006400000008000b002a000000",
                encode(RtNetlink.RTM_NEWNEIGH, APPEND, FdbEntry.flood("vx0", "172.16.1.14").toBuilder()
                        .vni(100).port(4790).srcVni(42).build(), 3));
    }

    @Test
    void masterStaticVlan() {
        // bridge fdb add 02:00:00:00:00:aa dev vb0 master static vlan 1
        assertRequest("300000001c00050600000000000000000700000004000000420004000a0002000200000000aa00000600050001000000",
                encode(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, FdbEntry.builder().dev("vb0")
                        .mac("02:00:00:00:00:aa").flags(NeighbourFlag.MASTER).state(FdbEntryState.STATIC).vlan(1).build(), 4));
    }

    @Test
    void replaceAndDelete() {
        // bridge fdb replace 02:00:00:00:00:bb dev vx0 dst 172.16.1.15 self permanent
        assertRequest("300000001c00050500000000000000000700000003000000c00002000a0002000200000000bb000008000100ac10010f",
                encode(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, FdbEntry.builder().dev("vx0")
                        .mac("02:00:00:00:00:bb").dst("172.16.1.15").flags(NeighbourFlag.SELF).state(FdbEntryState.PERMANENT).build(), 3));
        // bridge fdb del 02:42:0a:e9:00:03 dev vx0 dst 172.16.1.13
        assertRequest("300000001d00050000000000000000000700000003000000c00002000a00020002420ae90003000008000100ac10010d",
                encode(RtNetlink.RTM_DELNEIGH, 0, FdbEntry.remote("vx0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.13"), 3));
    }

    @Test
    void dumpRequests() {
        // bridge fdb show dev vx0
        MessageWriter dev = new MessageWriter(64);
        FdbCodec.encodeDump(dev, 3, 0);
        assertRequest("1c0000001e0001030000000000000000070000000300000000000000", dev);
        // bridge fdb show br br0
        MessageWriter br = new MessageWriter(64);
        FdbCodec.encodeDump(br, 0, 2);
        assertRequest("240000001e00010300000000000000000700000000000000000000000800090002000000", br);
    }

    @Test
    void decodesVxlanFloodWithVniAndPort() {
        // 00:00:00:00:00:00 dev vx0 dst 172.16.1.14 port 4790 vni 100 self permanent
        FdbEntry f = FdbCodec.decode(Golden.message(
                "540000001c000200411e076b732100000700000003000000c00002010a000200000000000000000008000100ac10010e0600060012b600000800070064000000140003000000000084070000ac18000000000000"),
                Golden::name, Golden.attrs());
        assertThat(f.dev()).isEqualTo("vx0");
        assertThat(f.mac().isZero()).isTrue();
        assertThat(f.dst()).isEqualTo(Ip.parse("172.16.1.14"));
        assertThat(f.port()).isEqualTo(4790);
        assertThat(f.vni()).isEqualTo(100);
        assertThat(f.srcVni()).isNull();
        assertThat(f.flags()).containsExactly(NeighbourFlag.SELF);
        assertThat(f.state()).isEqualTo(FdbEntryState.PERMANENT);
        assertThat(f.unknownAttributes()).containsOnlyKeys(Nda.NDA_CACHEINFO);
    }

    @Test
    void decodesBridgeEntriesAsMaster() {
        // 0e:f8:df:1b:88:49 dev vb0 master br0 (learned: state REACHABLE, ndm_flags 0, NDA_MASTER 2)
        FdbEntry learned = FdbCodec.decode(Golden.message(
                "4c0000001c000200411e076ba02100000700000005000000020000000a0002000ef8df1b88490000080009000200000008000f00000000001400030000000000d0180000fb01000000000000"),
                Golden::name, Golden.attrs());
        assertThat(learned.dev()).isEqualTo("vb0");
        assertThat(learned.master()).isEqualTo(2);
        assertThat(learned.flags()).containsExactly(NeighbourFlag.MASTER);
        assertThat(learned.state()).isEqualTo(FdbEntryState.DYNAMIC);
        assertThat(learned.unknownAttributes()).containsOnlyKeys(Nda.NDA_CACHEINFO, Nda.NDA_FLAGS_EXT);
        // 33:33:00:00:00:01 dev br0 self permanent (device address list entry)
        FdbEntry self = FdbCodec.decode(Golden.message(
                "280000001c000200411e076ba02100000700000002000000800002000a0002003333000000010000"),
                Golden::name, Golden.attrs());
        assertThat(self.mac()).hasToString("33:33:00:00:00:01");
        assertThat(self.flags()).containsExactly(NeighbourFlag.SELF);
        assertThat(self.state()).isEqualTo(FdbEntryState.PERMANENT);
        assertThat(self.master()).isNull();
    }

    @Test
    void decodedEntriesEqualBuiltOnesAndEncodeTheSame() {
        // The decoder builds entries without the builder: they must be the values the builder makes.
        FdbEntry d = FdbCodec.decode(Golden.message(
                "540000001c000200411e076b732100000700000003000000c00002010a000200000000000000000008000100ac10010e0600060012b600000800070064000000140003000000000084070000ac18000000000000"),
                Golden::name, Golden.attrs());
        FdbEntry b = FdbEntry.builder().dev("vx0").index(3).mac("00:00:00:00:00:00").dst("172.16.1.14").port(4790).vni(100)
                .flags(NeighbourFlag.SELF).state(FdbEntryState.PERMANENT).build();
        assertThat(d).isEqualTo(b).hasSameHashCodeAs(b).hasToString(b.toString());
        MessageWriter wd = new MessageWriter(128);
        FdbCodec.encode(wd, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, d, 3);
        MessageWriter wb = new MessageWriter(128);
        FdbCodec.encode(wb, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, b, 3);
        assertThat(wd.toByteArray()).isEqualTo(wb.toByteArray());
        assertThat(d.toBuilder().build()).isEqualTo(d);
        // a bridge-learned entry: no flags on the wire, reported (and re-encoded) as MASTER
        FdbEntry learned = FdbCodec.decode(Golden.message(
                "4c0000001c000200411e076ba02100000700000005000000020000000a0002000ef8df1b88490000080009000200000008000f00000000001400030000000000d0180000fb01000000000000"),
                Golden::name, Golden.attrs());
        MessageWriter wl = new MessageWriter(128);
        FdbCodec.encode(wl, RtNetlink.RTM_DELNEIGH, 0, learned, 5);
        MessageWriter wlb = new MessageWriter(128);
        FdbCodec.encode(wlb, RtNetlink.RTM_DELNEIGH, 0, learned.toBuilder().build(), 5);
        assertThat(wl.toByteArray()).isEqualTo(wlb.toByteArray());
        assertThat(learned.flagBits).isEqualTo(NeighbourFlag.MASTER.bit());
    }
}
