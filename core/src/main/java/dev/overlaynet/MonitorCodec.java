package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.NftMessages;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns one notification (or dump reply) into what a monitor's view needs:
 * its topic, whether it removes, the object's key (what the kernel tells
 * objects apart by) and the typed value. Values are the ones {@code list()}
 * returns, decoded by the same codecs.
 */
final class MonitorCodec {
    private static final int NTF_PROXY = 0x08;
    private static final int RTM_F_CLONED = 0x200;
    private static final int NFT_NEWRULE = NftMessages.type(NfTablesUapi.NFT_MSG_NEWRULE);
    private static final int NFT_DELRULE = NftMessages.type(NfTablesUapi.NFT_MSG_DELRULE);
    private static final int NFT_DELTABLE = NftMessages.type(NfTablesUapi.NFT_MSG_DELTABLE);
    private static final int NFT_DELCHAIN = NftMessages.type(NfTablesUapi.NFT_MSG_DELCHAIN);

    /** One decoded message; {@code value} is null for removals whose value the view must supply. */
    record Item(MonitorTopic topic, boolean removal, Object key, Object value, int index) {}

    /** A table or chain removal: every rule in it goes (nf_tables may not send each DELRULE first). */
    record NftScope(int family, String table, String chain) {}

    private final AttrReader attrs = new AttrReader();

    private MonitorCodec() {}

    static MonitorCodec create() {
        return new MonitorCodec();
    }

    /**
     * Decodes {@code m}; null when it is not an object of a known topic (acks,
     * bridge-port link messages, cloned routes, proxy neighbours, ...).
     * {@code names} gives link names (may answer null), {@code links} resolves
     * master/peer names for link values.
     */
    Object decode(MessageReader m, IntFunction<String> names, NameResolver links) {
        int type = m.type();
        switch (type) {
            case RtNetlink.RTM_NEWLINK, RtNetlink.RTM_DELLINK -> {
                m.requireHeader(16);
                if (m.u8(0) != AddressFamily.AF_UNSPEC) {
                    return null; // AF_BRIDGE port messages, not the link itself
                }
                int index = m.i32(4);
                if (type == RtNetlink.RTM_DELLINK) {
                    return new Item(MonitorTopic.LINK, true, index, null, index);
                }
                Link l = LinkCodec.decode(m, links);
                return l == null ? null : new Item(MonitorTopic.LINK, false, index, l, index);
            }
            case RtNetlink.RTM_NEWADDR, RtNetlink.RTM_DELADDR -> {
                Address a = AddressCodec.decode(m, names, attrs);
                if (a == null) {
                    return null;
                }
                return new Item(MonitorTopic.ADDRESS, type == RtNetlink.RTM_DELADDR,
                        Arrays.asList(a.index(), a.prefix(), a.peer()), a, a.index());
            }
            case RtNetlink.RTM_NEWROUTE, RtNetlink.RTM_DELROUTE -> {
                m.requireHeader(12);
                if ((m.i32(8) & RTM_F_CLONED) != 0) {
                    return null;
                }
                Route r = RouteCodec.decode(m, names, attrs);
                if (r == null) {
                    return null;
                }
                int family = m.u8(0);
                // IPv6 keeps routes to one prefix with the same metric on different devices apart.
                Object key = Arrays.asList(family, r.table(), r.dst(), m.u8(3), r.metric(),
                        family == AddressFamily.AF_INET6 ? r.index() : null);
                return new Item(MonitorTopic.ROUTE, type == RtNetlink.RTM_DELROUTE, key, r,
                        r.index() == null ? 0 : r.index());
            }
            case RtNetlink.RTM_NEWNEIGH, RtNetlink.RTM_DELNEIGH -> {
                m.requireHeader(12);
                boolean del = type == RtNetlink.RTM_DELNEIGH;
                if (m.u8(0) == AddressFamily.AF_BRIDGE) {
                    FdbEntry f = FdbCodec.decode(m, names, attrs);
                    if (f == null) {
                        return null;
                    }
                    Object key = Arrays.asList(f.index(), f.mac(), f.vlan(), f.dst(), f.vni(), f.port(), f.srcVni(),
                            f.master());
                    return new Item(MonitorTopic.FDB, del, key, f, f.index());
                }
                if ((m.u8(10) & NTF_PROXY) != 0) {
                    return null; // proxy entries are not neighbours (ip neigh show proxy)
                }
                Neighbour n = NeighCodec.decode(m, names, attrs);
                if (n == null) {
                    return null;
                }
                return new Item(MonitorTopic.NEIGH, del, Arrays.asList(n.index(), n.ip()), n, n.index());
            }
            default -> {
                return decodeNft(m);
            }
        }
    }

