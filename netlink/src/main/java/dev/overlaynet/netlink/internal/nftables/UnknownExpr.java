package dev.overlaynet.netlink.internal.nftables;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Objects;

/**
 * An expression this library does not model (lookup, ct, log, ...), kept as
 * its name and the raw attributes of {@code NFTA_EXPR_DATA}, so decoding a
 * foreign rule never fails and the rule can be written back byte for byte.
 * Also the escape hatch for writing such expressions.
 *
 * <pre>{@code
 * Expr notrack = new UnknownExpr("notrack", DataValue.of(new byte[0]));
 * }</pre>
 *
 * @param kind the kernel's expression name
 * @param data the attributes inside NFTA_EXPR_DATA (a multiple of 4 bytes)
 */
public record UnknownExpr(String kind, DataValue data) implements Expr {
    public UnknownExpr {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(data, "data");
        if (data.length() % 4 != 0) {
            throw new IllegalArgumentException("expression data of " + data.length() + " bytes is not 4-byte aligned");
        }
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.raw(data.raw());
    }

    @Override
    public String toString() {
        return kind + " " + data;
    }
}
