package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.LookupExpr;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NatRule.Builder#excludeDestinationSet}: the bytes against what nft
 * 1.0.6 sent on this machine for the same rule (strace -xx of {@code nft -f}
 * with {@code add rule ip overlaynet postrouting ip saddr 10.233.0.0/16
 * ip daddr != { 10.0.0.0/8, 192.168.0.0/16, 172.16.1.0/24 } masquerade comment "x"}),
 * canonicalisation, parsing back, validation.
 */
class NatDestinationSetTest {
    private static final HexFormat HEX = HexFormat.of();

    /** NEWSET attributes as nft sent them, without NFTA_SET_DESC (size 7) and NFTA_SET_USERDATA, which nft adds. */
    private static final String NFT_NEWSET = "0f0001006f7665726c61796e657400000c0002005f5f7365742564000800030000000007"
            + "080004000000000708000500000000040800 0a0000000001".replace(" ", "");
    /** NEWSETELEM attributes exactly as nft sent them. */
    private static final String NFT_NEWSETELEM = "0f0001006f7665726c61796e657400000c0002005f5f736574256400080004000000"
            + "0001940003801800018008000300000000010c0001800800010000000000100002800c000180080001000a00000018000380"
            + "08000300000000010c000180080001000b000000100004800c00018008000100ac10010018000580080003000000000"
            + "10c00018008000100ac100200100006800c00018008000100c0a800001800078008000300000000010c000180080001"
            + "00c0a90000";
    /** NEWRULE attributes exactly as nft sent them. */
    private static final String NFT_NEWRULE = "0f0001006f7665726c61796e6574000010000200706f7374726f7574696e6700e4000480"
            + "340001800c0001007061796c6f61640024000280080001000000000108000200000000010800030000000"
            + "00c08000400000000022c00018008000100636d700020000280080001000000000108000200000000000c000380060001000ae9"
            + "0000340001800c0001007061796c6f616400240002800800010000000001080002000000000108000300000000100800040000"
            + "000004380001800b0001006c6f6f6b757000002800028008000200000000010c0001005f5f73657425640008000400000000"
            + "01080005000000000114000180090001006d61737100000000040002800800070000027800";

    private static final NatRule RULE = Nat.masquerade("10.233.0.0/16")
            .excludeDestinationSet(List.of("10.0.0.0/8", "192.168.0.0/16", "172.16.1.0/24")).tag("x").build();

    private record Msg(int type, int flags, byte[] attrs) {}

    /** The messages of a written batch: type, flags and the attributes after nfgenmsg. */
    private static List<Msg> messages(MessageWriter w) {
        ByteBuffer b = ByteBuffer.wrap(w.toByteArray()).order(ByteOrder.nativeOrder());
        List<Msg> out = new ArrayList<>();
        while (b.remaining() >= 16) {
            int start = b.position();
            int len = b.getInt(start);
            int type = b.getShort(start + 4) & 0xffff;
            int flags = b.getShort(start + 6) & 0xffff;
            out.add(new Msg(type, flags, Arrays.copyOfRange(b.array(), start + 20, start + len)));
            b.position(start + ((len + 3) & ~3));
        }
        return out;
    }

    private static int nft(int msg) {
        return (10 << 8) | msg;
    }

    @Test
    void setElementsAndRuleEncodeToNftsBytes() {
        MessageWriter w = new MessageWriter();
        NftBatch batch = NftBatch.begin(w, null);
        new Nftables(null).addRule(batch, 2, RULE, 1);
        List<Msg> m = messages(batch.end());

        assertThat(m).hasSize(5); // BEGIN, NEWSET, NEWSETELEM, NEWRULE, END
        int create = 0x400, append = 0x800, request = 0x1;
        assertThat(m.get(1).type()).isEqualTo(nft(NfTablesUapi.NFT_MSG_NEWSET));
        assertThat(m.get(1).flags()).isEqualTo(request | create);
        assertThat(HEX.formatHex(m.get(1).attrs())).isEqualTo(NFT_NEWSET);
        assertThat(m.get(2).type()).isEqualTo(nft(NfTablesUapi.NFT_MSG_NEWSETELEM));
        assertThat(m.get(2).flags()).isEqualTo(request | create);
        assertThat(HEX.formatHex(m.get(2).attrs())).isEqualTo(NFT_NEWSETELEM);
        assertThat(m.get(3).type()).isEqualTo(nft(NfTablesUapi.NFT_MSG_NEWRULE));
        assertThat(m.get(3).flags()).isEqualTo(request | create | append);
        assertThat(HEX.formatHex(m.get(3).attrs())).isEqualTo(NFT_NEWRULE);
    }

