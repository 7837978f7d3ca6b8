package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import org.junit.jupiter.api.Test;

/**
 * Netns id requests against what {@code ip netns set|list-id} (iproute2 6.1)
 * sent on kernel 6.18 ({@code strace -xx -e trace=sendmsg}); the peer's
 * namespace fd was 6 there.
 */
class NetnsIdCodecTest {
    @Test
    void matchesIpNetnsBytes() {
        MessageWriter w = new MessageWriter(64);
        NetnsIdCodec.encodeSet(w, 6, 7); // ip netns set brd_b 7
        Golden.assertRequest("240000005800050000000000000000000000000008000300060000000800010007000000", w);
        w = new MessageWriter(64);
        NetnsIdCodec.encodeSet(w, 6, -1); // ip netns set brd_b auto
        Golden.assertRequest("2400000058000500000000000000000000000000080003000600000008000100ffffffff", w);
        w = new MessageWriter(64);
        NetnsIdCodec.encodeGet(w, 6); // the per-name lookup of ip netns list-id
        Golden.assertRequest("1c0000005a0001000000000000000000000000000800030006000000", w);
        w = new MessageWriter(64);
        NetnsIdCodec.encodeDump(w); // ip netns list-id
        Golden.assertRequest("140000005a000103000000000000000000000000", w);
    }

    @Test
    void decodesTheIdOfAReply() {
        // RTM_NEWNSID, rtgenmsg, NETNSA_NSID 7
        assertThat(NetnsIdCodec.decodeNsid(Golden.message("1c00000058000000000000000000000000000000080001000700000000"
                .substring(0, 56)), Golden.attrs())).isEqualTo(7);
        assertThat(NetnsIdCodec.decodeNsid(Golden.message("1c0000005800000000000000000000000000000008000100ffffffff"),
                Golden.attrs())).isEqualTo(-1);
    }
}
