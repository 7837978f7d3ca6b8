package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Encodes and decodes a rule's expression list ({@code NFTA_RULE_EXPRESSIONS}:
 * a list of {@code NFTA_LIST_ELEM} nests, each {@code NFTA_EXPR_NAME} +
 * {@code NFTA_EXPR_DATA}). Decoders are registered by kernel name in an
 * immutable map; unknown names become {@link UnknownExpr}.
 *
 * <pre>{@code
 * Exprs.encode(w, NfTablesUapi.NFTA_RULE_EXPRESSIONS, rule.expressions());
 * List<Expr> back = Exprs.decode(attrs); // attrs positioned on NFTA_RULE_EXPRESSIONS
 * }</pre>
 */
public final class Exprs {
    private Exprs() {}

    /** Decoders get the data attributes and, for forms they do not model, the raw fallback. */
    private static final Map<String, BiFunction<AttrReader, UnknownExpr, Expr>> DECODERS = Map.of(
            "payload", PayloadExpr::decode,
            "cmp", (a, raw) -> CmpExpr.decode(a),
            "bitwise", BitwiseExpr::decode,
            "meta", MetaExpr::decode,
            "immediate", ImmediateExpr::decode,
            "nat", (a, raw) -> NatExpr.decode(a),
            "masq", (a, raw) -> MasqExpr.decode(a),
            "counter", (a, raw) -> CounterExpr.decode(a),
            "fib", (a, raw) -> FibExpr.decode(a),
            "lookup", (a, raw) -> LookupExpr.decode(a));

    /** Writes {@code type} { ELEM { NAME, DATA { ... } } ... }. */
    public static void encode(MessageWriter w, int type, List<Expr> exprs) {
        int list = NftAttrs.nest(w, type);
        for (Expr e : exprs) {
            int elem = NftAttrs.nest(w, NfTablesUapi.NFTA_LIST_ELEM);
            w.string(NfTablesUapi.NFTA_EXPR_NAME, e.kind());
            int data = NftAttrs.nest(w, NfTablesUapi.NFTA_EXPR_DATA);
            e.encodeData(w);
            w.nestEnd(data);
            w.nestEnd(elem);
        }
        w.nestEnd(list);
    }

    /** Decodes the list nest the reader is positioned on. */
    public static List<Expr> decode(AttrReader listAttr) {
        List<Expr> out = new ArrayList<>();
        AttrReader list = listAttr.nested();
        while (list.next()) {
            if (list.type() != NfTablesUapi.NFTA_LIST_ELEM) {
                continue;
            }
            AttrReader elem = list.nested();
            String name = null;
            byte[] raw = new byte[0];
            AttrReader data = null;
            while (elem.next()) {
                if (elem.type() == NfTablesUapi.NFTA_EXPR_NAME) {
                    name = elem.string();
                } else if (elem.type() == NfTablesUapi.NFTA_EXPR_DATA) {
                    raw = elem.bytes();
                    data = elem.nested();
                }
            }
            if (name == null) {
                throw new NetlinkDecodeException(list.offset(), "expression without NFTA_EXPR_NAME");
            }
            UnknownExpr unknown = new UnknownExpr(name, DataValue.of(pad4(raw)));
            BiFunction<AttrReader, UnknownExpr, Expr> dec = DECODERS.get(name);
            if (dec == null || data == null) {
                out.add(dec == null || !"masq".equals(name) && !"counter".equals(name) ? unknown
                        : dec.apply(new AttrReader(java.nio.ByteBuffer.allocate(0), 0, 0), unknown));
                continue;
            }
            try {
                out.add(dec.apply(data, unknown));
            } catch (IllegalArgumentException e) {
                // A shape our records refuse (e.g. an odd length): keep it raw rather than fail the dump.
                out.add(unknown);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static byte[] pad4(byte[] b) {
        int n = (b.length + 3) & ~3;
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
}
