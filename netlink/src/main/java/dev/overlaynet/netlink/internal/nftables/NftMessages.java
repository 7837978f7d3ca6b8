package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads nf_tables messages: {@code struct nfgenmsg} (family,
 * version 0, res_id 0) followed by big-endian attributes.
 *
 * <pre>{@code
 * MessageWriter w = new MessageWriter();
 * NftMessages.getRules(w, Netfilter.NFPROTO_IPV4, "overlaynet", null);
 * List<NftRule> rules = socket.dumpList(w, NftMessages::decodeRule, 5);
 * }</pre>
 */
public final class NftMessages {
    private NftMessages() {}

    /** The nlmsg type of nf_tables message {@code msg}: {@code NFNL_SUBSYS_NFTABLES << 8 | msg}. */
    public static int type(int msg) {
        return (NfNetlink.NFNL_SUBSYS_NFTABLES << 8) | msg;
    }

    private static int begin(MessageWriter w, int msg, int flags, int family) {
        int m = w.begin(type(msg), flags);
        w.nfgenmsg(family, NfNetlink.NFNETLINK_V0, 0);
        return m;
    }

    // ---- writes (inside a batch) ----------------------------------------------------

    /** NEWTABLE; with {@code exclusive} the kernel refuses (EEXIST) to touch an existing table. */
    public static void newTable(MessageWriter w, NftTable t, boolean exclusive) {
        int m = begin(w, NfTablesUapi.NFT_MSG_NEWTABLE, Nlmsg.NLM_F_CREATE | (exclusive ? Nlmsg.NLM_F_EXCL : 0), t.family());
        w.string(NfTablesUapi.NFTA_TABLE_NAME, t.name());
        if (t.flags() != null) {
            w.be32(NfTablesUapi.NFTA_TABLE_FLAGS, t.flags());
        }
        if (t.userdata() != null) {
            w.bytes(NfTablesUapi.NFTA_TABLE_USERDATA, t.userdata().raw());
        }
        w.end(m);
    }

    public static void delTable(MessageWriter w, int family, String table) {
        int m = begin(w, NfTablesUapi.NFT_MSG_DELTABLE, 0, family);
        w.string(NfTablesUapi.NFTA_TABLE_NAME, table);
        w.end(m);
    }

    /** NEWCHAIN; with {@code exclusive} an existing chain of that name is an error (EEXIST). */
    public static void newChain(MessageWriter w, NftChain c, boolean exclusive) {
        int m = begin(w, NfTablesUapi.NFT_MSG_NEWCHAIN, Nlmsg.NLM_F_CREATE | (exclusive ? Nlmsg.NLM_F_EXCL : 0), c.family());
        w.string(NfTablesUapi.NFTA_CHAIN_TABLE, c.table());
        w.string(NfTablesUapi.NFTA_CHAIN_NAME, c.name());
        if (c.isBase()) {
            w.string(NfTablesUapi.NFTA_CHAIN_TYPE, c.type());
            int hook = NftAttrs.nest(w, NfTablesUapi.NFTA_CHAIN_HOOK);
            w.be32(NfTablesUapi.NFTA_HOOK_HOOKNUM, c.hook());
            w.be32(NfTablesUapi.NFTA_HOOK_PRIORITY, c.priority());
            w.nestEnd(hook);
        }
        if (c.policy() != null) {
            w.be32(NfTablesUapi.NFTA_CHAIN_POLICY, c.policy());
        }
        w.end(m);
    }

    public static void delChain(MessageWriter w, int family, String table, String chain) {
        int m = begin(w, NfTablesUapi.NFT_MSG_DELCHAIN, 0, family);
        w.string(NfTablesUapi.NFTA_CHAIN_TABLE, table);
        w.string(NfTablesUapi.NFTA_CHAIN_NAME, chain);
        w.end(m);
    }

