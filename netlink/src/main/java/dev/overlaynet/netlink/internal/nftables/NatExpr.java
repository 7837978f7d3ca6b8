package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfNat;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Source or destination NAT to addresses/ports held in registers:
 * {@code [ nat dnat ip addr_min reg 1 addr_max reg 1 proto_min reg 2 proto_max reg 2 flags 0x3 ]}.
 * Unset registers and flags are not sent.
 *
 * <p>The kernel reports {@code addr_max = addr_min} and {@code proto_max =
 * proto_min} when only the minimum was given, and ORs {@code NF_NAT_RANGE_MAP_IPS}
 * / {@code NF_NAT_RANGE_PROTO_SPECIFIED} into the flags; {@link #dnat} and
 * {@link #snat} build that canonical form, so what is written reads back equal.
 *
 * <pre>{@code
 * Expr d = NatExpr.dnat(Netfilter.NFPROTO_IPV4, NfTablesUapi.NFT_REG_1, NfTablesUapi.NFT_REG_2);
 * }</pre>
 *
 * @param type   {@code NFT_NAT_SNAT} or {@code NFT_NAT_DNAT}
 * @param family {@code NFPROTO_IPV4} or {@code NFPROTO_IPV6}
 */
public record NatExpr(int type, int family, Integer regAddrMin, Integer regAddrMax, Integer regProtoMin,
                      Integer regProtoMax, Integer flags) implements Expr {

    /** DNAT in the kernel's canonical form; {@code protoReg} may be null for address-only NAT. */
    public static NatExpr dnat(int family, int addrReg, Integer protoReg) {
        return canonical(NfTablesUapi.NFT_NAT_DNAT, family, addrReg, protoReg);
    }

    /** SNAT in the kernel's canonical form; {@code protoReg} may be null for address-only NAT. */
    public static NatExpr snat(int family, int addrReg, Integer protoReg) {
        return canonical(NfTablesUapi.NFT_NAT_SNAT, family, addrReg, protoReg);
    }

    private static NatExpr canonical(int type, int family, int addrReg, Integer protoReg) {
        int flags = NfNat.NF_NAT_RANGE_MAP_IPS | (protoReg != null ? NfNat.NF_NAT_RANGE_PROTO_SPECIFIED : 0);
        return new NatExpr(type, family, addrReg, addrReg, protoReg, protoReg, flags);
    }

    @Override
    public String kind() {
        return "nat";
    }

    @Override
    public void encodeData(MessageWriter w) {
        w.be32(NfTablesUapi.NFTA_NAT_TYPE, type);
        w.be32(NfTablesUapi.NFTA_NAT_FAMILY, family);
        if (regAddrMin != null) {
            w.be32(NfTablesUapi.NFTA_NAT_REG_ADDR_MIN, regAddrMin);
        }
        if (regAddrMax != null) {
            w.be32(NfTablesUapi.NFTA_NAT_REG_ADDR_MAX, regAddrMax);
        }
        if (regProtoMin != null) {
            w.be32(NfTablesUapi.NFTA_NAT_REG_PROTO_MIN, regProtoMin);
        }
        if (regProtoMax != null) {
            w.be32(NfTablesUapi.NFTA_NAT_REG_PROTO_MAX, regProtoMax);
        }
        if (flags != null) {
            w.be32(NfTablesUapi.NFTA_NAT_FLAGS, flags);
        }
    }

    static Expr decode(AttrReader a) {
        Integer type = null, family = null, amin = null, amax = null, pmin = null, pmax = null, flags = null;
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_NAT_TYPE: type = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_FAMILY: family = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_REG_ADDR_MIN: amin = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_REG_ADDR_MAX: amax = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_REG_PROTO_MIN: pmin = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_REG_PROTO_MAX: pmax = a.be32(); break;
                case NfTablesUapi.NFTA_NAT_FLAGS: flags = a.be32(); break;
                default: break;
            }
        }
        return new NatExpr(NftAttrs.require(type, a, "NFTA_NAT_TYPE"), NftAttrs.require(family, a, "NFTA_NAT_FAMILY"),
                amin, amax, pmin, pmax, flags);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("nat ").append(type == NfTablesUapi.NFT_NAT_SNAT ? "snat" : "dnat")
                .append(family == 2 ? " ip" : family == 10 ? " ip6" : " family " + family);
        if (regAddrMin != null) sb.append(" addr_min reg ").append(regAddrMin);
        if (regAddrMax != null) sb.append(" addr_max reg ").append(regAddrMax);
        if (regProtoMin != null) sb.append(" proto_min reg ").append(regProtoMin);
        if (regProtoMax != null) sb.append(" proto_max reg ").append(regProtoMax);
        if (flags != null) sb.append(" flags 0x").append(Integer.toHexString(flags));
        return sb.toString();
    }
}
