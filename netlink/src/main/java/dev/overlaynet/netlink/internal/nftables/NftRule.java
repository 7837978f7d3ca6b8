package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import java.util.List;
import java.util.Objects;

/**
 * An nftables rule: the chain it lives in, its expressions and user data
 * (where nft keeps the rule's comment). {@code handle} is the kernel's,
 * unique within the table; null on rules not yet written.
 *
 * <pre>{@code
 * NftRule r = NftRule.of(Netfilter.NFPROTO_IPV4, "overlaynet", "postrouting", exprs)
 *     .withUserdata(NftUserdata.comment("overlay-42"));
 * }</pre>
 */
public record NftRule(int family, String table, String chain, Long handle, List<Expr> expressions,
                      DataValue userdata) {
    public NftRule {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(chain, "chain");
        NftNames.validate("table name", table);
        NftNames.validate("chain name", chain);
        expressions = List.copyOf(expressions);
        if (userdata != null && userdata.length() > NfTablesUapi.NFT_USERDATA_MAXLEN) {
            throw new IllegalArgumentException("rule user data is " + userdata.length() + " bytes; max "
                    + NfTablesUapi.NFT_USERDATA_MAXLEN);
        }
    }

    public static NftRule of(int family, String table, String chain, List<Expr> expressions) {
        return new NftRule(family, table, chain, null, expressions, null);
    }

    public NftRule withUserdata(DataValue ud) {
        return new NftRule(family, table, chain, handle, expressions, ud);
    }

    /** The nft comment in the user data, or null. */
    public String comment() {
        return NftUserdata.comment(userdata);
    }

    /**
     * The named sets (and maps) the rule refers to: looked up ({@code lookup}),
     * updated ({@code dynset}) or used as an object map ({@code objref}). A set
     * a rule refers to cannot be deleted while the rule is there ({@code EBUSY}).
     */
    public java.util.Set<String> setsUsed() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Expr e : expressions) {
            if (e instanceof LookupExpr l) {
                out.add(l.set());
            } else if (e instanceof UnknownExpr u && (u.kind().equals("dynset") || u.kind().equals("objref"))) {
                int nameAttr = u.kind().equals("dynset") ? NfTablesUapi.NFTA_DYNSET_SET_NAME
                        : NfTablesUapi.NFTA_OBJREF_SET_NAME;
                byte[] raw = u.data().raw();
                dev.overlaynet.netlink.internal.codec.AttrReader a = new dev.overlaynet.netlink.internal.codec.AttrReader(
                        java.nio.ByteBuffer.wrap(raw), 0, raw.length);
                while (a.next()) {
                    if (a.type() == nameAttr) {
                        out.add(a.string());
                    }
                }
            }
        }
        return out;
    }

    /** The expressions without run-time state (counter values), for comparisons. */
    public List<Expr> statelessExpressions() {
        return expressions.stream().map(Expr::stateless).toList();
    }
}
