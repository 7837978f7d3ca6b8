package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftChain;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.nftables.NftTable;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT in one namespace through nftables, natively over NETLINK_NETFILTER.
 *
 * <p>Rules live in tables the library owns: {@code ip overlaynet} for IPv4
 * and {@code ip6 overlaynet} for IPv6 (name configurable with
 * {@link #table(String)}), marked with the table comment
 * {@value #OWNER_COMMENT}. A same-named table without that mark is never
 * modified: adding to it fails ({@link TableNotOwnedException}), and the
 * removing verbs pass it by, so a foreign table in one family never stops
 * work on the owned table of another.
 *
 * <p>Every change is one nf_tables transaction guarded by the ruleset
 * generation it was decided on: it applies whole or not at all, and a
 * concurrent change by someone else makes it re-read and decide again (up to
 * {@value #ATTEMPTS} times) instead of clobbering.
 *
 * <pre>{@code
 * Nftables nft = nl.nftables();
 * nft.apply(Nat.masquerade("10.233.0.0/16").tag("overlay-42").build());   // 1
 * nft.apply(Nat.masquerade("10.233.0.0/16").tag("overlay-42").build());   // 0: already there
 * List<OwnedRule> mine = nft.rules();
 * nft.remove("overlay-42");
 * nft.deleteTable();
 * }</pre>
 */
public final class Nftables {
    private static final Logger LOG = LoggerFactory.getLogger(Nftables.class);
    /** The default table name. */
    public static final String DEFAULT_TABLE = "overlaynet";
    /** The table comment that marks a table as the library's. */
    public static final String OWNER_COMMENT = "managed by overlaynet";
    /** Tries of a change that keeps meeting concurrent changes. */
    public static final int ATTEMPTS = 5;
    private static final int[] FAMILIES = {Netfilter.NFPROTO_IPV4, Netfilter.NFPROTO_IPV6};

    private final Netlink nl;
    private final String table;

    Nftables(Netlink nl) {
        this(nl, DEFAULT_TABLE);
    }

    private Nftables(Netlink nl, String table) {
        this.nl = nl;
        this.table = table;
    }

    /** The same service on another owned table name. */
    public Nftables table(String name) {
        Objects.requireNonNull(name, "table name");
        // NftTable validates the name (length, NUL) without any syscall.
        NftTable.of(Netfilter.NFPROTO_IPV4, name);
        return new Nftables(nl, name);
    }

    /** The owned table's name. */
    public String tableName() {
        return table;
    }

    /** The low-level client on this namespace's NETLINK_NETFILTER socket (tests reach it through RawAccess). */
    NftClient client() throws NetlinkException {
        return new NftClient(nl.netfilterSocket());
    }

    // ---- apply ------------------------------------------------------------------------

    /** Applies {@code rules}, see {@link #apply(List)}. */
    public int apply(NatRule... rules) throws NetlinkException {
        return apply(Arrays.asList(Objects.requireNonNull(rules, "rules must not be null")));
    }

    /**
     * Adds the rules not already present (same chain, expressions and tag),
     * creating the owned table and chains as needed, all in one transaction.
     * Returns how many rules were added; 0 means nothing was sent.
     *
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     */
    public int apply(List<NatRule> rules) throws NetlinkException {
        Objects.requireNonNull(rules, "rules must not be null");
        for (NatRule r : rules) {
            Objects.requireNonNull(r, "rule");
        }
        List<NatRule> wanted = new ArrayList<>(new LinkedHashSet<>(rules));
        NftClient nft = client();
        for (int attempt = 1; ; attempt++) {
            int gen = nft.generation();
            NftBatch batch = nft.newBatch(gen);
            int added = 0;
            for (int family : families(wanted)) {
                List<NatRule> mine = wanted.stream().filter(r -> r.family() == family).toList();
                NftTable existing = ownedTable(nft, family);
                List<NftChain> chains = existing == null ? List.of() : nft.chains(family, table);
                List<NftRule> present = existing == null ? List.of() : nft.rules(family, table, null);
                if (existing == null) {
                    batch.addTable(NftTable.of(family, table).withUserdata(NftUserdata.comment(OWNER_COMMENT)), true);
                }
                Set<NatRule.Chain> needed = new LinkedHashSet<>();
                mine.forEach(r -> needed.add(r.chain()));
                for (NatRule.Chain c : needed) {
                    if (chains.stream().noneMatch(x -> x.name().equals(c.chainName()))) {
                        batch.addChain(c.definition(family, table), true);
                    }
                }
                for (NatRule r : mine) {
                    boolean there = present.stream().anyMatch(p -> p.chain().equals(r.chain().chainName())
                            && Objects.equals(p.comment(), r.tag()) && p.statelessExpressions().equals(r.expressions()));
                    if (!there) {
                        batch.addRule(new NftRule(family, table, r.chain().chainName(), null, r.expressions(),
                                r.userdata()));
                        added++;
                    }
                }
            }
            if (batch.changes() == 0) {
                return 0;
            }
            try {
                nft.commit(batch);
                LOG.debug("applied {} NAT rule(s) to table {}", added, table);
                return added;
            } catch (ConcurrentRulesetChangeException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    // ---- read -------------------------------------------------------------------------

    /** The rules in the owned tables (both families), in table order; empty if there is no owned table. */
    public List<OwnedRule> rules() throws NetlinkException {
        NftClient nft = client();
        List<OwnedRule> out = new ArrayList<>();
        for (int family : FAMILIES) {
            NftTable t = find(nft, family);
            if (t == null || !owned(t)) {
                continue;
            }
            for (NftRule r : nft.rules(family, table, null)) {
                out.add(owned(r));
            }
        }
        return out;
    }

    /** Whether an owned table of this name exists (either family). */
    public boolean exists() throws NetlinkException {
        NftClient nft = client();
        for (int family : FAMILIES) {
            NftTable t = find(nft, family);
            if (t != null && owned(t)) {
                return true;
            }
        }
        return false;
    }

    private OwnedRule owned(NftRule r) {
        String tag = r.comment();
        return new OwnedRule(r.family(), r.table(), r.chain(), r.handle() == null ? -1 : r.handle(), tag,
                r.expressions(), NatRuleParser.parse(r.family(), r.chain(), r.expressions(), tag));
    }

    // ---- remove -----------------------------------------------------------------------

    /**
     * Removes exactly {@code rule}: the rule with its handle, provided it still
     * carries the same tag and expressions. Returns false when it is gone or
     * has changed (then nothing is removed).
     */
    public boolean remove(OwnedRule rule) throws NetlinkException {
        Objects.requireNonNull(rule, "rule");
        if (!table.equals(rule.table())) {
            throw new IllegalArgumentException("rule is from table " + rule.table() + ", not " + table);
        }
        return removeWhere(List.of(rule.family()), r -> r.handle() == rule.handle() && Objects.equals(r.tag(), rule.tag())
                && r.chain().equals(rule.chain())
                && stateless(r).equals(rule.expressions().stream().map(e -> e.stateless()).toList())) > 0;
    }

    /**
     * Removes every owned rule tagged {@code tag}, in both families, in one
     * transaction (all or nothing); returns how many. Same-named tables
     * without the ownership mark are passed by.
     */
    public int remove(String tag) throws NetlinkException {
        Objects.requireNonNull(tag, "tag");
        return removeWhere(Arrays.stream(FAMILIES).boxed().toList(), r -> tag.equals(r.tag()));
    }

    /** Removes the owned rules equal to {@code rule} (chain, expressions, tag); returns how many. */
    public int remove(NatRule rule) throws NetlinkException {
        Objects.requireNonNull(rule, "rule");
        return removeWhere(List.of(rule.family()), r -> r.matches(rule));
    }

    private static List<dev.overlaynet.netlink.internal.nftables.Expr> stateless(OwnedRule r) {
        return r.expressions().stream().map(e -> e.stateless()).toList();
    }

    /** One transaction over the owned tables of {@code families}; foreign ones hold none of our rules. */
    private int removeWhere(List<Integer> families, java.util.function.Predicate<OwnedRule> which)
            throws NetlinkException {
        NftClient nft = client();
        for (int attempt = 1; ; attempt++) {
            int gen = nft.generation();
            NftBatch batch = nft.newBatch(gen);
            for (int family : families) {
                NftTable t = find(nft, family);
                if (t == null || !ownedOrPassBy(t)) {
                    continue;
                }
                for (NftRule r : nft.rules(family, table, null)) {
                    OwnedRule o = owned(r);
                    if (which.test(o)) {
                        batch.deleteRule(family, table, r.chain(), o.handle());
                    }
                }
            }
            if (batch.changes() == 0) {
                return 0;
            }
            try {
                nft.commit(batch);
                return batch.changes();
            } catch (ConcurrentRulesetChangeException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    /**
     * Deletes the owned table(s) of this name with all their chains and rules,
     * in one transaction. Returns false when there was none. A same-named
     * table without the ownership mark (of either family) is left alone.
     */
    public boolean deleteTable() throws NetlinkException {
        NftClient nft = client();
        for (int attempt = 1; ; attempt++) {
            int gen = nft.generation();
            NftBatch batch = nft.newBatch(gen);
            for (int family : FAMILIES) {
                NftTable t = find(nft, family);
                if (t != null && ownedOrPassBy(t)) {
                    batch.deleteTable(family, table);
                }
            }
            if (batch.changes() == 0) {
                return false;
            }
            try {
                nft.commit(batch);
                return true;
            } catch (ConcurrentRulesetChangeException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------

    private void retryOrThrow(ConcurrentRulesetChangeException e, int attempt) throws ConcurrentRulesetChangeException {
        if (attempt >= ATTEMPTS) {
            throw e;
        }
        LOG.debug("ruleset changed concurrently (attempt {}/{}); re-reading", attempt, ATTEMPTS);
    }

    private static Set<Integer> families(List<NatRule> rules) {
        Map<Integer, Boolean> m = new TreeMap<>();
        rules.forEach(r -> m.put(r.family(), true));
        return m.keySet();
    }

    private NftTable find(NftClient nft, int family) throws NetlinkException {
        for (NftTable t : nft.tables(family)) {
            if (t.family() == family && t.name().equals(table)) {
                return t;
            }
        }
        return null;
    }

    /** The owned table, null if absent; throws if a foreign one has the name. */
    private NftTable ownedTable(NftClient nft, int family) throws NetlinkException {
        NftTable t = find(nft, family);
        if (t != null) {
            requireOwned(t);
        }
        return t;
    }

    /** True for an owned table; a foreign one is logged and passed by. */
    private static boolean ownedOrPassBy(NftTable t) {
        if (owned(t)) {
            return true;
        }
        LOG.debug("passing by table {} {}: not owned by overlaynet (comment {})",
                NftDescriber.familyName(t.family()), t.name(), t.comment());
        return false;
    }

    private static boolean owned(NftTable t) {
        return OWNER_COMMENT.equals(t.comment());
    }

    private static void requireOwned(NftTable t) {
        if (!owned(t)) {
            throw new TableNotOwnedException(NftDescriber.familyName(t.family()), t.name(), t.comment());
        }
    }
}