    /** NEWRULE appended at the end of its chain. */
    public static void newRule(MessageWriter w, NftRule r) {
        int m = begin(w, NfTablesUapi.NFT_MSG_NEWRULE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, r.family());
        w.string(NfTablesUapi.NFTA_RULE_TABLE, r.table());
        w.string(NfTablesUapi.NFTA_RULE_CHAIN, r.chain());
        Exprs.encode(w, NfTablesUapi.NFTA_RULE_EXPRESSIONS, r.expressions());
        if (r.userdata() != null) {
            w.bytes(NfTablesUapi.NFTA_RULE_USERDATA, r.userdata().raw());
        }
        w.end(m);
    }

    /** DELRULE of the rule with {@code handle} in {@code table}/{@code chain}. */
    public static void delRule(MessageWriter w, int family, String table, String chain, long handle) {
        int m = begin(w, NfTablesUapi.NFT_MSG_DELRULE, 0, family);
        w.string(NfTablesUapi.NFTA_RULE_TABLE, table);
        w.string(NfTablesUapi.NFTA_RULE_CHAIN, chain);
        w.be64(NfTablesUapi.NFTA_RULE_HANDLE, handle);
        w.end(m);
    }

    // ---- sets ---------------------------------------------------------------------------

    /** NEWSET; with {@code exclusive} an existing set of that name is an error (EEXIST). */
    public static void newSet(MessageWriter w, NftSet set, boolean exclusive) {
        int m = begin(w, NfTablesUapi.NFT_MSG_NEWSET, Nlmsg.NLM_F_CREATE | (exclusive ? Nlmsg.NLM_F_EXCL : 0), set.family());
        w.string(NfTablesUapi.NFTA_SET_TABLE, set.table());
        w.string(NfTablesUapi.NFTA_SET_NAME, set.name());
        w.be32(NfTablesUapi.NFTA_SET_FLAGS, set.flags());
        w.be32(NfTablesUapi.NFTA_SET_KEY_TYPE, set.keyType());
        w.be32(NfTablesUapi.NFTA_SET_KEY_LEN, set.keyLen());
        if (set.id() != null) {
            w.be32(NfTablesUapi.NFTA_SET_ID, set.id());
        }
        if (set.userdata() != null) {
            w.bytes(NfTablesUapi.NFTA_SET_USERDATA, set.userdata().raw());
        }
        w.end(m);
    }

    public static void delSet(MessageWriter w, int family, String table, String set) {
        int m = begin(w, NfTablesUapi.NFT_MSG_DELSET, 0, family);
        w.string(NfTablesUapi.NFTA_SET_TABLE, table);
        w.string(NfTablesUapi.NFTA_SET_NAME, set);
        w.end(m);
    }

    /**
     * NEWSETELEM or DELSETELEM of {@code elements} in {@code set} (by name, and
     * by in-batch id when the set is added in the same batch).
     */
    public static void setElements(MessageWriter w, boolean add, NftSet set, List<NftSetElement> elements) {
        int msg = add ? NfTablesUapi.NFT_MSG_NEWSETELEM : NfTablesUapi.NFT_MSG_DELSETELEM;
        int m = begin(w, msg, add ? Nlmsg.NLM_F_CREATE : 0, set.family());
        w.string(NfTablesUapi.NFTA_SET_ELEM_LIST_TABLE, set.table());
        w.string(NfTablesUapi.NFTA_SET_ELEM_LIST_SET, set.name());
        if (set.id() != null) {
            w.be32(NfTablesUapi.NFTA_SET_ELEM_LIST_SET_ID, set.id());
        }
        int list = NftAttrs.nest(w, NfTablesUapi.NFTA_SET_ELEM_LIST_ELEMENTS);
        // As libnftnl: the nests numbered 1, 2, ... (the kernel ignores the type), flags before the key.
        int n = 0;
        for (NftSetElement e : elements) {
            int elem = NftAttrs.nest(w, ++n);
            if (e.flags() != 0) {
                w.be32(NfTablesUapi.NFTA_SET_ELEM_FLAGS, e.flags());
            }
            NftAttrs.data(w, NfTablesUapi.NFTA_SET_ELEM_KEY, e.key());
            w.nestEnd(elem);
        }
        w.nestEnd(list);
        w.end(m);
    }

