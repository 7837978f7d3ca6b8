package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.uapi.Netfilter;

import dev.overlaynet.netlink.internal.BatchResult;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nf_tables over a NETLINK_NETFILTER socket: read the generation, dump
 * tables/chains/rules as typed values, and commit {@link NftBatch}
 * transactions. The low-level layer under {@code Nftables}/{@code Nat}; use
 * it directly for rules the typed NAT API does not cover.
 *
 * <pre>{@code
 * try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_NETFILTER)) {
 *     NftClient nft = new NftClient(s);
 *     int gen = nft.generation();
 *     List<NftRule> rules = nft.rules(Netfilter.NFPROTO_IPV4, "overlaynet", null);
 *     NftBatch b = nft.newBatch(gen);
 *     b.deleteRule(Netfilter.NFPROTO_IPV4, "overlaynet", "postrouting", rules.get(0).handle());
 *     nft.commit(b);
 * }
 * }</pre>
 *
 * <p>Thread-safe as far as the socket is; each call uses its own buffer.
 */
public final class NftClient {
    private static final Logger LOG = LoggerFactory.getLogger(NftClient.class);
    private static final int DUMP_ATTEMPTS = 5;
    private final NetlinkSocket socket;

    public NftClient(NetlinkSocket socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
    }

    public NetlinkSocket socket() {
        return socket;
    }

    /** The current ruleset generation ({@code NFTA_GEN_ID} of NFT_MSG_GETGEN). */
    public int generation() throws NetlinkException {
        MessageWriter w = new MessageWriter(64);
        NftMessages.getGen(w);
        Integer[] gen = {null};
        socket.request(w, m -> {
            Integer g = NftMessages.decodeGenId(m);
            if (g != null) {
                gen[0] = g;
            }
        });
        if (gen[0] == null) {
            throw new NetlinkException("NFT_MSG_GETGEN", "kernel sent no NEWGEN reply");
        }
        return gen[0];
    }

    /** All tables of {@code family} (0: every family). */
    public List<NftTable> tables(int family) throws NetlinkException {
        MessageWriter w = new MessageWriter(64);
        NftMessages.getTables(w, family);
        return socket.dumpList(w, NftMessages::decodeTable, DUMP_ATTEMPTS);
    }

    /** Chains of {@code table} (null: of every table) in {@code family}. */
    public List<NftChain> chains(int family, String table) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getChains(w, family, table);
        // The kernel's chain dump ignores NFTA_CHAIN_TABLE (no dump filter): filter here.
        List<NftChain> all = socket.dumpList(w, NftMessages::decodeChain, DUMP_ATTEMPTS);
        return table == null ? all : all.stream().filter(c -> c.table().equals(table)).toList();
    }

    /** Rules of {@code table}/{@code chain} (each may be null for all) in {@code family}. */
    public List<NftRule> rules(int family, String table, String chain) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getRules(w, family, table, chain);
        List<NftRule> all = socket.dumpList(w, NftMessages::decodeRule, DUMP_ATTEMPTS);
        // The kernel filters rule dumps by table and chain; check anyway, it costs nothing.
        return all.stream().filter(r -> (table == null || r.table().equals(table))
                && (chain == null || r.chain().equals(chain))).toList();
    }

    /** Sets of {@code table} (null: of every table) in {@code family}, anonymous ones included. */
    public List<NftSet> sets(int family, String table) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getSets(w, family, table);
        List<NftSet> all = socket.dumpList(w, NftMessages::decodeSet, DUMP_ATTEMPTS);
        return table == null ? all : all.stream().filter(x -> x.table().equals(table)).toList();
    }

    /** Stateful objects (counter, quota, ...) of {@code table} in {@code family}. */
    public List<NftTableObject> objects(int family, String table) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getObjects(w, family, table);
        List<NftTableObject> all = socket.dumpList(w, NftMessages::decodeObject, DUMP_ATTEMPTS);
        return all.stream().filter(o -> o.table().equals(table)).toList();
    }

    /** Flowtables of {@code table} in {@code family}. */
    public List<NftTableObject> flowtables(int family, String table) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getFlowtables(w, family, table);
        List<NftTableObject> all = socket.dumpList(w, NftMessages::decodeFlowtable, DUMP_ATTEMPTS);
        return all.stream().filter(o -> o.table().equals(table)).toList();
    }

    /** The elements of {@code set} in {@code table}, in the kernel's order. */
    public List<NftSetElement> elements(int family, String table, String set) throws NetlinkException {
        MessageWriter w = new MessageWriter(128);
        NftMessages.getSetElements(w, family, table, set);
        List<List<NftSetElement>> parts = socket.dumpList(w, NftMessages::decodeSetElements, DUMP_ATTEMPTS);
        List<NftSetElement> out = new java.util.ArrayList<>();
        parts.forEach(out::addAll);
        return List.copyOf(out);
    }

    /** A new batch, guarded by {@code genId} unless it is null. */
    public NftBatch newBatch(Integer genId) {
        return NftBatch.begin(new MessageWriter(1024), genId);
    }

    /**
     * Commits {@code batch} as one transaction. On failure nothing was
     * applied and the first failing change is thrown with the kernel's errno
     * and extended-ack text; ERESTART on a guarded batch becomes
     * {@link ConcurrentRulesetChangeException}.
     */
    public void commit(NftBatch batch) throws NetlinkException {
        MessageWriter w = batch.end();
        if (batch.changes() == 0) {
            return;
        }
        BatchResult r = socket.transaction(w);
        if (r.allSucceeded()) {
            LOG.debug("committed nf_tables batch of {} change(s)", batch.changes());
            return;
        }
        NetlinkException first = r.failures().get(0);
        if (batch.genId() != null && first.errno() == ConcurrentRulesetChangeException.ERESTART) {
            throw new ConcurrentRulesetChangeException(first, batch.genId());
        }
        r.throwIfFailed();
    }
}
