package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoders of the VNI filter, netns id and bridge VLAN replies against
 * mutations of well-formed replies: the only exception that may escape is
 * {@link NetlinkDecodeException} (as TypedDecoderRobustnessTest requires of
 * the older decoders).
 */
class BreadthDecoderRobustnessTest {
    private static final long SEED = Long.getLong("fuzz.seed", 0x6272_6561_64L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 20_000);

    private static List<byte[]> corpus() {
        List<byte[]> out = new ArrayList<>();
        MessageWriter w = new MessageWriter(512);
        VniFilterCodec.encode(w, RtNetlink.RTM_NEWTUNNEL, 2, List.of(VniEntry.of("vx0", 100),
                VniEntry.builder().dev("vx0").vni(200).end(210).group("ff05::1").build(),
                VniEntry.builder().dev("vx0").vni(300).group("239.1.1.1").build()));
        out.add(w.toByteArray());
        out.add(HexFormat.of().parseHex("1c0000005800000000000000000000000000000008000100ffffffff"));
        out.add(HexFormat.of().parseHex("74000000100002000000000000000000" + "07000000040000000000000000000000"
                + "54001a00" + "080002000600" + "0a00" + "0800020008001400" + "0800020010001e00"
                + "1c00030008000100e8030000060002006400000006000300080000001c00030008000100ed03000006000200690000000600030010000000"));
        w = new MessageWriter(512);
        BridgeVlanCodec.encodeOptions(w, BridgeVlanOptions.builder().dev("vb0").vid(10).end(12)
                .state(StpState.LEARNING).mcastRouter(2).build(), 4);
        out.add(w.toByteArray());
        w = new MessageWriter(512);
        BridgeVlanCodec.encodeGlobal(w, BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).end(20)
                .mcastSnooping(true).mcastQuerier(false).mcastIgmpVersion(3).mcastMldVersion(2)
                .mcastLastMemberCount(2).mcastStartupQueryCount(2)
                .mcastQueryInterval(Duration.ofSeconds(125)).mcastMembershipInterval(Duration.ofSeconds(260)).build(), 2);
        out.add(w.toByteArray());
        return out;
    }

    private static int decodeAll(byte[] bytes) {
        MessageReader m = MessageReader.of(bytes);
        if (!m.next()) {
            return 0;
        }
        AttrReader a = new AttrReader();
        int[] n = {0};
        VniFilterCodec.decode(m, i -> null, a, e -> n[0]++);
        n[0] += NetnsIdCodec.decodeNsid(m, a) != null ? 1 : 0;
        BridgeVlanCodec.decodeLink(m, i -> null, a, v -> n[0]++, t -> n[0]++);
        BridgeVlanCodec.decodeVlan(m, i -> null, a, o -> n[0]++, g -> n[0]++);
        return n[0];
    }

    @Test
    void wellFormedRepliesDecode() {
        for (byte[] b : corpus()) {
            assertThat(decodeAll(b)).as(HexFormat.of().formatHex(b)).isPositive();
        }
    }

    @Test
    void mutationsThrowNothingButDecodeExceptions() {
        Random r = new Random(SEED);
        List<byte[]> corpus = corpus();
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                // keep the netlink header's length and type mostly intact so the decoders are reached
                int at = 16 + r.nextInt(Math.max(1, b.length - 16));
                if (at < b.length) {
                    b[at] = (byte) r.nextInt(256);
                }
            }
            if (r.nextInt(8) == 0) {
                int len = 16 + r.nextInt(Math.max(1, b.length - 16));
                b = java.util.Arrays.copyOf(b, len);
                b[0] = (byte) len;
            }
            try {
                decoded += decodeAll(b) > 0 ? 1 : 0;
            } catch (NetlinkDecodeException e) {
                refused++;
            }
        }
        assertThat(decoded).as("seed %d", SEED).isGreaterThan(ITERATIONS / 10);
        assertThat(decoded + refused).isLessThanOrEqualTo(ITERATIONS);
    }
}
