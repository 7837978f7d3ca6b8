package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Loads {@code len} bytes at {@code offset} of a header into a register:
 * {@code [ payload load 4b @ network header + 12 => reg 1 ]}. (Payload writes
 * decode as {@link UnknownExpr}.)
 *
 * <pre>{@code
 * Expr saddr = PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, 12, 4, NfTablesUapi.NFT_REG_1);
 * }</pre>
 *
 * @param base   {@code NFT_PAYLOAD_LL_HEADER}, {@code NFT_PAYLOAD_NETWORK_HEADER} or {@code NFT_PAYLOAD_TRANSPORT_HEADER}
 * @param offset byte offset in that header
 * @param len    bytes to load (1..16)
 * @param dreg   destination register ({@code NFT_REG_1}..)
 */
public record PayloadExpr(int base, int offset, int len, int dreg) implements Expr {
    public PayloadExpr {
        if (len < 1 || len > NfTablesUapi.NFT_REG_SIZE * NfTablesUapi.NFT_REG_MAX) {
            throw new IllegalArgumentException("payload len " + len + " out of range [1..64]");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("payload offset " + offset + " < 0");
        }
    }

    public static PayloadExpr load(int base, int offset, int len, int dreg) {
        return new PayloadExpr(base, offset, len, dreg);
    }

    @Override
    public String kind() {
        return "payload";
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.be32(NfTablesUapi.NFTA_PAYLOAD_DREG, dreg);
        w.be32(NfTablesUapi.NFTA_PAYLOAD_BASE, base);
        w.be32(NfTablesUapi.NFTA_PAYLOAD_OFFSET, offset);
        w.be32(NfTablesUapi.NFTA_PAYLOAD_LEN, len);
    }

    static Expr decode(AttrReader data, UnknownExpr raw) {
        Integer dreg = null, base = null, off = null, len = null;
        while (data.next()) {
            switch (data.type()) {
                case NfTablesUapi.NFTA_PAYLOAD_DREG: dreg = data.be32(); break;
                case NfTablesUapi.NFTA_PAYLOAD_BASE: base = data.be32(); break;
                case NfTablesUapi.NFTA_PAYLOAD_OFFSET: off = data.be32(); break;
                case NfTablesUapi.NFTA_PAYLOAD_LEN: len = data.be32(); break;
                default: return raw; // a payload write (SREG, checksum fields)
            }
        }
        if (dreg == null || base == null || off == null || len == null) {
            return raw;
        }
        return new PayloadExpr(base, off, len, dreg);
    }

    @Override
    public String toString() {
        String b = base == NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER ? "network"
                : base == NfTablesUapi.NFT_PAYLOAD_TRANSPORT_HEADER ? "transport"
                : base == NfTablesUapi.NFT_PAYLOAD_LL_HEADER ? "link" : "base " + base;
        return "payload load " + len + "b @ " + b + " header + " + offset + " => reg " + dreg;
    }
}
