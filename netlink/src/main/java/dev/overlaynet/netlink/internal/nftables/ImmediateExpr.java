package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Puts a constant into a register ({@code [ immediate reg 1 0x0200e90a ]}) or
 * a verdict into the verdict register ({@code [ immediate reg 0 accept ]});
 * exactly one of {@code data} and {@code verdict} is set.
 *
 * <pre>{@code
 * Expr addr = ImmediateExpr.value(NfTablesUapi.NFT_REG_1, DataValue.of(10, 233, 0, 2));
 * Expr accept = ImmediateExpr.verdict(Verdict.ACCEPT);
 * }</pre>
 */
public record ImmediateExpr(int dreg, DataValue data, Verdict verdict) implements Expr {
    public ImmediateExpr {
        if ((data == null) == (verdict == null)) {
            throw new IllegalArgumentException("immediate needs exactly one of data and verdict");
        }
        if (verdict != null && dreg != NfTablesUapi.NFT_REG_VERDICT) {
            throw new IllegalArgumentException("a verdict goes to register " + NfTablesUapi.NFT_REG_VERDICT + ", not " + dreg);
        }
    }

    public static ImmediateExpr value(int dreg, DataValue data) {
        return new ImmediateExpr(dreg, data, null);
    }

    public static ImmediateExpr verdict(Verdict v) {
        return new ImmediateExpr(NfTablesUapi.NFT_REG_VERDICT, null, v);
    }

    @Override
    public String kind() {
        return "immediate";
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.be32(NfTablesUapi.NFTA_IMMEDIATE_DREG, dreg);
        if (data != null) {
            NftAttrs.data(w, NfTablesUapi.NFTA_IMMEDIATE_DATA, data);
        } else {
            NftAttrs.verdict(w, NfTablesUapi.NFTA_IMMEDIATE_DATA, verdict);
        }
    }

    static Expr decode(AttrReader a, UnknownExpr raw) {
        Integer dreg = null;
        DataValue data = null;
        Verdict verdict = null;
        while (a.next()) {
            if (a.type() == NfTablesUapi.NFTA_IMMEDIATE_DREG) {
                dreg = a.be32();
            } else if (a.type() == NfTablesUapi.NFTA_IMMEDIATE_DATA) {
                AttrReader d = a.nested();
                while (d.next()) {
                    if (d.type() == NfTablesUapi.NFTA_DATA_VALUE) {
                        data = DataValue.of(d.bytes());
                    } else if (d.type() == NfTablesUapi.NFTA_DATA_VERDICT) {
                        verdict = NftAttrs.readVerdict(d);
                    }
                }
            }
        }
        if (dreg == null || (data == null) == (verdict == null)
                || (verdict != null && dreg != NfTablesUapi.NFT_REG_VERDICT)) {
            return raw;
        }
        return new ImmediateExpr(dreg, data, verdict);
    }

    @Override
    public String toString() {
        return "immediate reg " + dreg + " " + (data != null ? data : verdict);
    }
}
