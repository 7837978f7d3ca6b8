package dev.overlaynet.testkit.fake;

import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_CHAIN_NAME;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_CHAIN_TABLE;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_GEN_ID;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_RULE_CHAIN;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_RULE_HANDLE;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_RULE_TABLE;
import static dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFTA_TABLE_NAME;

import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jnr.constants.platform.Errno;

/**
 * The fake kernel's nf_tables state: tables, chains and rules stored with the
 * attributes they were written with, rule handles, and the ruleset
 * generation that guards a batch (a batch begun for another generation is
 * refused with ERESTART, as the kernel does). Sets and objects are not
 * modelled.
 */
final class NftModel {
    record Obj(int family, Attrs attrs) {
        Obj copy() {
            return new Obj(family, attrs.copy());
        }
    }

    record Rule(int family, String table, String chain, long handle, Attrs attrs) {
        Rule copy() {
            return new Rule(family, table, chain, handle, attrs.copy());
        }
    }

    final Map<String, Obj> tables = new LinkedHashMap<>();
    final Map<String, Obj> chains = new LinkedHashMap<>();
    final List<Rule> rules = new ArrayList<>();
    int generation = 1;
    long nextHandle = 1;

    NftModel copy() {
        NftModel m = new NftModel();
        tables.forEach((k, v) -> m.tables.put(k, v.copy()));
        chains.forEach((k, v) -> m.chains.put(k, v.copy()));
        rules.forEach(r -> m.rules.add(r.copy()));
        m.generation = generation;
        m.nextHandle = nextHandle;
        return m;
    }

    static int type(int msg) {
        return (NfNetlink.NFNL_SUBSYS_NFTABLES << 8) | msg;
    }

