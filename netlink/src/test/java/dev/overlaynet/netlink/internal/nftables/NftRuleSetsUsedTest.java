package dev.overlaynet.netlink.internal.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.uapi.Netfilter;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The named sets a rule refers to, which a deletion must leave while the rule stays. */
class NftRuleSetsUsedTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void lookupDynsetAndObjrefNameTheirSets() {
        Assumptions.assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        // dynset: NFTA_DYNSET_SET_NAME "dyn" (type 1), NFTA_DYNSET_OP 0 (type 2), nlattr headers in host order
        Expr dynset = new UnknownExpr("dynset", DataValue.of(HEX.parseHex("0800010064796e00" + "0800020000000000")));
        // objref: NFTA_OBJREF_SET_SREG 1 (type 3), NFTA_OBJREF_SET_NAME "objmap" (type 4)
        Expr objref = new UnknownExpr("objref", DataValue.of(HEX.parseHex("0800030000000001" + "0b0004006f626a6d61700000")));
        // log carries a prefix attribute of type 1 too: not a set name
        Expr log = new UnknownExpr("log", DataValue.of(HEX.parseHex("0800010078797a00")));
        NftRule r = NftRule.of(Netfilter.NFPROTO_IPV4, "t", "c",
                List.of(LookupExpr.in(1, "looked", null), dynset, objref, log, new CounterExpr(0, 0)));

        assertThat(r.setsUsed()).containsExactly("looked", "dyn", "objmap");
        assertThat(NftRule.of(Netfilter.NFPROTO_IPV4, "t", "c", List.of(log)).setsUsed()).isEmpty();
    }
}
