package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Loads packet metadata into a register ({@code [ meta load l4proto => reg 1 ]})
 * or sets it from one ({@code meta mark set}); exactly one of {@code dreg}
 * and {@code sreg} is set.
 *
 * <pre>{@code
 * Expr l4 = MetaExpr.load(NfTablesUapi.NFT_META_L4PROTO, NfTablesUapi.NFT_REG_1);
 * }</pre>
 *
 * @param key  {@code NFT_META_*}
 * @param dreg destination register of a load, or null
 * @param sreg source register of a set, or null
 */
public record MetaExpr(int key, Integer dreg, Integer sreg) implements Expr {
    public MetaExpr {
        if ((dreg == null) == (sreg == null)) {
            throw new IllegalArgumentException("meta needs exactly one of dreg (load) and sreg (set)");
        }
    }

    public static MetaExpr load(int key, int dreg) {
        return new MetaExpr(key, dreg, null);
    }

    public static MetaExpr set(int key, int sreg) {
        return new MetaExpr(key, null, sreg);
    }

    @Override
    public String kind() {
        return "meta";
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.be32(NfTablesUapi.NFTA_META_KEY, key);
        if (dreg != null) {
            w.be32(NfTablesUapi.NFTA_META_DREG, dreg);
        } else {
            w.be32(NfTablesUapi.NFTA_META_SREG, sreg);
        }
    }

    static Expr decode(AttrReader a, UnknownExpr raw) {
        Integer key = null, dreg = null, sreg = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_META_KEY: key = a.be32(); break;
                case NfTablesUapi.NFTA_META_DREG: dreg = a.be32(); break;
                case NfTablesUapi.NFTA_META_SREG: sreg = a.be32(); break;
                default: break;
            }
        }
        if (key == null || (dreg == null) == (sreg == null)) {
            return raw;
        }
        return new MetaExpr(key, dreg, sreg);
    }

    @Override
    public String toString() {
        return dreg != null ? "meta load key " + key + " => reg " + dreg : "meta set key " + key + " with reg " + sreg;
    }
}
