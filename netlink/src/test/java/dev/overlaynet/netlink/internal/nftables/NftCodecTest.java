package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encodings checked against bytes nft 1.0.6 sent on this machine (strace -xx), decodings against the same. */
class NftCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * NFTA_RULE_EXPRESSIONS of {@code fib daddr type local tcp dport 8080 dnat to 10.233.0.2:80}
     * as nft sent it (strace of {@code nft -f}).
     */
    private static final String NFT_DNAT_EXPRS = "98010480"
            + "2800018008000100666962001c0002800800030000000002080002000000000308000100000000012c00018008000100"
            + "636d700020000280080001000000000108000200000000000c000380080001000200000024000180090001006d657461"
            + "0000000014000280080002000000001008000100000000012c00018008000100636d7000200002800800010000000001"
            + "08000200000000000c0003800500010006000000340001800c0001007061796c6f616400240002800800010000000001"
            + "0800020000000002080003000000000208000400000000022c00018008000100636d7000200002800800010000000001"
            + "08000200000000000c000380060001001f9000002c0001800e000100696d6d6564696174650000001800028008000100"
            + "000000010c000280080001000ae900022c0001800e000100696d6d6564696174650000001800028008000100000000020c"
            + "000280060001000050000038000180080001006e6174002c0002800800010000000001080002000000000208000300"
            + "0000000108000500000000020800070000000002";

    private static List<Expr> dnatAsNftSentIt() {
        return List.of(
                FibExpr.daddrType(NfTablesUapi.NFT_REG_1),
                CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.of(2, 0, 0, 0)), // RTN_LOCAL, host order (x86)
                MetaExpr.load(NfTablesUapi.NFT_META_L4PROTO, NfTablesUapi.NFT_REG_1),
                CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.u8(6)),
                PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NfTablesUapi.NFT_REG_1),
                CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.be16(8080)),
                ImmediateExpr.value(NfTablesUapi.NFT_REG_1, DataValue.of(10, 233, 0, 2)),
                ImmediateExpr.value(NfTablesUapi.NFT_REG_2, DataValue.be16(80)),
                // nft sends only the minimum registers and PROTO_SPECIFIED; the kernel fills in the rest.
                new NatExpr(NfTablesUapi.NFT_NAT_DNAT, Netfilter.NFPROTO_IPV4, 1, null, 2, null, 2));
    }

    @Test
    void expressionsEncodeToNftsBytes() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        MessageWriter w = new MessageWriter(64); // small on purpose: growth must not disturb anything
        Exprs.encode(w, NfTablesUapi.NFTA_RULE_EXPRESSIONS, dnatAsNftSentIt());
        assertThat(HEX.formatHex(w.toByteArray())).isEqualTo(NFT_DNAT_EXPRS);
    }

    @Test
    void nftsBytesDecodeToTheSameExpressions() {
        byte[] b = HEX.parseHex(NFT_DNAT_EXPRS);
        AttrReader a = new AttrReader(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()), 0, b.length);
        assertThat(a.next()).isTrue();
        assertThat(Exprs.decode(a)).isEqualTo(dnatAsNftSentIt());
    }

    @Test
    void unknownExpressionsKeepTheirBytes() {
        MessageWriter w = new MessageWriter();
        List<Expr> in = List.of(new UnknownExpr("ct", DataValue.of(8, 0, 2, 0, 0, 0, 0, 1)), CounterExpr.zero());
        Exprs.encode(w, NfTablesUapi.NFTA_RULE_EXPRESSIONS, in);
        byte[] b = w.toByteArray();
        AttrReader a = new AttrReader(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()), 0, b.length);
        a.next();
        assertThat(Exprs.decode(a)).isEqualTo(in);
    }

    @Test
    void batchEnvelopeMatchesNft() {
        MessageWriter w = new MessageWriter();
        NftBatch.begin(w, null).end();
        // BEGIN and END as nft sends them (seq/pid are stamped by the socket): len 20, REQUEST, res_id 10 BE.
        assertThat(HEX.formatHex(w.toByteArray())).isEqualTo(
                "14000000100001000000000000000000" + "0000000a"
                + "14000000110001000000000000000000" + "0000000a");
        MessageWriter g = new MessageWriter();
        NftBatch.begin(g, 0x01020304).end();
        assertThat(HEX.formatHex(g.toByteArray())).startsWith(
                "1c000000100001000000000000000000" + "0000000a" + "08000100" + "01020304");
    }

    @Test
    void tableDumpDecodes() {
        // NEWTABLE "overlay" from a GETTABLE dump (strace), with comment "owned".
        byte[] b = HEX.parseHex("48000000000a020000000000581800000200000" + "3"
                + "0c0001006f7665726c6179000800030000000003"
                + "0c000400000000000000000108000200000000000c00060000066f776e656400");
        MessageReader m = MessageReader.of(b);
        assertThat(m.next()).isTrue();
        NftTable t = NftMessages.decodeTable(m);
        assertThat(t.family()).isEqualTo(Netfilter.NFPROTO_IPV4);
        assertThat(t.name()).isEqualTo("overlay");
        assertThat(t.use()).isEqualTo(3);
        assertThat(t.handle()).isEqualTo(1L);
        assertThat(t.flags()).isEqualTo(0);
        assertThat(t.comment()).isEqualTo("owned");
    }

    @Test
    void commentUserdataIsNftsTlv() {
        // NFTA_TABLE_USERDATA nft sent for comment "managed by overlaynet".
        assertThat(HEX.formatHex(NftUserdata.comment("managed by overlaynet").bytes()))
                .isEqualTo("00166d616e61676564206279206f7665726c61796e657400");
        assertThat(NftUserdata.comment(DataValue.of(HEX.parseHex("0006746167343200")))).isEqualTo("tag42");
        assertThat(NftUserdata.comment(DataValue.of(1, 2, 3))).isNull();
    }

    @Test
    void describerNamesRequests() {
        MessageWriter w = new MessageWriter();
        NftMessages.delRule(w, Netfilter.NFPROTO_IPV4, "overlaynet", "postrouting", 7);
        assertThat(NftDescriber.INSTANCE.describe(w.buffer(), 0, w.length()))
                .isEqualTo("NFT_MSG_DELRULE ip overlaynet postrouting handle 7");
    }

    @Test
    void grownWriterBufferStartsAtPositionZero() {
        // jnr-ffi sends a direct buffer from its position; a grown buffer must not move it.
        MessageWriter w = new MessageWriter(64);
        int m = w.begin(NftMessages.type(NfTablesUapi.NFT_MSG_NEWTABLE), 0);
        w.nfgenmsg(2, 0, 0).bytes(NfTablesUapi.NFTA_TABLE_USERDATA, new byte[200]).end(m);
        assertThat(w.buffer().capacity()).isGreaterThan(64);
        assertThat(w.buffer().position()).isZero();
    }
}
