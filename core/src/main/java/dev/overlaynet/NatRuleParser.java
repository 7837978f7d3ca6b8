package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.BitwiseExpr;
import dev.overlaynet.netlink.internal.nftables.CmpExpr;
import dev.overlaynet.netlink.internal.nftables.CounterExpr;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.FibExpr;
import dev.overlaynet.netlink.internal.nftables.ImmediateExpr;
import dev.overlaynet.netlink.internal.nftables.LookupExpr;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.nftables.MetaExpr;
import dev.overlaynet.netlink.internal.nftables.NatExpr;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Recognises the expression shapes of {@link NatRule} in a rule read from the
 * kernel, whoever wrote it (this library or {@code nft -f}). A rule is typed
 * only if rebuilding it gives exactly the same expressions; anything else
 * stays raw (null here).
 */
final class NatRuleParser {
    private NatRuleParser() {}

    private record Prefix(int offset, IpPrefix prefix, int op, int consumed) {}

    /**
     * The NAT rule these expressions express, or null when they are not one
     * of the shapes overlaynet writes. Never throws on odd kernel data: a rule
     * whose values no NatRule can hold (a prefix length of 255) is simply not
     * recognised, so listing a ruleset never fails on someone else's rule.
     */
    static NatRule parse(int family, String chainName, List<Expr> raw, String tag) {
        return parse(family, chainName, raw, tag, name -> null);
    }

