package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.HexFormat;

/**
 * Compares requests with bytes iproute2 sent (captured with
 * {@code strace -f -e trace=sendmsg -xx}). The sequence number and port id
 * are zeroed on both sides, and NLM_F_ACK is ignored: NetlinkSocket sets it
 * when it sends, the codec does not.
 */
final class Golden {
    private Golden() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String masked(byte[] b) {
        byte[] c = b.clone();
        if (c.length >= 16) {
            c[6] &= (byte) ~0x04; // NLM_F_ACK
            for (int i = 8; i < 16; i++) {
                c[i] = 0;
            }
        }
        return HexFormat.of().formatHex(c);
    }

    static void assertRequest(String iproute2Hex, MessageWriter w) {
        assertThat(w.messageCount()).isEqualTo(1);
        assertThat(masked(w.toByteArray())).isEqualTo(masked(hex(iproute2Hex)));
    }

    /** A reader positioned on the single message of {@code hex}. */
    static MessageReader message(String hex) {
        MessageReader r = MessageReader.of(hex(hex));
        assertThat(r.next()).isTrue();
        return r;
    }

    static AttrReader attrs() {
        return new AttrReader();
    }

    /** Index 2 is br0, 3 vx0, 5 vb0 in the captures. */
    static String name(int index) {
        switch (index) {
            case 2: return "br0";
            case 3: return "vx0";
            case 5: return "vb0";
            default: return null;
        }
    }
}
