package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Objects;

/**
 * Compares a register with a constant; a false result ends the rule:
 * {@code [ cmp neq reg 1 0x0000e90a ]}.
 *
 * <pre>{@code
 * Expr notLocal = CmpExpr.neq(NfTablesUapi.NFT_REG_1, DataValue.of(10, 233));
 * }</pre>
 *
 * @param sreg register to compare
 * @param op   {@code NFT_CMP_EQ}, {@code NFT_CMP_NEQ}, {@code NFT_CMP_LT}, ... {@code NFT_CMP_GTE}
 * @param data the constant, in the register's byte order
 */
public record CmpExpr(int sreg, int op, DataValue data) implements Expr {
    public CmpExpr {
        Objects.requireNonNull(data, "data");
        if (op < NfTablesUapi.NFT_CMP_EQ || op > NfTablesUapi.NFT_CMP_GTE) {
            throw new IllegalArgumentException("cmp op " + op + " out of range [0..5]");
        }
    }

    public static CmpExpr eq(int sreg, DataValue data) {
        return new CmpExpr(sreg, NfTablesUapi.NFT_CMP_EQ, data);
    }

    public static CmpExpr neq(int sreg, DataValue data) {
        return new CmpExpr(sreg, NfTablesUapi.NFT_CMP_NEQ, data);
    }

    @Override
    public String kind() {
        return "cmp";
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.be32(NfTablesUapi.NFTA_CMP_SREG, sreg);
        w.be32(NfTablesUapi.NFTA_CMP_OP, op);
        NftAttrs.data(w, NfTablesUapi.NFTA_CMP_DATA, data);
    }

    static Expr decode(AttrReader a) {
        Integer sreg = null, op = null;
        DataValue data = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_CMP_SREG: sreg = a.be32(); break;
                case NfTablesUapi.NFTA_CMP_OP: op = a.be32(); break;
                case NfTablesUapi.NFTA_CMP_DATA: data = NftAttrs.readData(a); break;
                default: break;
            }
        }
        if (data == null) {
            throw new dev.overlaynet.netlink.NetlinkDecodeException(0, "cmp without NFTA_CMP_DATA");
        }
        return new CmpExpr(NftAttrs.require(sreg, a, "NFTA_CMP_SREG"), NftAttrs.require(op, a, "NFTA_CMP_OP"), data);
    }

    @Override
    public String toString() {
        String[] ops = {"eq", "neq", "lt", "lte", "gt", "gte"};
        return "cmp " + ops[op] + " reg " + sreg + " " + data;
    }
}
