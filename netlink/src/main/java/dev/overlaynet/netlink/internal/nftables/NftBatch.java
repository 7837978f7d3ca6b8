package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.List;
import java.util.Objects;

/**
 * One nf_tables transaction being written: {@code NFNL_MSG_BATCH_BEGIN}, the
 * changes, {@code NFNL_MSG_BATCH_END}. The kernel applies all changes or
 * none. With a generation id the kernel refuses the whole batch (ERESTART)
 * if the ruleset changed since that generation was read, so a decision made
 * on a dump never lands on a different ruleset.
 *
 * <pre>{@code
 * NftClient nft = new NftClient(socket);
 * NftBatch b = nft.newBatch(nft.generation());
 * b.addTable(table, true).addChain(chain, true).addRule(rule);
 * nft.commit(b);   // ConcurrentRulesetChangeException if someone else committed in between
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class NftBatch {
    private final MessageWriter w;
    private final Integer genId;
    private int changes;
    private boolean ended;

    private NftBatch(MessageWriter w, Integer genId) {
        this.w = w;
        this.genId = genId;
        int m = w.begin(NfNetlink.NFNL_MSG_BATCH_BEGIN, 0);
        w.nfgenmsg(0, NfNetlink.NFNETLINK_V0, NfNetlink.NFNL_SUBSYS_NFTABLES);
        if (genId != null) {
            w.be32(NfNetlink.NFNL_BATCH_GENID, genId);
        }
        w.end(m);
    }

    /**
     * Starts a batch in {@code w} (which must be empty). {@code genId} null
     * means unguarded; otherwise the batch only commits on that generation.
     */
    public static NftBatch begin(MessageWriter w, Integer genId) {
        Objects.requireNonNull(w, "w");
        if (w.messageCount() != 0) {
            throw new IllegalArgumentException("writer already holds " + w.messageCount() + " message(s)");
        }
        return new NftBatch(w, genId);
    }

    private void open() {
        if (ended) {
            throw new IllegalStateException("batch already ended");
        }
        changes++;
    }

    /** Adds a table; {@code exclusive} makes an existing table an error instead of an update. */
    public NftBatch addTable(NftTable t, boolean exclusive) {
        open();
        NftMessages.newTable(w, t, exclusive);
        return this;
    }

    public NftBatch deleteTable(int family, String table) {
        open();
        NftMessages.delTable(w, family, table);
        return this;
    }

    /** Adds a chain; {@code exclusive} makes an existing chain an error. */
    public NftBatch addChain(NftChain c, boolean exclusive) {
        open();
        NftMessages.newChain(w, c, exclusive);
        return this;
    }

    public NftBatch deleteChain(int family, String table, String chain) {
        open();
        NftMessages.delChain(w, family, table, chain);
        return this;
    }

    /** Appends a rule to its chain. */
    public NftBatch addRule(NftRule r) {
        open();
        NftMessages.newRule(w, r);
        return this;
    }

    /** Deletes the rule with {@code handle}. */
    public NftBatch deleteRule(int family, String table, String chain, long handle) {
        open();
        NftMessages.delRule(w, family, table, chain, handle);
        return this;
    }

    /** Elements per NEWSETELEM message, so that the element list nest stays far below its 64 KiB limit. */
    static final int ELEMENTS_PER_MESSAGE = 1000;

    /** Adds a set; {@code exclusive} makes an existing set an error. */
    public NftBatch addSet(NftSet set, boolean exclusive) {
        open();
        NftMessages.newSet(w, set, exclusive);
        return this;
    }

    public NftBatch deleteSet(int family, String table, String set) {
        open();
        NftMessages.delSet(w, family, table, set);
        return this;
    }

    /** Adds elements to {@code set} (named, or added earlier in this batch with its id). */
    public NftBatch addElements(NftSet set, List<NftSetElement> elements) {
        return elements(true, set, elements);
    }

    /** Deletes elements from {@code set}. */
    public NftBatch deleteElements(NftSet set, List<NftSetElement> elements) {
        return elements(false, set, elements);
    }

    private NftBatch elements(boolean add, NftSet set, List<NftSetElement> elements) {
        Objects.requireNonNull(set, "set");
        for (int i = 0; i < elements.size(); i += ELEMENTS_PER_MESSAGE) {
            open();
            NftMessages.setElements(w, add, set, elements.subList(i, Math.min(elements.size(), i + ELEMENTS_PER_MESSAGE)));
        }
        return this;
    }

    /** Number of changes (messages between BEGIN and END). */
    public int changes() {
        return changes;
    }

    /** The generation this batch is guarded by, or null. */
    public Integer genId() {
        return genId;
    }

    /** Writes the END message (once) and returns the writer holding the whole batch. */
    public MessageWriter end() {
        if (!ended) {
            int m = w.begin(NfNetlink.NFNL_MSG_BATCH_END, 0);
            w.nfgenmsg(0, NfNetlink.NFNETLINK_V0, NfNetlink.NFNL_SUBSYS_NFTABLES);
            w.end(m);
            ended = true;
        }
        return w;
    }
}