    /**
     * As {@link #parse(int, String, List, String)}, with {@code anonymousSets}
     * giving the prefixes held by an anonymous interval set of the rule's
     * table (null for a set that is not anonymous or not an address interval
     * set): {@code ip daddr != { ... }} is then a typed destination-set exclusion.
     */
    static NatRule parse(int family, String chainName, List<Expr> raw, String tag,
                         Function<String, List<IpPrefix>> anonymousSets) {
        if (family == Netfilter.NFPROTO_INET) {
            return parseInet(chainName, raw, tag, anonymousSets);
        }
        try {
            return parseShape(family, chainName, raw, tag, anonymousSets);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A rule of an {@code inet} table: the protocol check nft puts first
     * ({@code meta nfproto ipv4}) gives the rule's family, or, for a port
     * forward on {@code fib daddr type local}, the nat expression's family.
     */
    private static NatRule parseInet(String chainName, List<Expr> raw, String tag,
                                     Function<String, List<IpPrefix>> anonymousSets) {
        List<Expr> e = raw.stream().map(Expr::stateless).toList();
        int family;
        List<Expr> rest;
        if (e.size() > 2 && e.get(0) instanceof MetaExpr m && m.key() == NfTablesUapi.NFT_META_NFPROTO
                && e.get(1) instanceof CmpExpr c && c.op() == NfTablesUapi.NFT_CMP_EQ && c.data().length() == 1) {
            family = c.data().get(0);
            rest = e.subList(2, e.size());
        } else if (!e.isEmpty() && e.get(e.size() - 1) instanceof NatExpr n) {
            family = n.family();
            rest = e;
        } else {
            return null;
        }
        if (family != Netfilter.NFPROTO_IPV4 && family != Netfilter.NFPROTO_IPV6) {
            return null;
        }
        NatRule r = parse(family, chainName, rest, tag, anonymousSets);
        return r != null && anonymised(r.expressionsIn(Netfilter.NFPROTO_INET)).equals(anonymised(e)) ? r : null;
    }

    /** Lookups in anonymous sets named as written ({@code __set%d}), not as the kernel numbered them. */
    private static List<Expr> anonymised(List<Expr> e) {
        return e.stream().map(x -> x instanceof LookupExpr l && l.set().startsWith("__set")
                ? (Expr) new LookupExpr(l.sreg(), NftSet.ANONYMOUS_NAME, null, l.flags()) : x).toList();
    }

    private static NatRule parseShape(int family, String chainName, List<Expr> raw, String tag,
                                      Function<String, List<IpPrefix>> anonymousSets) {
        NatRule.Chain chain = NatRule.Chain.byName(chainName);
        if (chain == null || (family != Netfilter.NFPROTO_IPV4 && family != Netfilter.NFPROTO_IPV6)) {
            return null;
        }
        List<Expr> exprs = raw.stream().map(Expr::stateless).toList();
        try {
            NatRule r = chain == NatRule.Chain.POSTROUTING ? sourceNat(family, exprs, tag, anonymousSets)
                    : dnat(family, chain, exprs, tag);
            // The kernel names an anonymous set __set<N>; the rule is written with the template name.
            exprs = exprs.stream().map(x -> x instanceof LookupExpr l && r != null && r.destinationSet()
                    ? (Expr) new LookupExpr(l.sreg(), NftSet.ANONYMOUS_NAME, null, l.flags()) : x).toList();
            return r != null && r.expressions().equals(exprs) ? r : null;
        } catch (RuntimeException e) {
            return null; // not one of our shapes
        }
    }

    private static NatRule sourceNat(int family, List<Expr> e, String tag,
                                     Function<String, List<IpPrefix>> anonymousSets) {
        boolean v4 = family == Netfilter.NFPROTO_IPV4;
        int saddr = v4 ? 12 : 8;
        int daddr = v4 ? 16 : 24;
        int i = 0;
        Prefix src = prefix(e, i, family);
        if (src == null || src.offset != saddr || src.op != NfTablesUapi.NFT_CMP_EQ) {
            return null;
        }
        i += src.consumed;
        List<String> excluded = new ArrayList<>();
        boolean set = false;
        String named = null;
        if (i + 1 < e.size() && e.get(i) instanceof PayloadExpr pl && pl.base() == NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER
                && pl.offset() == daddr && pl.len() == (v4 ? 4 : 16) && pl.dreg() == NfTablesUapi.NFT_REG_1
                && e.get(i + 1) instanceof LookupExpr l && l.inverted() && l.sreg() == NfTablesUapi.NFT_REG_1) {
            if (!l.set().startsWith("__set")) {
                named = l.set(); // a named set: the rule holds only its name
            } else {
                List<IpPrefix> members = anonymousSets.apply(l.set());
                if (members == null) {
                    return null; // not one of address intervals: stays raw
                }
                members.forEach(m -> excluded.add(m.toString()));
                set = true;
            }
            i += 2;
        }
        Prefix p;
        while ((p = prefix(e, i, family)) != null) {
            if (p.offset != daddr || p.op != NfTablesUapi.NFT_CMP_NEQ) {
                return null;
            }
            excluded.add(p.prefix.toString());
            i += p.consumed;
        }
        boolean counter = i < e.size() && e.get(i) instanceof CounterExpr;
        if (counter) {
            i++;
        }
        NatRule.Builder b;
        if (i < e.size() && e.get(i) instanceof MasqExpr) {
            b = Nat.masquerade(src.prefix.toString());
        } else if (i + 1 < e.size() && e.get(i) instanceof ImmediateExpr imm && imm.data() != null
                && e.get(i + 1) instanceof NatExpr) {
            b = Nat.snat(src.prefix.toString(), Ip.text(Ip.of(imm.data().bytes())));
        } else {
            return null;
        }
        if (named != null) {
            if (!excluded.isEmpty()) {
                return null; // a lookup and comparisons: not a typed shape
            }
            b.excludeDestinationsIn(named);
        } else if (set) {
            b.excludeDestinationSet(excluded);
        } else {
            b.excludeDestinations(excluded.toArray(new String[0]));
        }
        return b.counter(counter).tag(tag).build();
    }

    private static NatRule dnat(int family, NatRule.Chain chain, List<Expr> e, String tag) {
        int i = 0;
        String hostAddress = null;
        if (e.get(0) instanceof FibExpr) {
            i = 2;
        } else {
            Prefix p = prefix(e, 0, family);
            if (p == null || p.op != NfTablesUapi.NFT_CMP_EQ || p.prefix.length() != Ip.bits(p.prefix.address())) {
                return null;
            }
            hostAddress = Ip.text(p.prefix.address());
            i = p.consumed;
        }
        if (!(e.get(i) instanceof MetaExpr) || !(e.get(i + 1) instanceof CmpExpr proto)
                || !(e.get(i + 2) instanceof PayloadExpr) || !(e.get(i + 3) instanceof CmpExpr dport)) {
            return null;
        }
        i += 4;
        boolean counter = e.get(i) instanceof CounterExpr;
        if (counter) {
            i++;
        }
        if (!(e.get(i) instanceof ImmediateExpr addr) || !(e.get(i + 1) instanceof ImmediateExpr port)
                || addr.data() == null || port.data() == null || port.data().length() != 2) {
            return null;
        }
        NatRule.Protocol protocol = null;
        for (NatRule.Protocol pr : NatRule.Protocol.values()) {
            if (proto.data().equals(DataValue.u8(pr.number()))) {
                protocol = pr;
            }
        }
        if (protocol == null || dport.data().length() != 2) {
            return null;
        }
        int hostPort = (dport.data().get(0) << 8) | dport.data().get(1);
        int toPort = (port.data().get(0) << 8) | port.data().get(1);
        NatRule.Builder b = Nat.portForward(protocol, hostPort, Ip.text(Ip.of(addr.data().bytes())), toPort)
                .chain(chain).counter(counter).tag(tag);
        if (hostAddress != null) {
            b.hostAddress(hostAddress);
        }
        return b.build();
    }

    /** payload + cmp (byte-aligned prefix or full address) or payload + bitwise + cmp. */
    private static Prefix prefix(List<Expr> e, int i, int family) {
        int addrLen = family == Netfilter.NFPROTO_IPV4 ? 4 : 16;
        if (i + 1 >= e.size() || !(e.get(i) instanceof PayloadExpr pl)
                || pl.base() != NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER || pl.dreg() != NfTablesUapi.NFT_REG_1) {
            return null;
        }
        if (e.get(i + 1) instanceof CmpExpr c && c.data().length() == pl.len() && pl.len() <= addrLen) {
            byte[] full = new byte[addrLen];
            System.arraycopy(c.data().bytes(), 0, full, 0, pl.len());
            return new Prefix(pl.offset(), IpPrefix.of(Ip.of(full), pl.len() * 8), c.op(), 2);
        }
        if (pl.len() == addrLen && i + 2 < e.size() && e.get(i + 1) instanceof BitwiseExpr bw
                && e.get(i + 2) instanceof CmpExpr c && c.data().length() == addrLen) {
            int bits = 0;
            byte[] m = bw.mask().bytes();
            for (byte b : m) {
                bits += Integer.bitCount(b & 0xff);
            }
            InetAddress a = Ip.of(c.data().bytes());
            return new Prefix(pl.offset(), IpPrefix.of(a, bits), c.op(), 3);
        }
        return null;
    }
}
