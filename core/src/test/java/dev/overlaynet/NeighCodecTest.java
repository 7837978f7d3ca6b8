package dev.overlaynet;

import static dev.overlaynet.Golden.assertRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import org.junit.jupiter.api.Test;

/**
 * Neighbour requests against what {@code ip -n ho-g neigh ...} sent (br0 is
 * ifindex 2), and decoding of RTM_NEWNEIGH replies captured from
 * {@code ip neigh get} / {@code ip neigh show dev br0}.
 */
class NeighCodecTest {
    private static final int CREATE_EXCL = Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL;

    private static MessageWriter encode(int type, int flags, Neighbour n) {
        MessageWriter w = new MessageWriter(128);
        NeighCodec.encode(w, type, flags, n, 2);
        return w;
    }

    @Test
    void addPermanent() {
        // ip neigh add 10.233.0.3 lladdr 02:42:0a:e9:00:03 dev br0 nud permanent
        assertRequest("300000001c0005060000000000000000020000000200000080000000080001000ae900030a00020002420ae900030000",
                encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, Neighbour.permanent("br0", "10.233.0.3", "02:42:0a:e9:00:03")));
    }

    @Test
    void addV6RouterReachable() {
        // ip neigh add fd00::9 lladdr 02:00:00:00:00:09 dev br0 nud reachable router
        assertRequest("3c0000001c00050600000000000000000a000000020000000200800014000100fd0000000000000000000000000000090a0002000200000000090000",
                encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, Neighbour.builder().dev("br0").ip("fd00::9")
                        .lladdr("02:00:00:00:00:09").state(NeighbourState.REACHABLE).flags(NeighbourFlag.ROUTER).build()));
    }

    @Test
    void addProxy() {
        // ip neigh add proxy 10.2.0.50 dev br0
        assertRequest("240000001c0005060000000000000000020000000200000080000800080001000a020032",
                encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, Neighbour.proxy("br0", "10.2.0.50")));
    }

    @Test
    void replaceStaleAndDelete() {
        // ip neigh replace 10.2.0.51 lladdr 02:00:00:00:00:51 dev br0 nud stale
        assertRequest("300000001c0005050000000000000000020000000200000004000000080001000a0200330a0002000200000000510000",
                encode(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, Neighbour.builder().dev("br0")
                        .ip("10.2.0.51").lladdr("02:00:00:00:00:51").state(NeighbourState.STALE).build()));
        // ip neigh del 10.2.0.51 dev br0
        assertRequest("240000001d0005000000000000000000020000000200000080000000080001000a020033",
                encode(RtNetlink.RTM_DELNEIGH, 0, Neighbour.builder().dev("br0").ip("10.2.0.51").build()));
    }

    @Test
    void getAndDumpRequests() {
        // ip -4 neigh get 10.233.0.3 dev br0
        MessageWriter get = new MessageWriter(64);
        NeighCodec.encodeGet(get, Ip.parse("10.233.0.3"), 2, false);
        assertRequest("240000001e0001000000000000000000020000000200000000000000080001000ae90003", get);
        // ip neigh show dev br0
        MessageWriter dump = new MessageWriter(64);
        NeighCodec.encodeDump(dump, 2, false);
        assertRequest("240000001e00010300000000000000000000000000000000000000000800080002000000", dump);
    }

    @Test
    void decodesPermanentWithCacheinfo() {
        // 10.233.0.7 dev br0 lladdr 02:42:0a:e9:00:07 PERMANENT (reply to ip neigh get)
        Neighbour n = NeighCodec.decode(Golden.message(
                "4c0000001c000000291e076b9c1e0000020000000200000080000001080001000ae900070a00020002420ae90007000008000400000000001400030001000000010000000100000001000000"),
                Golden::name, Golden.attrs());
        assertThat(n.dev()).isEqualTo("br0");
        assertThat(n.index()).isEqualTo(2);
        assertThat(n.ip()).isEqualTo(Ip.parse("10.233.0.7"));
        assertThat(n.lladdr()).isEqualTo(MacAddress.parse("02:42:0a:e9:00:07"));
        assertThat(n.state()).containsExactly(NeighbourState.PERMANENT);
        assertThat(n.flags()).isEmpty();
        assertThat(n.unknownAttributes()).containsOnlyKeys(Nda.NDA_CACHEINFO, Nda.NDA_PROBES);
    }

    @Test
    void decodesFailedWithoutLladdrAndV6Router() {
        // 10.2.0.254 dev br0 FAILED (no lladdr, NDA_PROBES 6)
        Neighbour f = NeighCodec.decode(Golden.message(
                "400000001c002200421e076b81220000020000000200000020000001080001000a0200fe080004000600000014000300f02c0000e6070000b306000000000000"),
                Golden::name, Golden.attrs());
        assertThat(f.lladdr()).isNull();
        assertThat(f.state()).containsExactly(NeighbourState.FAILED);
        // fd00::9 dev br0 lladdr 02:00:00:00:00:09 router STALE
        Neighbour r = NeighCodec.decode(Golden.message(
                "580000001c002200421e076b812200000a000000020000000400800114000100fd0000000000000000000000000000090a00020002000000000900000800040000000000140003001419000014190000e60b000000000000"),
                Golden::name, Golden.attrs());
        assertThat(r.ip()).isEqualTo(Ip.parse("fd00::9"));
        assertThat(r.lladdr()).hasToString("02:00:00:00:00:09");
        assertThat(r.state()).containsExactly(NeighbourState.STALE);
        assertThat(r.flags()).containsExactly(NeighbourFlag.ROUTER);
    }

    @Test
    void decodedEntriesEqualBuiltOnesAndEncodeTheSame() {
        // The decoder builds entries without the builder: they must be the values the builder makes.
        Neighbour d = NeighCodec.decode(Golden.message(
                "4c0000001c000000291e076b9c1e0000020000000200000080000001080001000ae900070a00020002420ae90007000008000400000000001400030001000000010000000100000001000000"),
                Golden::name, Golden.attrs());
        Neighbour b = Neighbour.builder().dev("br0").index(2).ip("10.233.0.7").lladdr("02:42:0a:e9:00:07")
                .state(NeighbourState.PERMANENT).build();
        assertThat(d).isEqualTo(b).hasSameHashCodeAs(b).hasToString(b.toString());
        assertThat(encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, d).toByteArray())
                .isEqualTo(encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, b).toByteArray());
        assertThat(d.toBuilder().build()).isEqualTo(d);
        // fd00::9 router STALE: IPv6 bytes, state and flag bits survive a decode and an encode
        Neighbour r = NeighCodec.decode(Golden.message(
                "580000001c002200421e076b812200000a000000020000000400800114000100fd0000000000000000000000000000090a00020002000000000900000800040000000000140003001419000014190000e60b000000000000"),
                Golden::name, Golden.attrs());
        Neighbour rb = r.toBuilder().build();
        assertThat(encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, r).toByteArray())
                .isEqualTo(encode(RtNetlink.RTM_NEWNEIGH, CREATE_EXCL, rb).toByteArray());
    }

    @Test
    void keepsUnknownAttributesInAnyOrder() {
        // CACHEINFO before DST and LLADDR, PROBES after: the accumulator sized to the rest of
        // the message must still keep both, byte for byte.
        byte[] cacheinfo = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0};
        MessageWriter w = new MessageWriter(128);
        int m = w.begin(RtNetlink.RTM_NEWNEIGH, 0);
        w.ndmsg(2, 2, 0x80, 0, 0);
        w.bytes(Nda.NDA_CACHEINFO, cacheinfo);
        w.bytes(Nda.NDA_DST, new byte[] {10, (byte) 233, 0, 9});
        w.bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, 0, 9});
        w.u32(Nda.NDA_PROBES, 7);
        w.end(m);
        dev.overlaynet.netlink.internal.codec.MessageReader r = dev.overlaynet.netlink.internal.codec.MessageReader.of(w.toByteArray());
        assertThat(r.next()).isTrue();
        Neighbour n = NeighCodec.decode(r, Golden::name, Golden.attrs());
        assertThat(n.ip()).isEqualTo(Ip.parse("10.233.0.9"));
        assertThat(n.unknownAttributes()).containsOnlyKeys(Nda.NDA_CACHEINFO, Nda.NDA_PROBES);
        assertThat(n.unknownAttributes().get(Nda.NDA_CACHEINFO)).isEqualTo(cacheinfo);
        assertThat(n.unknownAttributes().get(Nda.NDA_PROBES)).isEqualTo(new byte[] {7, 0, 0, 0});
    }
}
