package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.nftables.BitwiseExpr;
import dev.overlaynet.netlink.internal.nftables.CmpExpr;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expressions hand-derived from {@code nft --debug=netlink}; validation before any syscall. */
class NatRuleTest {
    private static final int NET = NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER;
    private static final int R1 = NfTablesUapi.NFT_REG_1;

    @Test
    void masqueradeIsTheWalkthroughRule() {
        // [ payload load 2b @ network header + 12 => reg 1 ] [ cmp eq reg 1 0x0000e90a ]
        // [ payload load 2b @ network header + 16 => reg 1 ] [ cmp neq reg 1 0x0000e90a ] [ masq ]
        NatRule r = Nat.masquerade("10.233.0.0/16").build();
        assertThat(r.expressions()).containsExactly(
                PayloadExpr.load(NET, 12, 2, R1), CmpExpr.eq(R1, DataValue.of(10, 233)),
                PayloadExpr.load(NET, 16, 2, R1), CmpExpr.neq(R1, DataValue.of(10, 233)),
                MasqExpr.plain());
        assertThat(r.chain()).isEqualTo(NatRule.Chain.POSTROUTING);
        assertThat(r.excludedDestinations()).extracting(Object::toString).containsExactly("10.233.0.0/16");
        assertThat(r.toString()).isEqualTo("ip postrouting: ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 masquerade");
    }

    @Test
    void ownedRuleDescribesItsExpressionsWithoutExposingThem() {
        // As nft --debug=netlink brackets them; data is printed as the bytes in wire order.
        NatRule r = Nat.masquerade("10.233.0.0/16").tag("t").build();
        OwnedRule o = new OwnedRule(2, "overlaynet", "postrouting", 7, "t", r.expressions(), r);
        assertThat(o.description()).isEqualTo("[ payload load 2b @ network header + 12 => reg 1 ] [ cmp eq reg 1 0x0ae9 ] "
                + "[ payload load 2b @ network header + 16 => reg 1 ] [ cmp neq reg 1 0x0ae9 ] [ masq ]");
        assertThat(o.natRule()).contains(r);
        assertThat(o.matches(r)).isTrue();
        assertThat(o).isEqualTo(new OwnedRule(2, "overlaynet", "postrouting", 7, "t", r.expressions(), r))
                .hasSameHashCodeAs(new OwnedRule(2, "overlaynet", "postrouting", 7, "t", r.expressions(), r))
                .isNotEqualTo(new OwnedRule(2, "overlaynet", "postrouting", 7, "t", List.of(MasqExpr.plain()), null));
        assertThat(o.toString()).contains("handle=7", "tag=t", "[ masq ]");
    }

    @Test
    void ownTestsAndToolsReachRawExpressionsThroughRawAccess() {
        NatRule r = Nat.masquerade("10.233.0.0/16").build();
        assertThat(dev.overlaynet.internal.RawAccess.expressions(r)).isSameAs(r.expressions());
        NatRule raw = dev.overlaynet.internal.RawAccess.rawRule(NatRule.Chain.PREROUTING, 2, List.of(MasqExpr.plain()))
                .tag("x").build();
        assertThat(raw.kind()).isEqualTo(NatRule.Kind.RAW);
        assertThat(raw.expressions()).containsExactly(MasqExpr.plain());
        OwnedRule o = dev.overlaynet.internal.RawAccess.ownedRule(2, "t", "prerouting", 1, "x", raw.expressions(), null);
        assertThat(dev.overlaynet.internal.RawAccess.expressions(o)).containsExactly(MasqExpr.plain());
        assertThat(o.description()).isEqualTo("[ masq ]");
    }

