package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.NftMessages;
import dev.overlaynet.netlink.internal.nftables.LookupExpr;
import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link NamedSet} validation (before anything is sent, naming the field),
 * canonical elements, the set user data against what nft 1.0.6 sent (strace
 * -xx of {@code nft add set ip t s { type ipv4_addr; flags interval; comment "hello"; }}),
 * the element changes between two contents, and NAT rules that look a named set up.
 */
class NamedSetTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void badInputNamesTheField() {
        assertThatThrownBy(() -> NamedSet.builder().type(SetType.IPV4_ADDR).build()).hasMessage("name is required");
        assertThatThrownBy(() -> NamedSet.ipv4("").build()).hasMessage("name is required");
        assertThatThrownBy(() -> NamedSet.ipv4("x".repeat(256)).build()).hasMessageStartingWith("name \"")
                .hasMessageEndingWith("is 256 bytes; max 255");
        assertThat(NamedSet.ipv4("x".repeat(255)).build().name()).hasSize(255);
        assertThatThrownBy(() -> NamedSet.ipv4("a\0b").build()).hasMessage("name must not contain NUL");
        assertThatThrownBy(() -> NamedSet.ipv4("set%d").build()).hasMessageStartingWith("name \"set%d\" must not contain %");
        assertThatThrownBy(() -> NamedSet.ipv4("__set0").build()).hasMessageContaining("start with __");
        assertThatThrownBy(() -> NamedSet.builder().name("s").build()).hasMessageStartingWith("type is required");
        assertThatThrownBy(() -> NamedSet.ipv4("s").elements("10.0.0.0/8", "fd00::/8").build())
                .hasMessage("elements[1] " + IpPrefix.parse("fd00::/8") + " is not of type ipv4_addr");
        assertThatThrownBy(() -> NamedSet.ipv6("s").elements("10.0.0.0/8").build())
                .hasMessageStartingWith("elements[0] 10.0.0.0/8 is not of type ipv6_addr");
        assertThatThrownBy(() -> NamedSet.ipv4("s").elements("10.0.0.0/33").build())
                .hasMessageStartingWith("elements[0] \"10.0.0.0/33\": prefix length 33 out of range");
        assertThatThrownBy(() -> NamedSet.ipv4("s").elements("10.0.0.300").build()).hasMessageStartingWith("elements[0]");
        assertThatThrownBy(() -> NamedSet.ipv4("s").elements((String) null).build()).hasMessage("elements[0] must not be null");
        assertThatThrownBy(() -> NamedSet.builder().name("s").type(SetType.IPV4_ADDR).elements("10.0.0.0/8").build())
                .hasMessageStartingWith("elements[0] 10.0.0.0/8: a set without interval holds single addresses");
        assertThatThrownBy(() -> NamedSet.ports("p").elements("80", "65536").build())
                .hasMessage("elements[1] \"65536\": port 65536 out of range [0..65535]");
        assertThatThrownBy(() -> NamedSet.ports("p").elements("http").build())
                .hasMessageStartingWith("elements[0] \"http\" is not a port or port range");
        assertThatThrownBy(() -> NamedSet.ports("p").elements("1000-2000").build())
                .hasMessageStartingWith("elements[0] 1000-2000: a set without interval holds single ports");
        assertThatThrownBy(() -> NamedSet.ports("p").interval(true).elements("2000-1000").build())
                .hasMessage("elements[0] \"2000-1000\": the range ends before it starts");
        assertThatThrownBy(() -> NamedSet.ports("p").elements("10.0.0.0/8").build()).hasMessageStartingWith("elements[0]");
        assertThatThrownBy(() -> NamedSet.ipv4("s").prefixes(java.util.Arrays.asList((IpPrefix) null)).build())
                .hasMessage("elements[0] must not be null");
        assertThatThrownBy(() -> NamedSet.ipv4("s").elements((String[]) null)).hasMessage("elements must not be null");
    }

    @Test
    void elementsAreKeptAsTheKernelKeepsThem() {
        NamedSet s = NamedSet.ipv4("s").elements("192.168.1.0/24", "10.0.0.0/8", "10.1.0.0/16", "11.0.0.0/8",
                "192.168.0.0/24", "172.16.0.1").build();
        assertThat(s.prefixes()).extracting(IpPrefix::toString)
                .containsExactly("10.0.0.0/7", "172.16.0.1/32", "192.168.0.0/23");
        assertThat(s).isEqualTo(NamedSet.ipv4("s").elements("172.16.0.1/32", "10.0.0.0/7", "192.168.0.0/23").build());
        assertThat(s.toString()).isEqualTo("set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/7, "
                + "172.16.0.1/32, 192.168.0.0/23 } }");
        NamedSet hosts = NamedSet.builder().name("h").type(SetType.IPV4_ADDR)
                .elements("10.0.0.2", "10.0.0.1", "10.0.0.2").build();
        assertThat(hosts.prefixes()).extracting(IpPrefix::toString).containsExactly("10.0.0.1/32", "10.0.0.2/32");
        NamedSet ports = NamedSet.ports("p").elements("443", "80", "80", "0", "65535").build();
        assertThat(ports.ports()).containsExactly(new PortRange(0, 0), new PortRange(80, 80), new PortRange(443, 443),
                new PortRange(65535, 65535));
        NamedSet ranges = NamedSet.ports("r").interval(true).elements("1000-2000", "2001-2005", "7", "1500-1600").build();
        assertThat(ranges.ports()).containsExactly(new PortRange(7, 7), new PortRange(1000, 2005));
        assertThat(ranges.toBuilder().build()).isEqualTo(ranges);
        assertThat(ranges.owned()).isFalse();
        assertThat(ranges.tableFamily()).isNull();
    }

    @Test
    void setUserdataIsWhatNftWrites() {
        // nft: [{nla_len=18, nla_type=0xd}, "\x00\x04\x02\x00\x00\x00\x07\x06\x68\x65\x6c\x6c\x6f\x00"] (x86, host order)
        String order = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "02000000" : "00000002";
        DataValue ud = NftUserdata.setUserdata(NftUserdata.BYTEORDER_BIG_ENDIAN, "hello");
        assertThat(HEX.formatHex(ud.bytes())).isEqualTo("0004" + order + "070668656c6c6f00");
        assertThat(NftUserdata.setComment(ud)).isEqualTo("hello");
        // The key byte order TLV (type 0) is not a comment, as it would be for a table or rule.
        assertThat(NftUserdata.setComment(NftUserdata.setUserdata(NftUserdata.BYTEORDER_BIG_ENDIAN, null))).isNull();
    }

    /** A message's attributes (after nlmsghdr and nfgenmsg) as hex. */
    private static String attrs(MessageWriter w) {
        byte[] b = w.toByteArray();
        return HEX.formatHex(java.util.Arrays.copyOfRange(b, 20, b.length));
    }

    /**
     * NEWSET and NEWSETELEM attributes against what nft 1.0.6 sent here (strace
     * -e write=all) for {@code add set ip overlaynet excluded { type ipv4_addr;
     * flags interval; comment "managed by overlaynet"; }} and {@code add element
     * ip overlaynet excluded { 10.0.0.0/8, 192.168.1.0/24 }}.
     */
    @Test
    void setAndElementsEncodeToNftsBytes() {
        String newset = "0f0001006f7665726c61796e657400000d0002006578636c7564656400000000080003000000000408000400000000"
                + "0708000500000000040800 0a000000000122000d00" + "0004" + hostU32(2) + "07166d616e616765642062792"
                + "06f7665726c61796e65740000 00";
        String newsetelem = "0f0001006f7665726c61796e657400000d0002006578636c75646564000000000800040000000001"
                + "6c000380180001800800030000000001 0c00018008000100000000001000028 00c000180080001000a000000180003"
                + "80080003000000000 10c000180080001000b00000010000480 0c00018008000100c0a8010018000580080003000000"
                + "00010c00018008000100c0a80200";
        NamedSet s = NamedSet.ipv4("excluded").elements("192.168.1.0/24", "10.0.0.0/8").build();
        dev.overlaynet.netlink.internal.nftables.NftSet def = NamedSets.definition(s, Netfilter.NFPROTO_IPV4, "overlaynet", 1);
        MessageWriter w = new MessageWriter();
        NftMessages.newSet(w, def, false);
        assertThat(attrs(w)).isEqualTo(newset.replace(" ", ""));
        List<NftSetElement> elements = SetContents.units(SetContents.spans(s), true, 4).stream()
                .flatMap(u -> u.elements().stream()).toList();
        w = new MessageWriter();
        NftMessages.setElements(w, true, def, elements);
        assertThat(attrs(w)).isEqualTo(newsetelem.replace(" ", ""));
    }

    private static String hostU32(int v) {
        return HEX.formatHex(java.nio.ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    private static List<String> text(List<NftSetElement> l) {
        return l.stream().map(NftSetElement::toString).toList();
    }

    @Test
    void changesTouchOnlyTheRangesThatDiffer() {
        NamedSet a = NamedSet.ipv4("s").elements("10.0.0.0/8", "192.168.0.0/16").build();
        NamedSet b = NamedSet.ipv4("s").elements("10.0.0.0/8", "172.16.0.0/12").build();
        List<SetContents.Unit> ua = SetContents.units(SetContents.spans(a), true, 4);
        // As nft writes it: a lone end at 0, then each range's start and end.
        assertThat(ua.stream().flatMap(u -> text(u.elements()).stream()).toList()).containsExactly("0x00000000 [end]",
                "0x0a000000", "0x0b000000 [end]", "0xc0a80000", "0xc0a90000 [end]");
        List<NftSetElement> kernel = ua.stream().flatMap(u -> u.elements().stream()).toList();
        assertThat(SetContents.kernelUnits(kernel, true, 4)).isEqualTo(ua);
        SetContents.Diff d = SetContents.diff(SetContents.kernelUnits(kernel, true, 4),
                SetContents.units(SetContents.spans(b), true, 4));
        assertThat(text(d.delete())).containsExactly("0xc0a80000", "0xc0a90000 [end]");
        assertThat(text(d.add())).containsExactly("0xac100000", "0xac200000 [end]");
        assertThat(d.units()).isEqualTo(2);
        // A range to the last address has no end; one from 0 needs no lone end.
        NamedSet edges = NamedSet.ipv4("e").elements("0.0.0.0/1", "255.255.255.255").build();
        assertThat(SetContents.units(SetContents.spans(edges), true, 4).stream().flatMap(u -> text(u.elements()).stream()))
                .containsExactly("0x00000000", "0x80000000 [end]", "0xffffffff");
        // Taking a prefix out of a range splits it.
        List<NftIntervals.KeyRange> cut = SetContents.minus(SetContents.spans(NamedSet.ipv4("c").elements("10.0.0.0/8").build()),
                SetContents.spans(NamedSet.ipv4("c").elements("10.1.0.0/16").build()));
        assertThat(cut).containsExactly(new NftIntervals.KeyRange(big("0a000000"), big("0a00ffff")),
                new NftIntervals.KeyRange(big("0a020000"), big("0affffff")));
    }

    private static BigInteger big(String hex) {
        return new BigInteger(hex, 16);
    }

    @Test
    void natRuleLooksANamedSetUp() {
        NatRule r = Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("t").build();
        assertThat(r.excludedDestinationSetName()).isEqualTo("excluded");
        assertThat(r.excludedDestinations()).isEmpty();
        assertThat(r.destinationSet()).isFalse();
        // nft: [ payload load 4b @ network header + 16 => reg 1 ] [ lookup reg 1 set excluded 0x1 ]
        assertThat(r.expressions().get(2)).isEqualTo(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, 16, 4,
                NfTablesUapi.NFT_REG_1));
        assertThat(r.expressions().get(3)).isEqualTo(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, "excluded", null));
        assertThat(r.toString()).isEqualTo("ip postrouting: ip saddr 10.233.0.0/16 ip daddr != @excluded masquerade comment \"t\"");
        assertThat(NatRuleParser.parse(Netfilter.NFPROTO_IPV4, "postrouting", r.expressions(), "t", Map.<String, List<IpPrefix>>of()::get))
                .isEqualTo(r);
        NatRule r6 = Nat.snat("fd00:10::/64", "fd00::1").excludeDestinationsIn("ex6").build();
        assertThat(r6.expressions().get(2)).isEqualTo(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, 24, 16,
                NfTablesUapi.NFT_REG_1));
        assertThat(r).isNotEqualTo(Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("other").tag("t").build());
        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("").build())
                .hasMessage("excluded destination set name is required");
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("a%d").build())
                .hasMessageStartingWith("excluded destination set name \"a%d\"");
    }
}