    /**
     * The same in an inet table, IPv6 ({@code add rule inet overlaynet postrouting ip6 saddr fd00:10::/64
     * ip6 daddr != { fd00::/8, fc00::/16 } masquerade comment "v6"}): nft checks {@code meta nfproto} first.
     */
    @Test
    void inetTableRuleEncodesToNftsBytes() {
        String newset = "0f0001006f7665726c61796e657400000c0002005f5f736574256400080003000000000708000400000000080800"
                + "05000000001008000a0000000001";
        String newsetelem = "0f0001006f7665726c61796e657400000c0002005f5f7365742564000800040000000001a800038024000180"
                + "08000300000000011800018014000100000000000000000000000000000000001c0002801800018014000100fc00000000"
                + "00000000000000000000002400038008000300000000011800018014000100fc010000000000000000000000000000"
                + "1c0004801800018014000100fd0000000000000000000000000000002400058008000300000000011800018014000100"
                + "fe000000000000000000000000000000";
        String newrule = "0f0001006f7665726c61796e6574000010000200706f7374726f7574696e670038010480240001800900010"
                + "06d6574610000000014000280080002000000000f08000100000000012c00018008000100636d70002000028008000100"
                + "000000010800020000000000 0c000380050001000a000000340001800c0001007061796c6f616400240002800800010000"
                + "0000010800020000000001080003000000000808000400000000083000018008000100636d700024000280080001000000"
                + "00010800020000000000100003800c000100fd00001000000000340001800c0001007061796c6f61640024000280080001"
                + "00000000010800020000000001080003000000001808000400000000 10380001800b0001006c6f6f6b75700000280002"
                + "8008000200000000010c0001005f5f7365742564000800040000000001080005000000000114000180090001006d61737100"
                + "00000004000280090007000003763600000000";
        NatRule r = Nat.masquerade("fd00:10::/64").excludeDestinationSet(List.of("fd00::/8", "fc00::/16")).tag("v6")
                .build();
        MessageWriter w = new MessageWriter();
        NftBatch batch = NftBatch.begin(w, null);
        new Nftables(null).inet().addRule(batch, 1, r, 1); // NFPROTO_INET
        List<Msg> m = messages(batch.end());
        assertThat(HEX.formatHex(m.get(1).attrs())).isEqualTo(newset);
        assertThat(HEX.formatHex(m.get(2).attrs())).isEqualTo(newsetelem);
        assertThat(HEX.formatHex(m.get(3).attrs())).isEqualTo(newrule.replace(" ", ""));
        assertThat(w.toByteArray()[20 + 16]).as("nfgen_family of NEWSET").isEqualTo((byte) 1);
    }