    @Test
    void nonByteAlignedPrefixIsMasked() {
        // [ payload load 4b @ network header + 12 => reg 1 ] [ bitwise reg 1 = ( reg 1 & 0x00f0ffff ) ^ 0x00000000 ]
        // [ cmp eq reg 1 0x0010e90a ]
        List<Expr> e = Nat.masquerade("10.233.16.7/20").noDestinationExclusion().build().expressions();
        assertThat(e).containsExactly(
                PayloadExpr.load(NET, 12, 4, R1),
                new BitwiseExpr(R1, R1, 4, DataValue.of(255, 255, 240, 0), DataValue.of(0, 0, 0, 0)),
                CmpExpr.eq(R1, DataValue.of(10, 233, 16, 0)),
                MasqExpr.plain());
    }

    @Test
    void validationNamesTheField() {
        assertThatThrownBy(() -> Nat.masquerade("10.233.0.0/33").build()).hasMessageContaining("source");
        assertThatThrownBy(() -> Nat.masquerade("banana").build()).hasMessageContaining("source \"banana\"");
        assertThatThrownBy(() -> Nat.masquerade("0.0.0.0/0").build()).hasMessageContaining("matches everything");
        assertThatThrownBy(() -> Nat.masquerade("10.0.0.0/8").excludeDestinations("fd00::/8").build())
                .hasMessageContaining("excluded destination fd00::/8");
        assertThatThrownBy(() -> Nat.snat("10.0.0.0/8", "fd00::1").build()).hasMessageContaining("toAddress");
        assertThatThrownBy(() -> Nat.portForward(NatRule.Protocol.TCP, 0, "10.0.0.2", 80).build())
                .hasMessage("hostPort 0 out of range [1..65535]");
        assertThatThrownBy(() -> Nat.portForward(NatRule.Protocol.UDP, 53, "10.0.0.2", 65536).build())
                .hasMessage("toPort 65536 out of range [1..65535]");
        assertThatThrownBy(() -> Nat.portForward(null, 53, "10.0.0.2", 53)).hasMessageContaining("protocol");
        assertThatThrownBy(() -> Nat.portForward(NatRule.Protocol.TCP, 1, "10.0.0.2", 1).hostAddress("::1").build())
                .hasMessageContaining("hostAddress");
        assertThatThrownBy(() -> Nat.masquerade("10.0.0.0/8").tag("").build()).hasMessageContaining("tag");
        assertThatThrownBy(() -> Nat.masquerade("10.0.0.0/8").tag("x".repeat(128)).build()).hasMessageContaining("tag");
        assertThatThrownBy(() -> Nat.raw(NatRule.Chain.OUTPUT, 2, List.of()).build()).hasMessageContaining("expressions");
        assertThatThrownBy(() -> Nat.raw(NatRule.Chain.OUTPUT, 7, List.of(MasqExpr.plain())).build())
                .hasMessageContaining("family 7");
    }

    @Test
    void toBuilderRoundTripsAndValueEquality() {
        NatRule r = Nat.portForward(NatRule.Protocol.UDP, 5353, "10.233.0.3", 53).hostAddress("198.51.100.11")
                .counter(true).tag("dns").build();
        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.toBuilder().tag("other").build()).isNotEqualTo(r);
        assertThat(r.toBuilder().fromLocalHost().build().chain()).isEqualTo(NatRule.Chain.OUTPUT);
        assertThat(r.toString()).isEqualTo(
                "ip prerouting: ip daddr 198.51.100.11 udp dport 5353 counter dnat to 10.233.0.3:53 comment \"dns\"");
    }

    @Test
    void parserTypesOnlyExactShapes() {
        NatRule r = Nat.masquerade("10.233.0.0/16").excludeDestinations("10.0.0.0/8", "192.168.0.0/16")
                .counter(true).tag("t").build();
        assertThat(NatRuleParser.parse(2, "postrouting", r.expressions(), "t")).isEqualTo(r);
        assertThat(NatRuleParser.parse(2, "prerouting", r.expressions(), "t")).isNull();
        assertThat(NatRuleParser.parse(2, "postrouting", List.of(MasqExpr.plain()), null)).isNull();
    }
}
