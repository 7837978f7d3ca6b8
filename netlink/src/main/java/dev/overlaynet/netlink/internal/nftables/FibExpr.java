package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * A FIB lookup into a register: {@code fib daddr type} is
 * {@code [ fib daddr type => reg 1 ]}, typically compared with
 * {@code RTN_LOCAL} (2) to match traffic addressed to this host.
 *
 * <pre>{@code
 * Expr localDst = FibExpr.daddrType(NfTablesUapi.NFT_REG_1);
 * }</pre>
 *
 * @param dreg   destination register
 * @param result {@code NFT_FIB_RESULT_OIF}, {@code _OIFNAME} or {@code _ADDRTYPE}
 * @param flags  {@code NFTA_FIB_F_*}
 */
public record FibExpr(int dreg, int result, int flags) implements Expr {
    /** {@code fib daddr type}: the route type of the destination address. */
    public static FibExpr daddrType(int dreg) {
        return new FibExpr(dreg, NfTablesUapi.NFT_FIB_RESULT_ADDRTYPE, NfTablesUapi.NFTA_FIB_F_DADDR);
    }

    @Override
    public String kind() {
        return "fib";
    }

    @Override
    public void encodeData(MessageWriter w) {
        // libnftnl's order, so our bytes equal nft's.
        w.be32(NfTablesUapi.NFTA_FIB_FLAGS, flags);
        w.be32(NfTablesUapi.NFTA_FIB_RESULT, result);
        w.be32(NfTablesUapi.NFTA_FIB_DREG, dreg);
    }

    static Expr decode(AttrReader a) {
        Integer dreg = null, result = null, flags = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_FIB_DREG: dreg = a.be32(); break;
                case NfTablesUapi.NFTA_FIB_RESULT: result = a.be32(); break;
                case NfTablesUapi.NFTA_FIB_FLAGS: flags = a.be32(); break;
                default: break;
            }
        }
        return new FibExpr(NftAttrs.require(dreg, a, "NFTA_FIB_DREG"), NftAttrs.require(result, a, "NFTA_FIB_RESULT"),
                flags == null ? 0 : flags);
    }

    @Override
    public String toString() {
        return "fib flags 0x" + Integer.toHexString(flags) + " result " + result + " => reg " + dreg;
    }
}
