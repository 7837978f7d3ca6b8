package dev.overlaynet.netlink.internal.nftables;

import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * One nftables expression of a rule: what {@code nft --debug=netlink} prints
 * as {@code [ payload load 2b @ network header + 12 => reg 1 ]}. Every kind is
 * an immutable record that encodes itself and is decoded by {@link Exprs};
 * kinds this library does not model decode to {@link UnknownExpr}, which keeps
 * the raw attributes so a rule can be written back unchanged.
 *
 * <pre>{@code
 * List<Expr> masq = List.of(
 *     PayloadExpr.load(NFT_PAYLOAD_NETWORK_HEADER, 12, 2, NFT_REG_1),
 *     CmpExpr.eq(NFT_REG_1, DataValue.of(10, 233)),
 *     MasqExpr.plain());
 * }</pre>
 */
public sealed interface Expr permits PayloadExpr, CmpExpr, BitwiseExpr, MetaExpr, ImmediateExpr, NatExpr, MasqExpr,
        CounterExpr, FibExpr, LookupExpr, UnknownExpr {

    /** The kernel's expression name ({@code NFTA_EXPR_NAME}), e.g. {@code payload}. */
    String kind();

    /** Writes the attributes that go inside {@code NFTA_EXPR_DATA}. */
    void encodeData(MessageWriter w);

    /**
     * The expression without run-time state (counter values), for comparing a
     * desired rule with one read back from the kernel.
     */
    default Expr stateless() {
        return this;
    }
}
