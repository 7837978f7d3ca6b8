package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Objects;

/**
 * Looks a register up in a set; the rule goes on only if it is there (or,
 * inverted, only if it is not): {@code [ lookup reg 1 set ex 0x1 ]} is
 * {@code ip daddr != @ex}.
 *
 * <pre>{@code
 * Expr notExcluded = LookupExpr.notIn(NfTablesUapi.NFT_REG_1, "no-nat", null);
 * Expr inAnon = LookupExpr.in(NfTablesUapi.NFT_REG_1, NftSet.ANONYMOUS_NAME, 2); // set added in the same batch as id 2
 * }</pre>
 *
 * @param sreg  register holding the key
 * @param set   set name (for a set added in the same batch: the name it was sent with)
 * @param setId in-batch id of the set ({@code NFTA_LOOKUP_SET_ID}), or null
 * @param flags {@code NFT_LOOKUP_F_INV} to match keys not in the set
 */
public record LookupExpr(int sreg, String set, Integer setId, int flags) implements Expr {
    public LookupExpr {
        Objects.requireNonNull(set, "set");
        NftNames.validate("set name", set);
    }

    public static LookupExpr in(int sreg, String set, Integer setId) {
        return new LookupExpr(sreg, set, setId, 0);
    }

    public static LookupExpr notIn(int sreg, String set, Integer setId) {
        return new LookupExpr(sreg, set, setId, NfTablesUapi.NFT_LOOKUP_F_INV);
    }

    public boolean inverted() {
        return (flags & NfTablesUapi.NFT_LOOKUP_F_INV) != 0;
    }

    @Override
    public String kind() {
        return "lookup";
    }

    @Override
    public void encodeData(MessageWriter w) {
        // nft's (libnftnl's) attribute order, so the bytes equal what nft sends.
        w.be32(NfTablesUapi.NFTA_LOOKUP_SREG, sreg);
        w.string(NfTablesUapi.NFTA_LOOKUP_SET, set);
        if (setId != null) {
            w.be32(NfTablesUapi.NFTA_LOOKUP_SET_ID, setId);
        }
        if (flags != 0) {
            w.be32(NfTablesUapi.NFTA_LOOKUP_FLAGS, flags);
        }
    }

    /** The kernel reports no set id; the decoded form has none. */
    static Expr decode(AttrReader a) {
        String set = null;
        Integer sreg = null, id = null;
        int flags = 0;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_LOOKUP_SET: set = a.string(); break;
                case NfTablesUapi.NFTA_LOOKUP_SREG: sreg = a.be32(); break;
                case NfTablesUapi.NFTA_LOOKUP_SET_ID: id = a.be32(); break;
                case NfTablesUapi.NFTA_LOOKUP_FLAGS: flags = a.be32(); break;
                default: break;
            }
        }
        if (set == null) {
            throw new dev.overlaynet.netlink.NetlinkDecodeException(a.regionOffset(), "lookup without NFTA_LOOKUP_SET");
        }
        return new LookupExpr(NftAttrs.require(sreg, a, "NFTA_LOOKUP_SREG"), set, id, flags);
    }

    /** Without the in-batch id, which only exists while a batch is written. */
    @Override
    public Expr stateless() {
        return setId == null ? this : new LookupExpr(sreg, set, null, flags);
    }

    @Override
    public String toString() {
        return "lookup reg " + sreg + " set " + set + (inverted() ? " 0x1" : "");
    }
}