    private Object decodeNft(MessageReader m) {
        int type = m.type();
        if (type == NFT_NEWRULE) {
            NftRule r = NftMessages.decodeRule(m);
            if (r == null || r.handle() == null) {
                return null;
            }
            String tag = r.comment();
            OwnedRule o = new OwnedRule(r.family(), r.table(), r.chain(), r.handle(), tag, r.expressions(),
                    NatRuleParser.parse(r.family(), r.chain(), r.expressions(), tag));
            return new Item(MonitorTopic.NAT_RULE, false, ruleKey(r.family(), r.table(), r.chain(), r.handle()), o, 0);
        }
        if (type == NFT_DELRULE || type == NFT_DELTABLE || type == NFT_DELCHAIN) {
            m.requireHeader(4);
            int family = m.u8(0);
            String table = null;
            String chain = null;
            Long handle = null;
            m.attrs(4, attrs);
            while (attrs.next()) {
                if (type == NFT_DELRULE) {
                    switch (attrs.type()) {
                        case NfTablesUapi.NFTA_RULE_TABLE -> table = attrs.string();
                        case NfTablesUapi.NFTA_RULE_CHAIN -> chain = attrs.string();
                        case NfTablesUapi.NFTA_RULE_HANDLE -> handle = attrs.be64();
                        default -> { }
                    }
                } else if (type == NFT_DELCHAIN) {
                    switch (attrs.type()) {
                        case NfTablesUapi.NFTA_CHAIN_TABLE -> table = attrs.string();
                        case NfTablesUapi.NFTA_CHAIN_NAME -> chain = attrs.string();
                        default -> { }
                    }
                } else if (attrs.type() == NfTablesUapi.NFTA_TABLE_NAME) {
                    table = attrs.string();
                }
            }
            if (table == null) {
                return null;
            }
            if (type != NFT_DELRULE) {
                return new NftScope(family, table, chain);
            }
            if (chain == null || handle == null) {
                return null;
            }
            return new Item(MonitorTopic.NAT_RULE, true, ruleKey(family, table, chain, handle), null, 0);
        }
        return null;
    }

    static List<Object> ruleKey(int family, String table, String chain, long handle) {
        return Arrays.asList(family, table, chain, handle);
    }

    /** The link index an object hangs on (0 for none). */
    static int indexOf(Object value) {
        Integer i = null;
        if (value instanceof Neighbour n) {
            i = n.index();
        } else if (value instanceof FdbEntry f) {
            i = f.index();
        } else if (value instanceof Address a) {
            i = a.index();
        } else if (value instanceof Route r) {
            i = r.index();
        } else if (value instanceof Link l) {
            i = l.index();
        }
        return i == null ? 0 : i;
    }

    /** The link name an object carries (null for none). */
    static String linkNameOf(Object value) {
        if (value instanceof Neighbour n) {
            return n.dev();
        } else if (value instanceof FdbEntry f) {
            return f.dev();
        } else if (value instanceof Address a) {
            return a.link();
        } else if (value instanceof Route r) {
            return r.dev();
        } else if (value instanceof Link l) {
            return l.name();
        }
        return null;
    }

    /** {@code value} naming its link {@code name} (after a rename, or a name learnt late). */
    static Object relabel(Object value, String name) {
        if (name == null || name.equals(linkNameOf(value))) {
            return value;
        }
        if (value instanceof Neighbour n) {
            return n.toBuilder().dev(name).buildDecoded();
        } else if (value instanceof FdbEntry f) {
            return f.toBuilder().dev(name).buildDecoded();
        } else if (value instanceof Address a) {
            return a.toBuilder().link(name).buildDecoded();
        } else if (value instanceof Route r) {
            return r.toBuilder().dev(name).buildDecoded();
        }
        return value;
    }

    /**
     * Whether two values of one key are the same for a consumer. Links compare
     * their modelled fields both ways plus index, flags and operState, not
     * {@link Link#equals}: that also compares the kind's unmodelled
     * attributes, among them a bridge's running timers (IFLA_BR_HELLO_TIMER,
     * IFLA_BR_GC_TIMER, ...), which differ in every dump.
     */
    static boolean same(Object a, Object b) {
        if (a instanceof Link x && b instanceof Link y) {
            return x.getClass() == y.getClass() && x.differences(y).isEmpty() && y.differences(x).isEmpty()
                    && java.util.Objects.equals(x.index(), y.index()) && java.util.Objects.equals(x.flags(), y.flags())
                    && java.util.Objects.equals(x.operState(), y.operState());
        }
        return a.equals(b);
    }
}