    @Test
    void oneLookupHoweverManyPrefixes() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("172." + (16 + i / 250) + "." + (i % 250) + ".0/25");
        }
        NatRule r = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(many).build();
        List<Expr> e = r.expressions();
        assertThat(e).hasSize(5);
        assertThat(e.get(2)).isEqualTo(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NfTablesUapi.NFT_REG_1));
        assertThat(e.get(3)).isEqualTo(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, NftSet.ANONYMOUS_NAME, null));
        assertThat(e.get(4)).isEqualTo(MasqExpr.plain());
        assertThat(r.excludedDestinations()).hasSize(1000);
        assertThat(r.setElements()).hasSize(2001); // 0.0.0.0 [end], then a start and an end per /25
        assertThat(r.toString()).contains("ip daddr != { 172.16.0.0/25, ").contains("(1000 prefixes) }");
    }

    @Test
    void listIsCanonicalisedAsTheKernelStoresIt() {
        NatRule r = Nat.masquerade("10.233.0.0/16")
                .excludeDestinationSet(List.of("10.128.0.0/9", "10.0.0.0/9", "10.1.2.0/24", "192.168.1.0/24",
                        "192.168.0.0/24", "192.168.2.0/24"))
                .build();
        assertThat(r.excludedDestinations()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8", "192.168.0.0/23", "192.168.2.0/24");
        // Same contents written differently: the same rule.
        NatRule same = Nat.masquerade("10.233.0.0/16")
                .excludeDestinationSet(List.of("192.168.2.0/24", "192.168.0.0/23", "10.0.0.0/8")).build();
        assertThat(same).isEqualTo(r).hasSameHashCodeAs(r);
        NatRule other = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("10.0.0.0/8")).build();
        assertThat(other).isNotEqualTo(r);
        assertThat(other.expressions()).isEqualTo(r.expressions()); // only the set differs
        // Per-comparison exclusion of the same prefix is a different rule.
        assertThat(Nat.masquerade("10.233.0.0/16").excludeDestinations("10.0.0.0/8").build()).isNotEqualTo(other);
    }

    @Test
    void randomListsKeepTheirMembership() throws Exception {
        long seed = Long.getLong("natsets.seed", System.nanoTime());
        System.out.println("NatDestinationSetTest seed " + seed + " (rerun with -Dnatsets.seed=" + seed + ")");
        Random rnd = new Random(seed);
        for (int round = 0; round < 50; round++) {
            boolean v4 = rnd.nextBoolean();
            List<IpPrefix> input = new ArrayList<>();
            int n = 1 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                byte[] a = new byte[v4 ? 4 : 16];
                rnd.nextBytes(a);
                if (!v4) {
                    a[0] = (byte) 0xfd;
                }
                input.add(IpPrefix.of(InetAddress.getByAddress(a), v4 ? 1 + rnd.nextInt(32) : 8 + rnd.nextInt(121)));
            }
            NatRule r = Nat.masquerade(v4 ? "10.233.0.0/16" : "fd00:10::/64")
                    .excludeDestinationSet(input.stream().map(Object::toString).toList()).build();
            List<IpPrefix> canon = r.excludedDestinations();
            // Every prefix's first and last address, and random ones: in the input iff in the canonical list.
            List<InetAddress> probes = new ArrayList<>();
            for (IpPrefix p : input) {
                var range = dev.overlaynet.netlink.internal.nftables.NftIntervals.prefix(p.address(), p.length());
                probes.add(range.first());
                probes.add(range.last());
            }
            for (int i = 0; i < 200; i++) {
                byte[] a = new byte[v4 ? 4 : 16];
                rnd.nextBytes(a);
                if (!v4) {
                    a[0] = (byte) 0xfd;
                }
                probes.add(InetAddress.getByAddress(a));
            }
            for (InetAddress a : probes) {
                assertThat(canon.stream().anyMatch(p -> p.contains(a))).as(a + " seed " + seed)
                        .isEqualTo(input.stream().anyMatch(p -> p.network().contains(a)));
            }
            // Canonical means: parsing it back through the kernel's element form gives it unchanged.
            assertThat(PrefixSets.fromElements(r.setElements(), v4 ? 4 : 16)).isEqualTo(canon);
        }
    }

    @Test
    void parsedBackFromTheKernelsNamesAndElements() {
        // As dumped: the kernel's name for the anonymous set, no set id.
        List<Expr> dumped = RULE.expressions().stream().map(e -> e instanceof LookupExpr l
                ? (Expr) new LookupExpr(l.sreg(), "__set7", null, l.flags()) : e).toList();
        List<IpPrefix> members = PrefixSets.fromElements(RULE.setElements(), 4);
        NatRule back = NatRuleParser.parse(2, "postrouting", dumped, "x", name -> name.equals("__set7") ? members : null);
        assertThat(back).isEqualTo(RULE);
        assertThat(back.destinationSet()).isTrue();
        // A lookup in a set that is not an anonymous address interval set stays raw.
        assertThat(NatRuleParser.parse(2, "postrouting", dumped, "x", name -> null)).isNull();
    }

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("excluded destination set");
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("10.0.0.0/8", "10.0.0.300/8"))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("excluded destination");
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("fd00::/8")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address family");
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("0.0.0.0/0")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("excludes everything");
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationSet(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be null");
    }
}
