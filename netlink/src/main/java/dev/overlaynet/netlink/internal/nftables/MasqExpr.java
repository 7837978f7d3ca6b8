package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfNat;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Masquerade: source NAT to the address of the outgoing interface
 * ({@code [ masq ]}). Unset fields are not sent.
 *
 * <pre>{@code
 * Expr m = MasqExpr.plain();
 * Expr fully = new MasqExpr(NfNat.NF_NAT_RANGE_PROTO_RANDOM_FULLY, null, null);
 * }</pre>
 *
 * @param flags       {@code NF_NAT_RANGE_*} flags, or null
 * @param regProtoMin register with the lowest port, or null
 * @param regProtoMax register with the highest port, or null
 */
public record MasqExpr(Integer flags, Integer regProtoMin, Integer regProtoMax) implements Expr {
    private static final MasqExpr PLAIN = new MasqExpr(null, null, null);

    public static MasqExpr plain() {
        return PLAIN;
    }

    @Override
    public String kind() {
        return "masq";
    }

    @Override
    public void encodeData(MessageWriter w) {
        if (flags != null) {
            w.be32(NfTablesUapi.NFTA_MASQ_FLAGS, flags);
        }
        if (regProtoMin != null) {
            w.be32(NfTablesUapi.NFTA_MASQ_REG_PROTO_MIN, regProtoMin);
        }
        if (regProtoMax != null) {
            w.be32(NfTablesUapi.NFTA_MASQ_REG_PROTO_MAX, regProtoMax);
        }
    }

    static Expr decode(AttrReader a) {
        Integer flags = null, pmin = null, pmax = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_MASQ_FLAGS: flags = a.be32(); break;
                case NfTablesUapi.NFTA_MASQ_REG_PROTO_MIN: pmin = a.be32(); break;
                case NfTablesUapi.NFTA_MASQ_REG_PROTO_MAX: pmax = a.be32(); break;
                default: break;
            }
        }
        return flags == null && pmin == null && pmax == null ? PLAIN : new MasqExpr(flags, pmin, pmax);
    }

    @Override
    public String toString() {
        return "masq" + (flags != null ? " flags 0x" + Integer.toHexString(flags) : "")
                + (regProtoMin != null ? " proto_min reg " + regProtoMin : "")
                + (regProtoMax != null ? " proto_max reg " + regProtoMax : "");
    }
}
