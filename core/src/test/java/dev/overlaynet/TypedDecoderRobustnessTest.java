package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.nftables.NftMessages;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every typed decoder (links of every modelled kind, bridge ports, addresses,
 * routes, neighbours, FDB entries, nftables tables/chains/rules and the NAT
 * rule parser) against real kernel messages, their mutations and random
 * bytes: the only exception that may escape is {@link NetlinkDecodeException}.
 * The netlink module's DecoderRobustnessTest does the same for the attribute
 * walker; this one reaches the value-object code above it (MAC lengths,
 * prefix lengths, enum codes, nested kind data).
 *
 * <p>The corpus ({@code typed-captures/*.hex}, one message per line) was
 * captured on the project machine (kernel 6.18) by
 * {@code dev.overlaynet.testkit.CaptureCorpus}.
 */
class TypedDecoderRobustnessTest {
    /** Fixed so a CI failure reproduces; {@code -Dfuzz.seed=N -Dfuzz.iterations=M} for longer local runs. */
    private static final long SEED = Long.getLong("fuzz.seed", 0x7479_7065_64L);
    private static final int ITERATIONS = Integer.getInteger("fuzz.iterations", 10_000);
    /** "bridge-port" is the AF_BRIDGE link dump (IFLA_PROTINFO, IFLA_AF_SPEC vlans). */
    private static final String[] FILES = {"link", "bridge-port", "addr", "route", "neigh", "fdb", "nft"};
    private static final Map<String, List<byte[]>> corpus = new LinkedHashMap<>();
    private static final List<byte[]> all = new ArrayList<>();
    private static final IntFunction<String> NAMES = i -> i == 1 ? "lo" : null;

    @BeforeAll
    static void load() throws IOException {
        for (String f : FILES) {
            List<byte[]> msgs = new ArrayList<>();
            try (InputStream in = TypedDecoderRobustnessTest.class.getResourceAsStream("/typed-captures/" + f + ".hex")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    if (!line.isBlank()) {
                        msgs.add(HexFormat.of().parseHex(line.strip()));
                    }
                }
            }
            corpus.put(f, msgs);
            all.addAll(msgs);
        }
    }

    /** Runs every typed decoder on {@code bytes}; returns how many produced a value. */
    private static int decodeAll(byte[] bytes) {
        int produced = 0;
        MessageReader m = MessageReader.of(bytes);
        if (!m.next()) {
            return 0;
        }
        AttrReader a = new AttrReader();
        produced += LinkCodec.decode(m, NameResolver.NONE) != null ? 1 : 0;
        produced += Links.decodeBridgePort(bytes) != null ? 1 : 0;
        produced += AddressCodec.decode(m, NAMES, a) != null ? 1 : 0;
        produced += RouteCodec.decode(m, NAMES, a) != null ? 1 : 0;
        produced += NeighCodec.decode(m, NAMES, a) != null ? 1 : 0;
        produced += FdbCodec.decode(m, NAMES, a) != null ? 1 : 0;
        produced += NftMessages.decodeTable(m) != null ? 1 : 0;
        produced += NftMessages.decodeChain(m) != null ? 1 : 0;
        NftRule r = NftMessages.decodeRule(m);
        if (r != null) {
            produced++;
            NatRuleParser.parse(r.family(), r.chain(), r.expressions(), r.comment());
        }
        return produced;
    }

    /** Distinct findings (exception and the frame that threw it) with one example each. */
    private final Map<String, String> findings = new LinkedHashMap<>();

    /** Decodes both ways, allowing only NetlinkDecodeException; anything else is recorded as a finding. */
    private void survive(byte[] bytes, String what) {
        for (int path = 0; path < 2; path++) {
            try {
                if (path == 0) {
                    decodeAll(bytes);
                } else {
                    decodeTyped(bytes);
                }
            } catch (NetlinkDecodeException expected) {
                // malformed input, reported as such
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                String where = java.util.Arrays.stream(e.getStackTrace()).limit(4).map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(" < "));
                findings.putIfAbsent(e.getClass().getSimpleName() + " at " + where,
                        what + ": " + e + "\n    input " + HexFormat.of().formatHex(bytes));
            }
        }
    }

    private void assertNoFindings() {
        assertThat(findings).as("decoder failures other than NetlinkDecodeException").isEmpty();
    }

    /** Decodes {@code bytes} with the decoder its type and family call for; null for other messages. */
    private static Object decodeTyped(byte[] bytes) {
        MessageReader m = MessageReader.of(bytes);
        if (!m.next()) {
            return null;
        }
        int family = m.payloadLength() > 0 ? m.u8(0) : -1;
        AttrReader a = new AttrReader();
        return switch (m.type()) {
            case RtNetlink.RTM_NEWLINK -> {
                Links.decodeBridgePort(bytes);
                yield LinkCodec.decode(m, NameResolver.NONE);
            }
            case RtNetlink.RTM_NEWADDR -> AddressCodec.decode(m, NAMES, a);
            case RtNetlink.RTM_NEWROUTE -> RouteCodec.decode(m, NAMES, a);
            case RtNetlink.RTM_NEWNEIGH -> family == AddressFamily.AF_BRIDGE
                    ? FdbCodec.decode(m, NAMES, a) : NeighCodec.decode(m, NAMES, a);
            default -> switch (m.type() - NftMessages.type(0)) { // nf_tables subsystem message number
                case NfTablesUapi.NFT_MSG_NEWTABLE -> NftMessages.decodeTable(m);
                case NfTablesUapi.NFT_MSG_NEWCHAIN -> NftMessages.decodeChain(m);
                case NfTablesUapi.NFT_MSG_NEWRULE -> {
                    NftRule r = NftMessages.decodeRule(m);
                    yield NatRuleParser.parse(r.family(), r.chain(), r.expressions(), r.comment());
                }
                default -> null;
            };
        };
    }

    @Test
    void realMessagesDecodeIntoTypedValues() {
        Map<String, Class<?>> expected = Map.of("link", Link.class, "bridge-port", Link.class,
                "addr", Address.class, "route", Route.class, "neigh", Neighbour.class, "fdb", FdbEntry.class);
        List<Link> links = new ArrayList<>();
        for (String f : FILES) {
            assertThat(corpus.get(f)).as(f).isNotEmpty();
            for (byte[] b : corpus.get(f)) {
                Object o = decodeTyped(b);
                if (expected.containsKey(f)) {
                    assertThat(o).as("a %s message", f).isInstanceOf(expected.get(f));
                }
                if (o instanceof Link l) {
                    links.add(l);
                }
            }
        }
        assertThat(corpus.get("link").stream().map(Links::decodeBridgePort).filter(p -> p != null).count())
                .as("bridge port options of va and vxu").isEqualTo(2);
        assertThat(links).extracting(Link::kind).contains("vxlan", "bridge", "veth", "macvlan");
        Vxlan vxm = (Vxlan) links.stream().filter(l -> "vxm".equals(l.name())).findFirst().orElseThrow();
        assertThat(vxm.vni()).isEqualTo(42);
        assertThat(vxm.ttl()).isEqualTo(16);
        long natRules = corpus.get("nft").stream().map(TypedDecoderRobustnessTest::decodeTyped)
                .filter(o -> o instanceof NatRule).count();
        assertThat(natRules).as("NAT rules recognised in the nft dump").isEqualTo(4);
    }

    @Test
    void tenThousandMutationsOfEveryKind() {
        Random r = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] base = all.get(i % all.size());
            survive(mutate(base, r), "mutation #" + i + " (seed " + SEED + ")");
        }
        assertNoFindings();
    }

    @Test
    void tenThousandRandomBuffersWithAPlausibleHeader() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] b = new byte[16 + r.nextInt(512)];
            r.nextBytes(b);
            // A valid nlmsghdr length and a real message type, so the decoders get past the header.
            byte[] real = all.get(r.nextInt(all.size()));
            System.arraycopy(real, 4, b, 4, 2);
            b[0] = (byte) b.length;
            b[1] = (byte) (b.length >>> 8);
            b[2] = 0;
            b[3] = 0;
            survive(b, "random buffer #" + i + " (seed " + (SEED + 1) + ")");
        }
        assertNoFindings();
    }

    /** Bit flips, 16/32-bit fields set to edge values (lengths, types, prefix lengths), truncation. */
    private static byte[] mutate(byte[] base, Random r) {
        byte[] b = base.clone();
        int[] edge = {0, 1, 3, 4, 5, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, -1};
        for (int k = 1 + r.nextInt(3); k > 0 && b.length > 0; k--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) edge[r.nextInt(edge.length)];
                case 2 -> {
                    int p = at & ~1;
                    int v = edge[r.nextInt(edge.length)];
                    if (p + 1 < b.length) {
                        b[p] = (byte) v;
                        b[p + 1] = (byte) (v >>> 8);
                    }
                }
                default -> b = Arrays.copyOf(b, Math.max(16, at));
            }
        }
        return b;
    }
}
