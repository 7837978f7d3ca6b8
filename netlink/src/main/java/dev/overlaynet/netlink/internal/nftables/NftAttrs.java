package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.codec.Nlmsg;

/** Shared helpers for nftables attributes: all integers are big-endian, nests carry NLA_F_NESTED. */
public final class NftAttrs {
    private NftAttrs() {}

    static int nest(MessageWriter w, int type) {
        return w.nestStart(type | Nlmsg.NLA_F_NESTED);
    }

    /** {@code type} { NFTA_DATA_VALUE bytes }. */
    static void data(MessageWriter w, int type, DataValue v) {
        int n = nest(w, type);
        w.bytes(NfTablesUapi.NFTA_DATA_VALUE, v.raw());
        w.nestEnd(n);
    }

    /** {@code type} { NFTA_DATA_VERDICT { CODE, [CHAIN] } }. */
    static void verdict(MessageWriter w, int type, Verdict v) {
        int n = nest(w, type);
        int d = nest(w, NfTablesUapi.NFTA_DATA_VERDICT);
        w.be32(NfTablesUapi.NFTA_VERDICT_CODE, v.code());
        if (v.chain() != null) {
            w.string(NfTablesUapi.NFTA_VERDICT_CHAIN, v.chain());
        }
        w.nestEnd(d);
        w.nestEnd(n);
    }

    /** Reads the current attribute as an NFTA_DATA nest holding a value. */
    static DataValue readData(AttrReader a) {
        AttrReader in = a.nested();
        while (in.next()) {
            if (in.type() == NfTablesUapi.NFTA_DATA_VALUE) {
                return DataValue.of(in.bytes());
            }
        }
        throw new NetlinkDecodeException(a.offset(), "NFTA_DATA nest without NFTA_DATA_VALUE");
    }

    /** Reads the NFTA_DATA_VERDICT nest (the current attribute). */
    static Verdict readVerdict(AttrReader verdictNest) {
        AttrReader in = verdictNest.nested();
        Integer code = null;
        String chain = null;
        while (in.next()) {
            if (in.type() == NfTablesUapi.NFTA_VERDICT_CODE) {
                code = in.be32();
            } else if (in.type() == NfTablesUapi.NFTA_VERDICT_CHAIN) {
                chain = in.string();
            }
        }
        if (code == null) {
            throw new NetlinkDecodeException(verdictNest.offset(), "verdict without NFTA_VERDICT_CODE");
        }
        try {
            return new Verdict(code, chain);
        } catch (IllegalArgumentException e) {
            throw new NetlinkDecodeException(verdictNest.offset(), e.getMessage());
        }
    }

    static int require(Integer v, AttrReader a, String what) {
        if (v == null) {
            // The walk is over, so there is no current attribute: name the expression's region.
            throw new NetlinkDecodeException(a.regionOffset(), "expression lacks " + what);
        }
        return v;
    }
}