    /** Answers a read (GET) outside a batch. */
    void read(Request r, Reply reply) {
        byte[] m = r.raw();
        int family = m[16] & 0xff;
        Attrs a = Attrs.parse(m, 20, m.length);
        int msg = r.type() & 0xff;
        if ((r.type() >> 8) != NfNetlink.NFNL_SUBSYS_NFTABLES) {
            reply.error(Errno.EOPNOTSUPP.intValue(), "the fake kernel models nf_tables only");
            return;
        }
        switch (msg) {
            case NfTablesUapi.NFT_MSG_GETGEN -> {
                ByteArrayOutputStream p = new ByteArrayOutputStream();
                p.writeBytes(nfgen(0, generation));
                Attrs.write(p, NFTA_GEN_ID, be32(generation));
                reply.message(type(NfTablesUapi.NFT_MSG_NEWGEN), 0, p.toByteArray());
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_GETTABLE -> {
                tables.values().stream().filter(t -> family == 0 || t.family() == family).forEach(t ->
                        reply.message(type(NfTablesUapi.NFT_MSG_NEWTABLE), Nlmsg.NLM_F_MULTI, payload(t.family(), t.attrs())));
                reply.done();
            }
            case NfTablesUapi.NFT_MSG_GETCHAIN -> {
                chains.values().stream().filter(c -> family == 0 || c.family() == family).forEach(c ->
                        reply.message(type(NfTablesUapi.NFT_MSG_NEWCHAIN), Nlmsg.NLM_F_MULTI, payload(c.family(), c.attrs())));
                reply.done();
            }
            case NfTablesUapi.NFT_MSG_GETRULE -> {
                String table = a.string(NFTA_RULE_TABLE);
                String chain = a.string(NFTA_RULE_CHAIN);
                for (Rule x : rules) {
                    if ((family == 0 || x.family() == family) && (table == null || table.equals(x.table()))
                            && (chain == null || chain.equals(x.chain()))) {
                        Attrs out = x.attrs().copy();
                        out.put(NFTA_RULE_HANDLE, be64(x.handle()));
                        reply.message(type(NfTablesUapi.NFT_MSG_NEWRULE), Nlmsg.NLM_F_MULTI, payload(x.family(), out));
                    }
                }
                reply.done();
            }
            default -> reply.error(Errno.EOPNOTSUPP.intValue(), "the fake kernel does not model " + r);
        }
    }

    /** Applies one change of a batch; the caller rolls the whole batch back if one fails. */
    void change(Request r, Reply reply) {
        byte[] m = r.raw();
        int family = m[16] & 0xff;
        Attrs a = Attrs.parse(m, 20, m.length);
        int f = r.flags();
        switch (r.type() & 0xff) {
            case NfTablesUapi.NFT_MSG_NEWTABLE -> {
                String k = family + "|" + a.string(NFTA_TABLE_NAME);
                if (tables.containsKey(k)) {
                    if ((f & Nlmsg.NLM_F_EXCL) != 0) {
                        reply.error(Errno.EEXIST.intValue(), null);
                        return;
                    }
                    tables.get(k).attrs().merge(a);
                } else {
                    tables.put(k, new Obj(family, a));
                }
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_DELTABLE -> {
                String name = a.string(NFTA_TABLE_NAME);
                if (tables.remove(family + "|" + name) == null) {
                    reply.error(Errno.ENOENT.intValue(), null);
                    return;
                }
                chains.keySet().removeIf(k -> k.startsWith(family + "|" + name + "|"));
                rules.removeIf(x -> x.family() == family && x.table().equals(name));
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_NEWCHAIN -> {
                String table = a.string(NFTA_CHAIN_TABLE);
                if (!tables.containsKey(family + "|" + table)) {
                    reply.error(Errno.ENOENT.intValue(), "no table " + table);
                    return;
                }
                String k = family + "|" + table + "|" + a.string(NFTA_CHAIN_NAME);
                if (chains.containsKey(k) && (f & Nlmsg.NLM_F_EXCL) != 0) {
                    reply.error(Errno.EEXIST.intValue(), null);
                    return;
                }
                chains.put(k, new Obj(family, a));
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_DELCHAIN -> {
                String table = a.string(NFTA_CHAIN_TABLE);
                String chain = a.string(NFTA_CHAIN_NAME);
                if (chains.remove(family + "|" + table + "|" + chain) == null) {
                    reply.error(Errno.ENOENT.intValue(), null);
                    return;
                }
                rules.removeIf(x -> x.family() == family && x.table().equals(table) && x.chain().equals(chain));
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_NEWRULE -> {
                String table = a.string(NFTA_RULE_TABLE);
                String chain = a.string(NFTA_RULE_CHAIN);
                if (!chains.containsKey(family + "|" + table + "|" + chain)) {
                    reply.error(Errno.ENOENT.intValue(), "no chain " + table + " " + chain);
                    return;
                }
                rules.add(new Rule(family, table, chain, nextHandle++, a));
                reply.ack();
            }
            case NfTablesUapi.NFT_MSG_DELRULE -> {
                byte[] h = a.get(NFTA_RULE_HANDLE);
                long handle = h == null ? -1 : ByteBuffer.wrap(h).getLong();
                if (!rules.removeIf(x -> x.family() == family && x.handle() == handle)) {
                    reply.error(Errno.ENOENT.intValue(), null);
                    return;
                }
                reply.ack();
            }
            default -> reply.error(Errno.EOPNOTSUPP.intValue(), "the fake kernel does not model " + r);
        }
    }

    private static byte[] nfgen(int family, int resId) {
        return new byte[] {(byte) family, (byte) NfNetlink.NFNETLINK_V0, (byte) (resId >> 8), (byte) resId};
    }

    private static byte[] payload(int family, Attrs a) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(nfgen(family, 0));
        p.writeBytes(a.encode());
        return p.toByteArray();
    }

    static byte[] be32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] be64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        tables.forEach((k, t) -> sb.append("nft table ").append(k).append(' ').append(t.attrs().describe()).append('\n'));
        chains.forEach((k, c) -> sb.append("nft chain ").append(k).append(' ').append(c.attrs().describe()).append('\n'));
        rules.forEach(x -> sb.append("nft rule ").append(x.family()).append('|').append(x.table()).append('|')
                .append(x.chain()).append('#').append(x.handle()).append(' ').append(x.attrs().describe()).append('\n'));
        return sb.toString();
    }
}
