package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.BitwiseExpr;
import dev.overlaynet.netlink.internal.nftables.CmpExpr;
import dev.overlaynet.netlink.internal.nftables.CounterExpr;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.FibExpr;
import dev.overlaynet.netlink.internal.nftables.ImmediateExpr;
import dev.overlaynet.netlink.internal.nftables.LookupExpr;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.nftables.MetaExpr;
import dev.overlaynet.netlink.internal.nftables.NatExpr;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.NftChain;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One NAT rule in the library's own nftables table: masquerade, SNAT or DNAT
 * (port forward). Immutable; made by {@link Nat}'s factories, validated by
 * {@link Builder#build()} before anything is sent, applied with
 * {@link Nftables#apply(NatRule...)}.
 *
 * <p>The expressions sent are exactly what nft generates for the equivalent
 * text, so {@code nft list ruleset} shows the rule as if written by hand:
 * <pre>{@code
 * NatRule r = Nat.masquerade("10.233.0.0/16").tag("overlay-42").build();
 * // table ip overlaynet { chain postrouting { type nat hook postrouting priority srcnat; policy accept;
 * //   ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 masquerade comment "overlay-42" } }
 * nl.nftables().apply(r);
 * }</pre>
 */
public final class NatRule {
    /** What the rule does. */
    public enum Kind {
        /** Source NAT to the outgoing interface's address. */
        MASQUERADE,
        /** Source NAT to a fixed address. */
        SNAT,
        /** Destination NAT: a port forward. */
        DNAT,
        /**
         * Expressions given as they are. There is no public factory for these (the expression
         * types are internal); only overlaynet's own tests and tools make them.
         */
        RAW
    }

    /** Transport protocol of a port forward. */
    public enum Protocol {
        /** TCP, protocol 6. */
        TCP(6),
        /** UDP, protocol 17. */
        UDP(17);

        private final int number;

        Protocol(int number) {
            this.number = number;
        }

        /** {@return IANA protocol number (what {@code meta l4proto} compares)} */
        public int number() {
            return number;
        }
    }

    /** The base chains of the library's table: nat type, policy accept. */
    public enum Chain {
        /** {@code type nat hook postrouting priority srcnat}. */
        POSTROUTING("postrouting", Netfilter.NF_INET_POST_ROUTING, NftChain.PRIORITY_SRCNAT),
        /** {@code type nat hook prerouting priority dstnat}. */
        PREROUTING("prerouting", Netfilter.NF_INET_PRE_ROUTING, NftChain.PRIORITY_DSTNAT),
        /** {@code type nat hook output priority dstnat}: locally generated traffic. */
        OUTPUT("output", Netfilter.NF_INET_LOCAL_OUT, NftChain.PRIORITY_DSTNAT);

        private final String chainName;
        private final int hook;
        private final int priority;

        Chain(String chainName, int hook, int priority) {
            this.chainName = chainName;
            this.hook = hook;
            this.priority = priority;
        }

        /** {@return the chain's name in the table} */
        public String chainName() {
            return chainName;
        }

        /** {@return the netfilter hook (NF_INET_*) the chain is attached to} */
        public int hook() {
            return hook;
        }

        /** {@return the chain's priority (srcnat 100 or dstnat -100)} */
        public int priority() {
            return priority;
        }

        /** The nftables chain definition for {@code family}/{@code table}. */
        NftChain definition(int family, String table) {
            return NftChain.base(family, table, chainName, "nat", hook, priority, Netfilter.NF_ACCEPT);
        }

        /**
         * {@return the chain called {@code name}, or null}
         *
         * @param name the chain's name, e.g. {@code postrouting}
         */
        public static Chain byName(String name) {
            for (Chain c : values()) {
                if (c.chainName.equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** RTN_LOCAL, the route type {@code fib daddr type local} compares with. */
    private static final int RTN_LOCAL = 2;

    private final Kind kind;
    private final Chain chain;
    private final int family;
    private final IpPrefix source;
    private final List<IpPrefix> excludedDestinations;
    private final boolean destinationSet;
    private final String excludedSetName;
    private final InetAddress toAddress;
    private final Protocol protocol;
    private final Integer hostPort;
    private final Integer toPort;
    private final InetAddress hostAddress;
    private final boolean counter;
    private final String tag;
    private final List<Expr> rawExpressions;
    private final List<Expr> expressions;

    private NatRule(Builder b) {
        this.kind = b.kind;
        this.chain = b.chain;
        this.source = b.source == null ? null : b.source.network();
        this.excludedDestinations = b.excluded == null ? null
                : Collections.unmodifiableList(b.excluded.stream().map(IpPrefix::network).toList());
        this.destinationSet = b.destinationSet;
        this.excludedSetName = b.excludedSetName;
        this.toAddress = b.toAddress;
        this.protocol = b.protocol;
        this.hostPort = b.hostPort;
        this.toPort = b.toPort;
        this.hostAddress = b.hostAddress;
        this.counter = b.counter;
        this.tag = b.tag;
        this.rawExpressions = b.rawExpressions == null ? null : List.copyOf(b.rawExpressions);
        this.family = b.family;
        this.expressions = kind == Kind.RAW ? rawExpressions : generate();
    }

    /** {@return what the rule does} */
    public Kind kind() {
        return kind;
    }

    /** {@return the chain the rule goes in} */
    public Chain chain() {
        return chain;
    }

    /** {@return {@code NFPROTO_IPV4} or {@code NFPROTO_IPV6}: which of the library's tables ({@code ip}/{@code ip6}) holds it} */
    public int family() {
        return family;
    }

    /** {@return matched source prefix (masquerade/SNAT), or null} */
    public IpPrefix source() {
        return source;
    }

    /**
     * Destinations left alone (masquerade/SNAT); empty for none. For a
     * {@linkplain #destinationSet() set lookup} this is the canonical form:
     * merged, the fewest prefixes, ascending.
     *
     * @return the excluded prefixes
     */
    public List<IpPrefix> excludedDestinations() {
        return excludedDestinations == null ? List.of() : excludedDestinations;
    }

    /**
     * Whether the excluded destinations are one lookup in an anonymous interval
     * set ({@code ip daddr != { ... }}) rather than one comparison each; see
     * {@link Builder#excludeDestinationSet(Collection)}.
     *
     * @return true for a set lookup
     */
    public boolean destinationSet() {
        return destinationSet;
    }

    /**
     * The named set whose addresses are left un-NATed ({@code ip daddr != @excluded}),
     * see {@link Builder#excludeDestinationsIn(String)}; null if none.
     *
     * @return the set's name, or null
     */
    public String excludedDestinationSetName() {
        return excludedSetName;
    }

    /**
     * The anonymous set this rule's lookup needs in the table of
     * {@code tableFamily}, to be added with in-batch id {@code id}; null if none.
     */
    NftSet anonymousSet(int tableFamily, String table, int id) {
        if (!destinationSet) {
            return null;
        }
        int flags = NfTablesUapi.NFT_SET_ANONYMOUS | NfTablesUapi.NFT_SET_CONSTANT | NfTablesUapi.NFT_SET_INTERVAL;
        boolean v4 = family == Netfilter.NFPROTO_IPV4;
        return new NftSet(tableFamily, table, NftSet.ANONYMOUS_NAME, flags, v4 ? NftSet.TYPE_IPV4_ADDR : NftSet.TYPE_IPV6_ADDR,
                v4 ? 4 : 16, id, null, null);
    }

    /** The interval-set elements of the excluded destinations (for {@link #anonymousSet}). */
    List<NftSetElement> setElements() {
        return PrefixSets.elements(excludedDestinations());
    }

    /**
     * The expressions in a table of {@code tableFamily}. In an {@code inet}
     * table a rule that starts with an address match first checks the
     * protocol, as nft does ({@code [ meta load nfproto => reg 1 ] [ cmp eq
     * reg 1 0x02 ]}); a port forward on {@code fib daddr type local} has no
     * such check in nft either. Raw rules are sent as given.
     */
    List<Expr> expressionsIn(int tableFamily) {
        if (tableFamily != Netfilter.NFPROTO_INET || kind == Kind.RAW || !(expressions.get(0) instanceof PayloadExpr)) {
            return expressions;
        }
        List<Expr> out = new ArrayList<>(expressions.size() + 2);
        out.add(MetaExpr.load(NfTablesUapi.NFT_META_NFPROTO, NfTablesUapi.NFT_REG_1));
        out.add(CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.u8(family)));
        out.addAll(expressions);
        return Collections.unmodifiableList(out);
    }

    /** {@link #expressionsIn} as sent in a batch where the anonymous set has in-batch id {@code setId}. */
    List<Expr> expressionsForBatch(int tableFamily, int setId) {
        List<Expr> in = expressionsIn(tableFamily);
        if (!destinationSet) {
            return in;
        }
        return in.stream().map(e -> e instanceof LookupExpr l
                ? (Expr) new LookupExpr(l.sreg(), l.set(), setId, l.flags()) : e).toList();
    }

    /** {@return the SNAT address or DNAT target address, or null} */
    public InetAddress toAddress() {
        return toAddress;
    }

    /** {@return port-forward protocol, or null} */
    public Protocol protocol() {
        return protocol;
    }

    /** {@return port-forward host (matched destination) port, or null} */
    public Integer hostPort() {
        return hostPort;
    }

    /** {@return port-forward target port, or null} */
    public Integer toPort() {
        return toPort;
    }

    /** {@return port-forward: destination address matched; null means any local address ({@code fib daddr type local})} */
    public InetAddress hostAddress() {
        return hostAddress;
    }

    /** {@return whether the rule counts packets ({@code counter})} */
    public boolean counter() {
        return counter;
    }

    /** {@return the rule's tag (kept as the nft comment), or null} */
    public String tag() {
        return tag;
    }

    /**
     * The rule's nftables expressions, in order. Not API: the expression types are internal
     * (overlaynet's own tests and tools reach them through {@code RawAccess}).
     */
    List<Expr> expressions() {
        return expressions;
    }

    /** The tag as rule user data (nft comment TLV), or null. */
    DataValue userdata() {
        return tag == null ? null : NftUserdata.comment(tag);
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ---- expression generation: the same sequences nft 1.0.6 emits ------------------

    private List<Expr> generate() {
        List<Expr> out = new ArrayList<>();
        boolean v4 = family == Netfilter.NFPROTO_IPV4;
        int saddr = v4 ? 12 : 8;
        int daddr = v4 ? 16 : 24;
        switch (kind) {
            case MASQUERADE:
            case SNAT:
                if (source != null) {
                    prefixMatch(out, saddr, source, NfTablesUapi.NFT_CMP_EQ);
                }
                if (excludedSetName != null) {
                    // nft: [ payload load 4b @ network header + 16 => reg 1 ] [ lookup reg 1 set excluded 0x1 ].
                    out.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, daddr, v4 ? 4 : 16,
                            NfTablesUapi.NFT_REG_1));
                    out.add(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, excludedSetName, null));
                } else if (destinationSet) {
                    // nft: payload load of the whole address, then [ lookup reg 1 set __set%d 0x1 ].
                    out.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, daddr, v4 ? 4 : 16,
                            NfTablesUapi.NFT_REG_1));
                    out.add(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, NftSet.ANONYMOUS_NAME, null));
                } else {
                    for (IpPrefix p : excludedDestinations()) {
                        prefixMatch(out, daddr, p, NfTablesUapi.NFT_CMP_NEQ);
                    }
                }
                if (counter) {
                    out.add(CounterExpr.zero());
                }
                if (kind == Kind.MASQUERADE) {
                    out.add(MasqExpr.plain());
                } else {
                    out.add(ImmediateExpr.value(NfTablesUapi.NFT_REG_1, DataValue.address(toAddress)));
                    out.add(NatExpr.snat(family, NfTablesUapi.NFT_REG_1, null));
                }
                break;
            case DNAT:
                if (hostAddress != null) {
                    prefixMatch(out, daddr, IpPrefix.of(hostAddress, Ip.bits(hostAddress)), NfTablesUapi.NFT_CMP_EQ);
                } else {
                    out.add(FibExpr.daddrType(NfTablesUapi.NFT_REG_1));
                    out.add(CmpExpr.eq(NfTablesUapi.NFT_REG_1, hostU32(RTN_LOCAL)));
                }
                out.add(MetaExpr.load(NfTablesUapi.NFT_META_L4PROTO, NfTablesUapi.NFT_REG_1));
                out.add(CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.u8(protocol.number())));
                out.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2, NfTablesUapi.NFT_REG_1));
                out.add(CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.be16(hostPort)));
                if (counter) {
                    out.add(CounterExpr.zero());
                }
                out.add(ImmediateExpr.value(NfTablesUapi.NFT_REG_1, DataValue.address(toAddress)));
                out.add(ImmediateExpr.value(NfTablesUapi.NFT_REG_2, DataValue.be16(toPort)));
                out.add(NatExpr.dnat(family, NfTablesUapi.NFT_REG_1, NfTablesUapi.NFT_REG_2));
                break;
            default:
                throw new IllegalStateException("unexpected kind " + kind);
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * {@code ip saddr 10.233.0.0/16}: a byte-aligned prefix loads only its bytes
     * and compares them; any other loads the whole address and masks it.
     */
    static void prefixMatch(List<Expr> out, int offset, IpPrefix p, int op) {
        byte[] net = p.network().address().getAddress();
        int len = p.length();
        if (len % 8 == 0) {
            out.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, offset, len / 8, NfTablesUapi.NFT_REG_1));
            out.add(new CmpExpr(NfTablesUapi.NFT_REG_1, op, DataValue.of(Arrays.copyOf(net, len / 8))));
            return;
        }
        byte[] mask = new byte[net.length];
        for (int i = 0; i < mask.length; i++) {
            int bits = Math.max(0, Math.min(8, len - i * 8));
            mask[i] = (byte) (0xff << (8 - bits));
        }
        out.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, offset, net.length, NfTablesUapi.NFT_REG_1));
        out.add(BitwiseExpr.mask(NfTablesUapi.NFT_REG_1, DataValue.of(mask)));
        out.add(new CmpExpr(NfTablesUapi.NFT_REG_1, op, DataValue.of(net)));
    }

    private static DataValue hostU32(int v) {
        return DataValue.of(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    // ---- value semantics ---------------------------------------------------------------

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NatRule)) {
            return false;
        }
        NatRule r = (NatRule) o;
        // A set lookup's expressions do not hold the set's contents: compare those too.
        return kind == r.kind && chain == r.chain && family == r.family && Objects.equals(tag, r.tag)
                && Objects.equals(expressions, r.expressions) && destinationSet == r.destinationSet
                && Objects.equals(excludedSetName, r.excludedSetName)
                && excludedDestinations().equals(r.excludedDestinations());
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, chain, family, tag, expressions, excludedDestinations());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(family == Netfilter.NFPROTO_IPV4 ? "ip " : "ip6 ")
                .append(chain.chainName()).append(':');
        String ip = family == Netfilter.NFPROTO_IPV4 ? " ip" : " ip6";
        switch (kind) {
            case MASQUERADE:
            case SNAT:
                if (source != null) sb.append(ip).append(" saddr ").append(source);
                if (excludedSetName != null) {
                    sb.append(ip).append(" daddr != @").append(excludedSetName);
                } else if (destinationSet) {
                    List<IpPrefix> ex = excludedDestinations();
                    sb.append(ip).append(" daddr != { ");
                    for (int i = 0; i < Math.min(ex.size(), 8); i++) sb.append(i == 0 ? "" : ", ").append(ex.get(i));
                    sb.append(ex.size() > 8 ? ", ... (" + ex.size() + " prefixes) }" : " }");
                } else {
                    for (IpPrefix p : excludedDestinations()) sb.append(ip).append(" daddr != ").append(p);
                }
                if (counter) sb.append(" counter");
                sb.append(kind == Kind.MASQUERADE ? " masquerade" : " snat to " + Ip.text(toAddress));
                break;
            case DNAT:
                sb.append(hostAddress != null ? ip + " daddr " + Ip.text(hostAddress) : " fib daddr type local");
                sb.append(' ').append(protocol.name().toLowerCase()).append(" dport ").append(hostPort);
                if (counter) sb.append(" counter");
                sb.append(" dnat to ").append(family == Netfilter.NFPROTO_IPV4 ? Ip.text(toAddress)
                        : "[" + Ip.text(toAddress) + "]").append(':').append(toPort);
                break;
            default:
                sb.append(' ').append(expressions);
        }
        if (tag != null) sb.append(" comment \"").append(tag).append('"');
        return sb.toString();
    }

    /**
     * Builds a {@link NatRule}; get one from {@link Nat}. Setters only record;
     * {@link #build()} validates everything and names the bad field.
     *
     * <pre>{@code
     * NatRule r = Nat.masquerade("10.233.0.0/16")
     *     .excludeDestinations("10.233.0.0/16", "192.168.0.0/16")
     *     .counter(true).tag("overlay-42").build();
     * }</pre>
     */
    public static final class Builder {
        private Kind kind;
        private Chain chain;
        private int family;
        private IpPrefix source;
        private List<IpPrefix> excluded;
        private boolean excludedSet;
        private boolean destinationSet;
        private String excludedSetName;
        private InetAddress toAddress;
        private Protocol protocol;
        private Integer hostPort;
        private Integer toPort;
        private InetAddress hostAddress;
        private boolean counter;
        private String tag;
        private List<Expr> rawExpressions;
        private RuntimeException deferred;

        Builder(Kind kind, Chain chain) {
            this.kind = kind;
            this.chain = chain;
        }

        private Builder(NatRule r) {
            kind = r.kind;
            chain = r.chain;
            family = r.family;
            source = r.source;
            excluded = r.excludedDestinations == null ? null : new ArrayList<>(r.excludedDestinations);
            excludedSet = true;
            destinationSet = r.destinationSet;
            excludedSetName = r.excludedSetName;
            toAddress = r.toAddress;
            protocol = r.protocol;
            hostPort = r.hostPort;
            toPort = r.toPort;
            hostAddress = r.hostAddress;
            counter = r.counter;
            tag = r.tag;
            rawExpressions = r.rawExpressions;
        }

        private void defer(RuntimeException e) {
            if (deferred == null) {
                deferred = e;
            }
        }

        Builder source(String cidr) {
            try {
                source = IpPrefix.parse("source", cidr);
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            return this;
        }

        Builder toAddress(String field, String address) {
            try {
                toAddress = Ip.parse(field, address);
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            return this;
        }

        Builder forward(Protocol p, int hostPort, int toPort) {
            this.protocol = p;
            this.hostPort = hostPort;
            this.toPort = toPort;
            return this;
        }

        Builder raw(int family, List<Expr> exprs) {
            this.family = family;
            this.rawExpressions = exprs == null ? null : new ArrayList<>(exprs);
            return this;
        }

        /**
         * Destinations to leave un-NATed (replaces the default, which is the
         * source prefix itself); no arguments means none: every destination.
         *
         * @param cidrs destination prefixes, e.g. {@code 10.0.0.0/8}
         * @return this builder
         */
        public Builder excludeDestinations(String... cidrs) {
            if (cidrs == null) {
                throw new IllegalArgumentException("excluded destinations must not be null (pass none for none)");
            }
            List<IpPrefix> l = new ArrayList<>();
            try {
                for (String c : cidrs) {
                    l.add(IpPrefix.parse("excluded destination", c));
                }
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            excluded = l;
            excludedSet = true;
            destinationSet = false;
            excludedSetName = null;
            return this;
        }

        /**
         * Destinations to leave un-NATed, as ONE lookup in an anonymous
         * interval set ({@code ip daddr != { 10.0.0.0/8, ... }}) instead of one
         * comparison per prefix: the rule stays one rule and one lookup however
         * many prefixes there are. The set is added in the same transaction as
         * the rule and the kernel deletes it with the rule. The list is
         * canonicalised (overlaps and neighbours merged), as the kernel stores it.
         *
         * <pre>{@code
         * NatRule r = Nat.masquerade("10.233.0.0/16")
         *     .excludeDestinationSet(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
         *     .tag("overlay-42").build();
         * }</pre>
         *
         * @param cidrs destination prefixes, e.g. {@code 10.0.0.0/8}; any number, overlaps allowed
         * @return this builder
         */
        public Builder excludeDestinationSet(Collection<String> cidrs) {
            if (cidrs == null) {
                throw new IllegalArgumentException("excluded destination set must not be null");
            }
            List<IpPrefix> l = new ArrayList<>();
            try {
                for (String c : cidrs) {
                    l.add(IpPrefix.parse("excluded destination", c));
                }
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            excluded = l;
            excludedSet = true;
            destinationSet = true;
            excludedSetName = null;
            return this;
        }

        /**
         * Destinations to leave un-NATed: those in the named set {@code setName}
         * of the rule's table ({@code ip daddr != @excluded}), one lookup however
         * many prefixes it holds. The set is managed on its own with
         * {@link Nftables#sets()}, so its elements change without touching the
         * rule; it must exist when the rule is added (or be created in the same
         * transaction with {@link Nftables#replace(String, List, List)}), be of the
         * rule's protocol ({@code ipv4_addr} or {@code ipv6_addr}), and the kernel
         * refuses to delete it while the rule uses it.
         *
         * <pre>{@code
         * NatRule r = Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("overlay-42").build();
         * }</pre>
         *
         * @param setName the named set's name
         * @return this builder
         */
        public Builder excludeDestinationsIn(String setName) {
            try {
                NamedSet.validateName("excluded destination set name", setName);
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            excluded = new ArrayList<>();
            excludedSet = true;
            destinationSet = false;
            excludedSetName = setName;
            return this;
        }

        /**
         * NAT traffic to every destination, the source prefix included.
         *
         * @return this builder
         */
        public Builder noDestinationExclusion() {
            return excludeDestinations();
        }

        /**
         * Port forward: only traffic to this host address (default: any local address).
         *
         * @param address the host address a forwarded packet must be sent to
         * @return this builder
         */
        public Builder hostAddress(String address) {
            try {
                hostAddress = Ip.parse("hostAddress", address);
            } catch (IllegalArgumentException e) {
                defer(e);
            }
            return this;
        }

        /**
         * Port forward: also (or instead) for traffic this host itself generates, in the output chain.
         *
         * @return this builder
         */
        public Builder fromLocalHost() {
            chain = Chain.OUTPUT;
            return this;
        }

        /**
         * Port forward: the chain, {@link Chain#PREROUTING} (default) or {@link Chain#OUTPUT}.
         *
         * @param c the chain
         * @return this builder
         */
        public Builder chain(Chain c) {
            chain = Objects.requireNonNull(c, "chain");
            return this;
        }

        /**
         * Count matching packets ({@code counter}).
         *
         * @param on true to count
         * @return this builder
         */
        public Builder counter(boolean on) {
            counter = on;
            return this;
        }

        /**
         * The rule's tag, stored as its nft comment; identifies it for {@link Nftables#remove(String)}.
         *
         * @param tag the tag, or null for none
         * @return this builder
         */
        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code NatRule}
         */
        public NatRule build() {
            if (deferred != null) {
                throw deferred;
            }
            if (tag != null) {
                int n = tag.getBytes(StandardCharsets.UTF_8).length;
                if (tag.isEmpty() || n >= NftUserdata.COMMENT_MAXLEN || tag.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("tag \"" + tag + "\" must be 1.." + (NftUserdata.COMMENT_MAXLEN - 1)
                            + " bytes without NUL");
                }
            }
            switch (kind) {
                case MASQUERADE:
                case SNAT:
                    requireField(source != null, "source");
                    if (source.length() == 0) {
                        throw new IllegalArgumentException("source " + source + " matches everything; "
                                + "use a prefix length of at least 1");
                    }
                    family = source.isV4() ? Netfilter.NFPROTO_IPV4 : Netfilter.NFPROTO_IPV6;
                    if (!excludedSet) {
                        excluded = new ArrayList<>(List.of(source));
                    }
                    for (IpPrefix p : excluded) {
                        if (p.isV4() != source.isV4()) {
                            throw new IllegalArgumentException("excluded destination " + p
                                    + " is not of the source's address family (" + source + ")");
                        }
                        if (p.length() == 0) {
                            throw new IllegalArgumentException("excluded destination " + p
                                    + " excludes everything; the rule could never match");
                        }
                    }
                    if (destinationSet) {
                        if (excluded.isEmpty()) {
                            throw new IllegalArgumentException("excluded destination set must not be empty "
                                    + "(use noDestinationExclusion() for none)");
                        }
                        excluded = new ArrayList<>(PrefixSets.canonical(excluded));
                    }
                    if (kind == Kind.SNAT) {
                        requireField(toAddress != null, "toAddress");
                        sameFamily("toAddress", toAddress);
                    }
                    if (chain != Chain.POSTROUTING) {
                        throw new IllegalArgumentException("chain " + chain + ": source NAT belongs in POSTROUTING");
                    }
                    break;
                case DNAT:
                    requireField(protocol != null, "protocol");
                    requireField(toAddress != null, "toAddress");
                    port("hostPort", hostPort);
                    port("toPort", toPort);
                    family = Ip.isV4(toAddress) ? Netfilter.NFPROTO_IPV4 : Netfilter.NFPROTO_IPV6;
                    if (hostAddress != null) {
                        sameFamily("hostAddress", hostAddress);
                    }
                    if (chain != Chain.PREROUTING && chain != Chain.OUTPUT) {
                        throw new IllegalArgumentException("chain " + chain + ": a port forward belongs in "
                                + "PREROUTING or OUTPUT");
                    }
                    break;
                case RAW:
                    requireField(rawExpressions != null && !rawExpressions.isEmpty(), "expressions");
                    if (rawExpressions.contains(null)) {
                        throw new IllegalArgumentException("expressions must not contain null");
                    }
                    requireField(chain != null, "chain");
                    if (family != Netfilter.NFPROTO_IPV4 && family != Netfilter.NFPROTO_IPV6) {
                        throw new IllegalArgumentException("family " + family + " must be NFPROTO_IPV4 (2) or NFPROTO_IPV6 (10)");
                    }
                    break;
                default:
                    throw new IllegalStateException("kind " + kind);
            }
            return new NatRule(this);
        }

        private void sameFamily(String field, InetAddress a) {
            int f = Ip.isV4(a) ? Netfilter.NFPROTO_IPV4 : Netfilter.NFPROTO_IPV6;
            if (f != family) {
                throw new IllegalArgumentException(field + " " + Ip.text(a) + " is not of the rule's address family");
            }
        }

        private static void requireField(boolean ok, String field) {
            if (!ok) {
                throw new IllegalArgumentException(field + " is required");
            }
        }

        private static void port(String field, Integer p) {
            if (p == null) {
                throw new IllegalArgumentException(field + " is required");
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(field + " " + p + " out of range [1..65535]");
            }
        }
    }
}