    /** Dump of sets, optionally of one table. */
    public static void getSets(MessageWriter w, int family, String table) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETSET, Nlmsg.NLM_F_DUMP, family);
        if (table != null) {
            w.string(NfTablesUapi.NFTA_SET_TABLE, table);
        }
        w.end(m);
    }

    /** Dump of the elements of one set. */
    public static void getSetElements(MessageWriter w, int family, String table, String set) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETSETELEM, Nlmsg.NLM_F_DUMP, family);
        w.string(NfTablesUapi.NFTA_SET_ELEM_LIST_TABLE, table);
        w.string(NfTablesUapi.NFTA_SET_ELEM_LIST_SET, set);
        w.end(m);
    }

    /** A NEWSET message as a set; null for other message types. */
    public static NftSet decodeSet(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWSET)) {
            return null;
        }
        int family = m.u8(0);
        String table = null, name = null;
        Integer flags = null, keyType = null, keyLen = null, id = null;
        Long handle = null;
        DataValue ud = null;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_SET_TABLE: table = a.string(); break;
                case NfTablesUapi.NFTA_SET_NAME: name = a.string(); break;
                case NfTablesUapi.NFTA_SET_FLAGS: flags = a.be32(); break;
                case NfTablesUapi.NFTA_SET_KEY_TYPE: keyType = a.be32(); break;
                case NfTablesUapi.NFTA_SET_KEY_LEN: keyLen = a.be32(); break;
                case NfTablesUapi.NFTA_SET_ID: id = a.be32(); break;
                case NfTablesUapi.NFTA_SET_HANDLE: handle = a.be64(); break;
                case NfTablesUapi.NFTA_SET_USERDATA: ud = DataValue.of(a.bytes()); break;
                default: break;
            }
        }
        if (table == null || name == null || keyLen == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWSET without table, name or key length");
        }
        try {
            return new NftSet(family, table, name, flags == null ? 0 : flags, keyType == null ? 0 : keyType, keyLen, id,
                    ud, handle);
        } catch (IllegalArgumentException e) {
            throw malformed(m, "NEWSET", e);
        }
    }

    /** The elements in a NEWSETELEM message; null for other message types. */
    public static List<NftSetElement> decodeSetElements(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWSETELEM)) {
            return null;
        }
        List<NftSetElement> out = new ArrayList<>();
        AttrReader a = m.attrs(4);
        while (a.next()) {
            if (a.type() != NfTablesUapi.NFTA_SET_ELEM_LIST_ELEMENTS) {
                continue;
            }
            AttrReader list = a.nested();
            while (list.next()) {
                // Any nest type: the kernel dumps NFTA_LIST_ELEM, nft (and this library) number them 1, 2, ...
                AttrReader e = list.nested();
                DataValue key = null;
                int flags = 0;
                while (e.next()) {
                    if (e.type() == NfTablesUapi.NFTA_SET_ELEM_KEY) {
                        key = NftAttrs.readData(e);
                    } else if (e.type() == NfTablesUapi.NFTA_SET_ELEM_FLAGS) {
                        flags = e.be32();
                    }
                }
                if (key == null) {
                    if ((flags & NfTablesUapi.NFT_SET_ELEM_CATCHALL) != 0) {
                        continue; // a catch-all element has no key; interval sets never hold one
                    }
                    throw new NetlinkDecodeException(list.offset(), "set element without NFTA_SET_ELEM_KEY");
                }
                out.add(new NftSetElement(key, flags));
            }
        }
        return out;
    }

    // ---- reads ------------------------------------------------------------------------

    /** GETGEN: the answer is one NEWGEN message, see {@link #decodeGenId}. */
    public static void getGen(MessageWriter w) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETGEN, 0, 0);
        w.end(m);
    }

    /** Dump of tables; family 0 means all families. */
    public static void getTables(MessageWriter w, int family) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETTABLE, Nlmsg.NLM_F_DUMP, family);
        w.end(m);
    }

    /** Dump of chains, optionally only those of {@code table} (then {@code family} should be set). */
    public static void getChains(MessageWriter w, int family, String table) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETCHAIN, Nlmsg.NLM_F_DUMP, family);
        if (table != null) {
            w.string(NfTablesUapi.NFTA_CHAIN_TABLE, table);
        }
        w.end(m);
    }

    /** Dump of rules, optionally of one table and chain. */
    public static void getRules(MessageWriter w, int family, String table, String chain) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETRULE, Nlmsg.NLM_F_DUMP, family);
        if (table != null) {
            w.string(NfTablesUapi.NFTA_RULE_TABLE, table);
        }
        if (chain != null) {
            w.string(NfTablesUapi.NFTA_RULE_CHAIN, chain);
        }
        w.end(m);
    }

    /** Dump of stateful objects, optionally of one table. */
    public static void getObjects(MessageWriter w, int family, String table) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETOBJ, Nlmsg.NLM_F_DUMP, family);
        if (table != null) {
            w.string(NfTablesUapi.NFTA_OBJ_TABLE, table);
        }
        w.end(m);
    }

    /** Dump of flowtables, optionally of one table. */
    public static void getFlowtables(MessageWriter w, int family, String table) {
        int m = begin(w, NfTablesUapi.NFT_MSG_GETFLOWTABLE, Nlmsg.NLM_F_DUMP, family);
        if (table != null) {
            w.string(NfTablesUapi.NFTA_FLOWTABLE_TABLE, table);
        }
        w.end(m);
    }

    /** A NEWOBJ message as the object's kind and name; null for other message types. */
    public static NftTableObject decodeObject(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWOBJ)) {
            return null;
        }
        String table = null, name = null;
        int objType = 0;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_OBJ_TABLE: table = a.string(); break;
                case NfTablesUapi.NFTA_OBJ_NAME: name = a.string(); break;
                case NfTablesUapi.NFTA_OBJ_TYPE: objType = a.be32(); break;
                default: break;
            }
        }
        if (table == null || name == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWOBJ without table or name");
        }
        return new NftTableObject(NftTableObject.objectKind(objType), m.u8(0), table, name);
    }

    /** A NEWFLOWTABLE message as the flowtable's name; null for other message types. */
    public static NftTableObject decodeFlowtable(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWFLOWTABLE)) {
            return null;
        }
        String table = null, name = null;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_FLOWTABLE_TABLE: table = a.string(); break;
                case NfTablesUapi.NFTA_FLOWTABLE_NAME: name = a.string(); break;
                default: break;
            }
        }
        if (table == null || name == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWFLOWTABLE without table or name");
        }
        return new NftTableObject("flowtable", m.u8(0), table, name);
    }

    /**
     * Kernel data a value object refuses (an empty chain name, say) is a
     * decode error, not an IllegalArgumentException that reads like the
     * caller's mistake.
     */
    private static NetlinkDecodeException malformed(MessageReader m, String what, IllegalArgumentException e) {
        NetlinkDecodeException d = new NetlinkDecodeException(m.offset(), what + ": " + e.getMessage());
        d.initCause(e);
        return d;
    }

    /** NFTA_GEN_ID of a NEWGEN message, or null for other messages. */
    public static Integer decodeGenId(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWGEN)) {
            return null;
        }
        AttrReader a = m.attrs(4);
        while (a.next()) {
            if (a.type() == NfTablesUapi.NFTA_GEN_ID) {
                return a.be32();
            }
        }
        throw new NetlinkDecodeException(m.offset(), "NEWGEN without NFTA_GEN_ID");
    }

    /** A NEWTABLE message as a table; null for other message types. */
    public static NftTable decodeTable(MessageReader m) {
        try {
            return decodeTableFields(m);
        } catch (IllegalArgumentException e) {
            throw malformed(m, "NEWTABLE", e);
        }
    }

    private static NftTable decodeTableFields(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWTABLE)) {
            return null;
        }
        int family = m.u8(0);
        String name = null;
        Integer flags = null, use = null;
        Long handle = null;
        DataValue ud = null;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_TABLE_NAME: name = a.string(); break;
                case NfTablesUapi.NFTA_TABLE_FLAGS: flags = a.be32(); break;
                case NfTablesUapi.NFTA_TABLE_USE: use = a.be32(); break;
                case NfTablesUapi.NFTA_TABLE_HANDLE: handle = a.be64(); break;
                case NfTablesUapi.NFTA_TABLE_USERDATA: ud = DataValue.of(a.bytes()); break;
                default: break;
            }
        }
        if (name == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWTABLE without NFTA_TABLE_NAME");
        }
        return new NftTable(family, name, flags, ud, handle, use);
    }

    /** A NEWCHAIN message as a chain; null for other message types. */
    public static NftChain decodeChain(MessageReader m) {
        try {
            return decodeChainFields(m);
        } catch (IllegalArgumentException e) {
            throw malformed(m, "NEWCHAIN", e);
        }
    }

    private static NftChain decodeChainFields(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWCHAIN)) {
            return null;
        }
        int family = m.u8(0);
        String table = null, name = null, type = null;
        Integer hook = null, prio = null, policy = null, flags = null, use = null;
        Long handle = null;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_CHAIN_TABLE: table = a.string(); break;
                case NfTablesUapi.NFTA_CHAIN_NAME: name = a.string(); break;
                case NfTablesUapi.NFTA_CHAIN_TYPE: type = a.string(); break;
                case NfTablesUapi.NFTA_CHAIN_POLICY: policy = a.be32(); break;
                case NfTablesUapi.NFTA_CHAIN_FLAGS: flags = a.be32(); break;
                case NfTablesUapi.NFTA_CHAIN_USE: use = a.be32(); break;
                case NfTablesUapi.NFTA_CHAIN_HANDLE: handle = a.be64(); break;
                case NfTablesUapi.NFTA_CHAIN_HOOK: {
                    AttrReader h = a.nested();
                    while (h.next()) {
                        if (h.type() == NfTablesUapi.NFTA_HOOK_HOOKNUM) {
                            hook = h.be32();
                        } else if (h.type() == NfTablesUapi.NFTA_HOOK_PRIORITY) {
                            prio = h.be32();
                        }
                    }
                    break;
                }
                default: break;
            }
        }
        if (table == null || name == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWCHAIN without table or name");
        }
        if (hook == null || prio == null || type == null) {
            // netdev chains and malformed hooks: keep what is certain.
            hook = prio = null;
            type = null;
        }
        return new NftChain(family, table, name, type, hook, prio, policy, handle, flags, use);
    }

    /** A NEWRULE message as a rule; null for other message types. */
    public static NftRule decodeRule(MessageReader m) {
        try {
            return decodeRuleFields(m);
        } catch (IllegalArgumentException e) {
            throw malformed(m, "NEWRULE", e);
        }
    }

    private static NftRule decodeRuleFields(MessageReader m) {
        if (m.type() != type(NfTablesUapi.NFT_MSG_NEWRULE)) {
            return null;
        }
        int family = m.u8(0);
        String table = null, chain = null;
        Long handle = null;
        List<Expr> exprs = new ArrayList<>();
        DataValue ud = null;
        AttrReader a = m.attrs(4);
        while (a.next()) {
            switch (a.type()) {
                case NfTablesUapi.NFTA_RULE_TABLE: table = a.string(); break;
                case NfTablesUapi.NFTA_RULE_CHAIN: chain = a.string(); break;
                case NfTablesUapi.NFTA_RULE_HANDLE: handle = a.be64(); break;
                case NfTablesUapi.NFTA_RULE_EXPRESSIONS: exprs = Exprs.decode(a); break;
                case NfTablesUapi.NFTA_RULE_USERDATA: ud = DataValue.of(a.bytes()); break;
                default: break;
            }
        }
        if (table == null || chain == null) {
            throw new NetlinkDecodeException(m.offset(), "NEWRULE without table or chain");
        }
        return new NftRule(family, table, chain, handle, exprs, ud);
    }
}
