package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and mutated bytes against every decoder entry point: the only
 * exception allowed out is {@link NetlinkDecodeException}, and it names a byte
 * offset inside the input. Seeds are fixed so a failure reproduces; the
 * failing input is printed as hex.
 *
 * <p>The corpus ({@code src/test/resources/captures/*.hex}, one datagram per
 * line) was captured on kernel 6.18 from a raw NETLINK_ROUTE socket inside a
 * scratch namespace: link, address, route and neighbour dumps, acks, errors
 * with and without ext-ack, capped and uncapped, and a strict-mode DONE that
 * carries EINVAL plus ext-ack.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS) // a hang guard, not a performance assertion
class DecoderRobustnessTest {
    private static final long SEED = 0x6f76_6c6e_6574L;
    /** Deeper than AttrReader.MAX_DEPTH so that the decoder's own limit is what stops deep nesting. */
    private static final int WALK_DEPTH = 2 * AttrReader.MAX_DEPTH + 8;
    private static final String[] CAPTURES = {
        "link-dump", "addr-dump", "route-dump", "neigh-dump", "ack", "error-capped",
        "error-eexist-uncapped", "error-extack", "done-extack",
    };
    private static final List<byte[]> corpus = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        for (String name : CAPTURES) {
            try (InputStream in = DecoderRobustnessTest.class.getResourceAsStream("/captures/" + name + ".hex")) {
                String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                for (String line : text.split("\n")) {
                    if (!line.isBlank()) {
                        corpus.add(HexFormat.of().parseHex(line.strip()));
                    }
                }
            }
        }
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(13);
    }

    // ---- the walker: every message, every attribute, every typed getter --------------

    /** Counts of what a walk visited, so tests can tell that it really went deep. */
    static final class Visits {
        int messages;
        int attributes;
        int maxDepth;
        int errors;
    }

    private static int familyHeader(int type) {
        switch (type) {
            case RtNetlink.RTM_NEWLINK: case RtNetlink.RTM_DELLINK: case RtNetlink.RTM_GETLINK: return 16;
            case RtNetlink.RTM_NEWADDR: case RtNetlink.RTM_DELADDR: case RtNetlink.RTM_GETADDR: return 8;
            case RtNetlink.RTM_NEWROUTE: case RtNetlink.RTM_DELROUTE: case RtNetlink.RTM_GETROUTE: return 12;
            case RtNetlink.RTM_NEWNEIGH: case RtNetlink.RTM_DELNEIGH: case RtNetlink.RTM_GETNEIGH: return 12;
            default: return 0;
        }
    }

    /**
     * Walks a datagram the way the library does. {@code lenient} swallows the
     * NetlinkDecodeException of a typed getter that does not fit an attribute
     * (a real decoder only calls the getter its attribute type calls for) and
     * keeps walking, so mutations reach deeper code.
     */
    static Visits walk(byte[] bytes, boolean lenient) {
        Visits v = new Visits();
        MessageReader m = new MessageReader(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
        AttrReader scratch = new AttrReader();
        while (m.next()) {
            v.messages++;
            assertThat(m.offset()).isBetween(0, bytes.length - 16);
            int type = m.type();
            m.flags();
            m.seq();
            m.portId();
            assertThat(m.length()).isBetween(16, bytes.length - m.offset());
            if (type == Nlmsg.NLMSG_ERROR || type == Nlmsg.NLMSG_DONE) {
                int errno = ErrorAcks.errorCode(m);
                assertThat(errno).isGreaterThanOrEqualTo(0);
                NetlinkException e = ErrorAcks.errorFrom(m, errno == 0 ? 1 : errno, "fuzz", scratch);
                assertThat(e.getMessage()).startsWith("fuzz: ");
                if (e.extAckMessage() != null) {
                    v.errors++;
                }
                continue;
            }
            int hdr = familyHeader(type);
            m.requireHeader(hdr);
            for (int i = 0; i + 4 <= hdr; i += 4) {
                m.u8(i);
                m.u16(i);
                m.be16(i);
                m.i32(i);
            }
            walkAttrs(m.attrs(hdr), 0, v, lenient);
        }
        return v;
    }

    private static void walkAttrs(AttrReader a, int depth, Visits v, boolean lenient) {
        v.maxDepth = Math.max(v.maxDepth, depth);
        assertThat(a.depth()).isEqualTo(depth);
        while (a.next()) {
            v.attributes++;
            a.type();
            a.rawType();
            assertThat(a.payloadOffset()).isEqualTo(a.offset() + 4);
            int n = a.payloadLength();
            assertThat(n).isGreaterThanOrEqualTo(0);
            assertThat(a.bytes()).hasSize(n);
            assertThat(a.stringBytes().length).isLessThanOrEqualTo(n);
            a.string();
            getter(lenient, a::u8);
            getter(lenient, a::u16);
            getter(lenient, a::u32);
            getter(lenient, a::u64);
            getter(lenient, a::be16);
            getter(lenient, a::be32);
            getter(lenient, a::be64);
            getter(lenient, a::inetAddress);
            if (depth < WALK_DEPTH && n >= 4) {
                try {
                    walkAttrs(a.nested(), depth + 1, v, lenient);
                } catch (NetlinkDecodeException e) {
                    if (!lenient) {
                        throw e;
                    }
                }
            }
        }
    }

    private static void getter(boolean lenient, Runnable r) {
        try {
            r.run();
        } catch (NetlinkDecodeException e) {
            if (!lenient) {
                throw e;
            }
        }
    }

    private interface Runnable {
        Object run();
    }

    /** Walks {@code input}; anything but NetlinkDecodeException (with a sane offset) fails the test. */
    private static void survive(byte[] input, String what) {
        try {
            walk(input, true);
        } catch (NetlinkDecodeException e) {
            if (e.offset() < 0 || e.offset() > input.length || !e.getMessage().contains("offset")) {
                fail(what + ": bad offset " + e.offset() + " for " + input.length + " bytes: " + e.getMessage()
                        + "\ninput: " + HexFormat.of().formatHex(input));
            }
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t + "\ninput: " + HexFormat.of().formatHex(input), t);
        }
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void capturesDecodeCleanlyAndTheWalkerReachesEveryLevel() {
        int attrs = 0;
        int extAcks = 0;
        int depth = 0;
        for (byte[] c : corpus) {
            Visits v = walk(c, true); // lenient getters, but no decode error may escape a real capture
            attrs += v.attributes;
            extAcks += v.errors;
            depth = Math.max(depth, v.maxDepth);
        }
        assertThat(attrs).isGreaterThan(100);
        assertThat(extAcks).isEqualTo(2); // the VNI ERANGE error and the strict-mode DONE
        assertThat(depth).isGreaterThanOrEqualTo(3); // IFLA_LINKINFO > IFLA_INFO_DATA > ... in the link dump
    }

    @Test
    void tenThousandRandomBuffers() {
        Random r = new Random(SEED);
        for (int i = 0; i < 10_000; i++) {
            int len = i % 4 == 0 ? r.nextInt(65_537) : r.nextInt(512);
            byte[] b = new byte[len];
            r.nextBytes(b);
            if (i % 2 == 1 && len >= 16) {
                // Plausible headers get the walk past the first check.
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
                bb.putInt(0, 16 + r.nextInt(len - 15));
                int[] types = {Nlmsg.NLMSG_ERROR, Nlmsg.NLMSG_DONE, RtNetlink.RTM_NEWLINK, RtNetlink.RTM_NEWADDR,
                    RtNetlink.RTM_NEWROUTE, RtNetlink.RTM_NEWNEIGH};
                bb.putShort(4, (short) types[r.nextInt(types.length)]);
                bb.putShort(6, (short) (r.nextBoolean() ? Nlmsg.NLM_F_ACK_TLVS : r.nextInt(0x10000)));
            }
            survive(b, "random #" + i + " (seed " + SEED + ")");
        }
    }

    @Test
    void tenThousandMutatedCaptures() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 10_000; i++) {
            byte[] base = corpus.get(i % corpus.size());
            byte[] b = mutate(base, r);
            survive(b, "mutation #" + i + " of capture " + (i % corpus.size()) + " (seed " + (SEED + 1) + ")");
        }
    }

    private static final int[] SPECIAL = {0, 1, 3, 4, 5, 15, 16, 17, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
        0x7fff_ffff, 0x8000_0000, 0xffff_ffff};

    static byte[] mutate(byte[] base, Random r) {
        byte[] b = base.clone();
        int rounds = 1 + r.nextInt(4);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8)); // bit flip
                case 1 -> b[at] = (byte) SPECIAL[r.nextInt(SPECIAL.length)]; // byte
                case 2 -> { // a 16-bit length or type field (nla_len, nla_type) at an aligned spot
                    int p = at & ~1;
                    if (p + 2 <= b.length) {
                        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putShort(p, (short) SPECIAL[r.nextInt(SPECIAL.length)]);
                    }
                }
                case 3 -> { // a 32-bit field (nlmsg_len, error code, echoed length)
                    int p = at & ~3;
                    if (p + 4 <= b.length) {
                        int v = r.nextBoolean() ? SPECIAL[r.nextInt(SPECIAL.length)] : b.length - p + r.nextInt(9) - 4;
                        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(p, v);
                    }
                }
                case 4 -> b = Arrays.copyOf(b, at); // truncate
                case 5 -> { // duplicate a slice
                    int n = r.nextInt(Math.min(64, b.length - at) + 1);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, at + n);
                    System.arraycopy(b, at, out, at + n, b.length - at);
                    b = out;
                }
                default -> { // append unaligned garbage
                    byte[] out = Arrays.copyOf(b, b.length + 1 + r.nextInt(7));
                    for (int j = b.length; j < out.length; j++) {
                        out[j] = (byte) r.nextInt(256);
                    }
                    b = out;
                }
            }
        }
        return b;
    }

    // ---- the length-abuse table ---------------------------------------------------------------

    /** RTM_NEWLINK: nlmsghdr, ifinfomsg, IFLA_MTU=1500 (at offset 32), IFLA_IFNAME "br0" (at 40). 48 bytes. */
    private static ByteBuffer link() {
        ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.nativeOrder());
        b.putInt(0, 48).putShort(4, (short) RtNetlink.RTM_NEWLINK).putShort(6, (short) Nlmsg.NLM_F_MULTI);
        b.put(16, (byte) 0).putInt(20, 2); // AF_UNSPEC, ifindex 2
        b.putShort(32, (short) 8).putShort(34, (short) 4).putInt(36, 1500); // IFLA_MTU
        b.putShort(40, (short) 8).putShort(42, (short) 3).put(44, (byte) 'b').put(45, (byte) 'r').put(46, (byte) '0');
        return b;
    }

    /** A strict decoder: any getter misfit is an error (as when IFLA_MTU really is shorter than 4 bytes). */
    private static NetlinkDecodeException strictFailure(byte[] bytes) {
        try {
            walkStrict(bytes);
        } catch (NetlinkDecodeException e) {
            return e;
        }
        throw new AssertionError("no NetlinkDecodeException for " + HexFormat.of().formatHex(bytes));
    }

    private static void walkStrict(byte[] bytes) {
        MessageReader m = MessageReader.of(bytes);
        while (m.next()) {
            m.requireHeader(16);
            AttrReader a = m.attrs(16);
            while (a.next()) {
                if (a.type() == 4) {
                    a.u32();
                } else if (a.type() == 3) {
                    a.string();
                }
            }
        }
    }

    @Test
    void wellFormedLinkMessageDecodes() {
        walkStrict(link().array());
        // mdlayher/netlink#283: the last message of a datagram may omit its padding.
        ByteBuffer b = ByteBuffer.allocate(46).order(ByteOrder.nativeOrder()).put(0, link().array(), 0, 46);
        b.putInt(0, 46).putShort(40, (short) 6); // IFLA_IFNAME "br" without NUL padding
        walkStrict(b.array());
    }

    @Test
    void nlmsgLenAbuse() {
        long[] lens = {0, 15, 16, 49, 0xffff_ffffL};
        long[] offsets = {0, 0, 16, 0, 0};
        for (int i = 0; i < lens.length; i++) {
            ByteBuffer b = link();
            b.putInt(0, (int) lens[i]);
            NetlinkDecodeException e = strictFailure(b.array());
            assertThat(e.offset()).as("nlmsg_len %d", lens[i]).isEqualTo(offsets[i]);
            assertThat(e.getMessage()).contains("at byte offset " + offsets[i]);
        }
        // The table's "2^32-1" is reported unsigned, not as -1.
        ByteBuffer b = link();
        b.putInt(0, -1);
        assertThat(strictFailure(b.array()).getMessage()).contains("4294967295");
    }

    @Test
    void nlaLenAbuse() {
        // nla_len 0 and 3 are below the header; 4 leaves IFLA_MTU without its u32; past end overruns the message.
        int[] lens = {0, 3, 4, 17};
        for (int len : lens) {
            ByteBuffer b = link();
            b.putShort(32, (short) len);
            NetlinkDecodeException e = strictFailure(b.array());
            assertThat(e.offset()).as("nla_len %d", len).isEqualTo(len == 4 ? 32 : 32);
            assertThat(e.getMessage()).contains("at byte offset 32");
        }
        // 0xffff: far past the end of the buffer.
        ByteBuffer b = link();
        b.putShort(40, (short) 0xffff);
        assertThat(strictFailure(b.array()).offset()).isEqualTo(40);
    }

    @Test
    void unalignedTails() {
        for (int extra = 1; extra <= 3; extra++) {
            // Bytes after the last message that cannot hold a header.
            byte[] b = Arrays.copyOf(link().array(), 48 + extra);
            NetlinkDecodeException e = strictFailure(b);
            assertThat(e.offset()).isEqualTo(48);
            assertThat(e.getMessage()).contains("truncated nlmsghdr");
            // Bytes at the end of the attribute area that cannot hold an nlattr.
            ByteBuffer inner = ByteBuffer.allocate(48 + extra).order(ByteOrder.nativeOrder());
            inner.put(0, link().array());
            inner.putInt(0, 48 + extra);
            e = strictFailure(inner.array());
            assertThat(e.offset()).isEqualTo(48);
            assertThat(e.getMessage()).contains("truncated nlattr");
        }
    }

    @Test
    void nestingDepthThousandStopsAtTheLimitWithoutStackOverflow() {
        int depth = 1000;
        int len = 16 + 16 + 4 * depth;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(0, len).putShort(4, (short) RtNetlink.RTM_NEWLINK);
        for (int i = 0; i < depth; i++) {
            int at = 32 + 4 * i;
            b.putShort(at, (short) (4 * (depth - i))).putShort(at + 2, (short) (Nlmsg.NLA_F_NESTED | 18));
        }
        byte[] bytes = b.array();
        // A recursive walker that would follow every level is stopped by the decoder at MAX_DEPTH.
        MessageReader m = MessageReader.of(bytes);
        assertThat(m.next()).isTrue();
        assertThatThrownBy(() -> descend(m.attrs(16), 0))
                .isInstanceOf(NetlinkDecodeException.class)
                .hasMessageContaining("nesting deeper than " + AttrReader.MAX_DEPTH)
                .hasMessageContaining("at byte offset " + (32 + 4 * AttrReader.MAX_DEPTH));
        // And the full walk survives it.
        survive(bytes, "depth 1000");
    }

    private static void descend(AttrReader a, int depth) {
        while (a.next()) {
            if (depth < 2_000) { // the test's own limit, far beyond the decoder's
                descend(a.nested(), depth + 1);
            }
        }
    }

    @Test
    void errorCodesOutsideTheErrnoRangeAreMalformed() {
        for (int code : new int[] {Integer.MIN_VALUE, -4096, 1, Integer.MAX_VALUE}) {
            ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
            b.putInt(0, 36).putShort(4, (short) Nlmsg.NLMSG_ERROR).putInt(16, code).putInt(20, 16);
            MessageReader m = MessageReader.of(b.array());
            m.next();
            assertThatThrownBy(() -> ErrorAcks.errorCode(m)).isInstanceOf(NetlinkDecodeException.class)
                    .hasMessageContaining("at byte offset 16");
        }
        ByteBuffer b = ByteBuffer.allocate(36).order(ByteOrder.nativeOrder());
        b.putInt(0, 36).putShort(4, (short) Nlmsg.NLMSG_ERROR).putInt(16, -4095);
        MessageReader m = MessageReader.of(b.array());
        m.next();
        assertThat(ErrorAcks.errorCode(m)).isEqualTo(4095);
    }
}
