package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Objects;

/**
 * {@code dreg = (sreg & mask) ^ xor} over {@code len} bytes; nft uses it for
 * prefixes that do not end on a byte boundary:
 * {@code [ bitwise reg 1 = ( reg 1 & 0x00f0ffff ) ^ 0x00000000 ]}. Shift
 * operations decode as {@link UnknownExpr}.
 *
 * <pre>{@code
 * Expr slash20 = BitwiseExpr.mask(NfTablesUapi.NFT_REG_1, DataValue.of(255, 255, 240, 0));
 * }</pre>
 */
public record BitwiseExpr(int sreg, int dreg, int len, DataValue mask, DataValue xor) implements Expr {
    public BitwiseExpr {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(xor, "xor");
        if (mask.length() != len || xor.length() != len) {
            throw new IllegalArgumentException("bitwise mask/xor lengths " + mask.length() + "/" + xor.length()
                    + " differ from len " + len);
        }
    }

    /** {@code reg = reg & mask} (xor zero), the prefix idiom. */
    public static BitwiseExpr mask(int reg, DataValue mask) {
        return new BitwiseExpr(reg, reg, mask.length(), mask, DataValue.of(new byte[mask.length()]));
    }

    @Override
    public String kind() {
        return "bitwise";
    }

    @Override
    public void encodeData(MessageWriter w) {
        // NFTA_BITWISE_OP is left out: mask-and-xor is the kernel's default, and libnftnl omits it too.
        w.be32(NfTablesUapi.NFTA_BITWISE_SREG, sreg);
        w.be32(NfTablesUapi.NFTA_BITWISE_DREG, dreg);
        w.be32(NfTablesUapi.NFTA_BITWISE_LEN, len);
        NftAttrs.data(w, NfTablesUapi.NFTA_BITWISE_MASK, mask);
        NftAttrs.data(w, NfTablesUapi.NFTA_BITWISE_XOR, xor);
    }

    static Expr decode(AttrReader a, UnknownExpr raw) {
        Integer sreg = null, dreg = null, len = null;
        DataValue mask = null, xor = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_BITWISE_SREG: sreg = a.be32(); break;
                case NfTablesUapi.NFTA_BITWISE_DREG: dreg = a.be32(); break;
                case NfTablesUapi.NFTA_BITWISE_LEN: len = a.be32(); break;
                case NfTablesUapi.NFTA_BITWISE_MASK: mask = NftAttrs.readData(a); break;
                case NfTablesUapi.NFTA_BITWISE_XOR: xor = NftAttrs.readData(a); break;
                case NfTablesUapi.NFTA_BITWISE_OP:
                    if (a.be32() != NfTablesUapi.NFT_BITWISE_MASK_XOR) {
                        return raw;
                    }
                    break;
                default: return raw;
            }
        }
        if (sreg == null || dreg == null || len == null || mask == null || xor == null
                || mask.length() != len || xor.length() != len) {
            return raw;
        }
        return new BitwiseExpr(sreg, dreg, len, mask, xor);
    }

    @Override
    public String toString() {
        return "bitwise reg " + dreg + " = ( reg " + sreg + " & " + mask + " ) ^ " + xor;
    }
}
