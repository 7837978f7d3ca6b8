package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftChain;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import dev.overlaynet.netlink.internal.nftables.NftTable;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * work on the owned table of another. {@link #inet()} is the same service on
 * one {@code inet overlaynet} table for both protocols.
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
    private final boolean inet;

    Nftables(Netlink nl) {
        this(nl, DEFAULT_TABLE, false);
    }

    private Nftables(Netlink nl, String table, boolean inet) {
        this.nl = nl;
        this.table = table;
        this.inet = inet;
    }

    /**
     * {@return the same service on another owned table name}
     *
     * @param name the table's name
     */
    public Nftables table(String name) {
        Objects.requireNonNull(name, "table name");
        // NftTable validates the name (length, NUL) without any syscall.
        NftTable.of(Netfilter.NFPROTO_IPV4, name);
        return new Nftables(nl, name, inet);
    }

    /**
     * The same service on ONE owned table of the {@code inet} family
     * ({@code inet overlaynet}) that holds the IPv4 and the IPv6 rules
     * alike, instead of an {@code ip} and an {@code ip6} table. Rules there
     * check the protocol first, as nft writes them ({@code meta nfproto
     * ipv4}). Reads, removals and {@link #deleteTable()} of this service see
     * only the inet table, and those of the default service only the ip/ip6 ones.
     *
     * <pre>{@code
     * Nftables nft = nl.nftables().inet();
     * nft.apply(Nat.masquerade("10.233.0.0/16").build(), Nat.masquerade("fd00:10::/64").build());
     * // table inet overlaynet { chain postrouting { ... meta nfproto ipv4 ip saddr 10.233.0.0/16 ... } }
     * }</pre>
     *
     * @return the same service on the {@code inet} table of the same name
     */
    public Nftables inet() {
        return new Nftables(nl, table, true);
    }

    /** {@return whether this service works on an {@code inet} table (see {@link #inet()})} */
    public boolean isInet() {
        return inet;
    }

    /** The table families this service owns tables in. */
    int[] tableFamilies() {
        return inet ? new int[] {Netfilter.NFPROTO_INET} : FAMILIES;
    }

    /** The family of the table that holds {@code r}. */
    private int tableFamily(NatRule r) {
        return inet ? Netfilter.NFPROTO_INET : r.family();
    }

    /** {@return the owned table's name} */
    public String tableName() {
        return table;
    }

    /**
     * {@return the low-level client on this namespace's NETLINK_NETFILTER socket (tests reach it through RawAccess)}
     *
     * @throws NetlinkException if the NETLINK_NETFILTER socket cannot be opened
     */
    NftClient client() throws NetlinkException {
        return new NftClient(nl.netfilterSocket());
    }

    // ---- apply ------------------------------------------------------------------------

    /**
     * Applies {@code rules}, see {@link #apply(List)}.
     *
     * @param rules the rules
     * @return how many rules were added
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public int apply(NatRule... rules) throws NetlinkException {
        return apply(Arrays.asList(Objects.requireNonNull(rules, "rules must not be null")));
    }

    /**
     * Adds the rules not already present (same chain, expressions and tag),
     * creating the owned table and chains as needed, all in one transaction.
     * Returns how many rules were added; 0 means nothing was sent.
     *
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @param rules the rules
     * @return how many rules were added
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
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
            int[] setIds = {0};
            NamedSets.Staging staging = sets().new Staging(nft, batch);
            for (int family : families(wanted)) {
                List<NatRule> mine = wanted.stream().filter(r -> tableFamily(r) == family).toList();
                NftTable existing = ownedTable(nft, family);
                checkSetLookups(staging, family, mine);
                List<NftChain> chains = existing == null ? List.of() : nft.chains(family, table);
                List<OwnedRule> present = existing == null ? List.of() : ownedRules(nft, family);
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
                    if (present.stream().noneMatch(p -> p.matches(r))) {
                        addRule(batch, family, r, ++setIds[0]);
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

    /** The rule, after its anonymous set and the set's elements when it has one: all in {@code batch}. */
    void addRule(NftBatch batch, int tableFamily, NatRule r, int setId) {
        NftSet set = r.anonymousSet(tableFamily, table, setId);
        if (set != null) {
            batch.addSet(set, false); // as nft: an anonymous set cannot clash
            batch.addElements(set, r.setElements());
        }
        batch.addRule(new NftRule(tableFamily, table, r.chain().chainName(), null,
                r.expressionsForBatch(tableFamily, setId), r.userdata()));
    }

    /**
     * Makes the owned rules tagged {@code tag} exactly {@code rules} (each of
     * which must carry that tag), in ONE transaction: rules not wanted any
     * more are deleted (with their anonymous sets), missing ones added, equal
     * ones left as they are. Changing a set-based exclusion this way swaps
     * rule and set atomically: no packet sees neither or both. Returns how
     * many rules were added plus deleted; 0 means nothing was sent.
     *
     * <pre>{@code
     * nft.replace("overlay-42", List.of(Nat.masquerade("10.233.0.0/16")
     *     .excludeDestinationSet(newCidrs).tag("overlay-42").build()));
     * }</pre>
     *
     * @param tag the tag whose rules are replaced
     * @param rules the wanted rules, each tagged {@code tag}
     * @return how many rules were added plus deleted
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public int replace(String tag, List<NatRule> rules) throws NetlinkException {
        return replace(tag, rules, List.of());
    }

    /**
     * As {@link #replace(String, List)}, and in the SAME transaction makes
     * each of {@code sets} hold exactly its elements (as
     * {@link NamedSets#ensure(NamedSet)}, creating it when absent): a rule
     * that looks a named set up ({@link NatRule.Builder#excludeDestinationsIn(String)})
     * and the set's contents change together, or, when the kernel refuses any
     * part, nothing changes at all. The set changes come first in the
     * transaction, so a new rule may use a set created with it.
     *
     * <pre>{@code
     * NamedSet excluded = NamedSet.ipv4("excluded").elements(cidrs).build();
     * nft.replace("overlay-42",
     *     List.of(Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("overlay-42").build()),
     *     List.of(excluded));
     * }</pre>
     *
     * @param tag the tag whose rules are replaced
     * @param rules the wanted rules, each tagged {@code tag}
     * @param sets named sets to make hold exactly their elements; sets not listed are left alone
     * @return how many rules were added plus deleted, plus the set changes (as {@link NamedSets#ensure(NamedSet)} counts them)
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @throws SetNotOwnedException if one of {@code sets} exists without the ownership mark
     * @throws IllegalArgumentException if a rule looks up a set of the wrong type, or a set is listed twice
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public int replace(String tag, List<NatRule> rules, List<NamedSet> sets) throws NetlinkException {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(rules, "rules must not be null");
        Objects.requireNonNull(sets, "sets must not be null");
        for (NatRule r : rules) {
            Objects.requireNonNull(r, "rule");
            if (!tag.equals(r.tag())) {
                throw new IllegalArgumentException("rule " + r + " is not tagged \"" + tag + "\"");
            }
        }
        NamedSets named = sets();
        Set<String> seen = new java.util.HashSet<>();
        for (NamedSet s : sets) {
            Objects.requireNonNull(s, "set");
            if (!seen.add(named.tableFamily(s.type()) + "/" + s.name())) {
                throw new IllegalArgumentException("sets: " + s.name() + " is listed twice");
            }
        }
        List<NatRule> wanted = new ArrayList<>(new LinkedHashSet<>(rules));
        NftClient nft = client();
        for (int attempt = 1; ; attempt++) {
            int gen = nft.generation();
            NftBatch batch = nft.newBatch(gen);
            NamedSets.Staging staging = named.new Staging(nft, batch);
            int changes = 0;
            for (NamedSet s : sets) {
                changes += staging.stage(s, NamedSets.Mode.EXACT);
            }
            int setId = 0;
            Set<Integer> families = new java.util.TreeSet<>(families(wanted));
            for (int family : tableFamilies()) {
                NftTable t = find(nft, family);
                if (t != null && owned(t)) {
                    families.add(family);
                }
            }
            for (int family : families) {
                List<NatRule> mine = wanted.stream().filter(r -> tableFamily(r) == family).toList();
                NftTable existing = mine.isEmpty() ? find(nft, family) : ownedTable(nft, family);
                if (existing != null && !owned(existing)) {
                    continue; // nothing to add here, and a foreign table holds nothing of ours
                }
                checkSetLookups(staging, family, mine);
                List<OwnedRule> present = existing == null ? List.of() : ownedRules(nft, family);
                for (OwnedRule o : present) {
                    if (tag.equals(o.tag()) && mine.stream().noneMatch(o::matches)) {
                        batch.deleteRule(family, table, o.chain(), o.handle());
                        changes++;
                    }
                }
                if (mine.isEmpty()) {
                    continue;
                }
                List<NftChain> chains = existing == null ? List.of() : nft.chains(family, table);
                if (existing == null && !staging.tableAdded(family)) {
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
                    if (present.stream().noneMatch(p -> p.matches(r))) {
                        addRule(batch, family, r, ++setId);
                        changes++;
                    }
                }
            }
            if (batch.changes() == 0) {
                return 0;
            }
            try {
                nft.commit(batch);
                LOG.debug("replaced rules tagged {} in table {}: {} change(s)", tag, table, changes);
                return changes;
            } catch (ConcurrentRulesetChangeException e) {
                retryOrThrow(e, attempt);
            }
        }
    }

    /**
     * A rule that looks a named set up needs an address set of its own
     * protocol; the kernel would take another (it compares register bytes)
     * and the rule would silently never match. A set that does not exist is
     * left to the kernel, which refuses the rule (ENOENT).
     */
    private void checkSetLookups(NamedSets.Staging staging, int family, List<NatRule> rules) throws NetlinkException {
        for (NatRule r : rules) {
            String name = r.excludedDestinationSetName();
            if (name == null) {
                continue;
            }
            SetType want = r.family() == Netfilter.NFPROTO_IPV4 ? SetType.IPV4_ADDR : SetType.IPV6_ADDR;
            SetType found = staging.typeOf(family, name);
            if (found != null && found != want) {
                throw new IllegalArgumentException("rule " + r + ": excluded destination set " + name + " is of type "
                        + found.nftName() + ", not " + want.nftName());
            }
        }
    }

    /**
     * {@return the named sets of this service's table(s): create, fill, read and delete them}
     *
     * <pre>{@code
     * nl.nftables().sets().ensure(NamedSet.ipv4("excluded").elements("10.0.0.0/8").build());
     * }</pre>
     */
    public NamedSets sets() {
        return new NamedSets(this);
    }

    // ---- read -------------------------------------------------------------------------

    /**
     * {@return the rules in the owned tables (both families), in table order; empty if there is no owned table}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<OwnedRule> rules() throws NetlinkException {
        NftClient nft = client();
        List<OwnedRule> out = new ArrayList<>();
        for (int family : tableFamilies()) {
            NftTable t = find(nft, family);
            if (t == null || !owned(t)) {
                continue;
            }
            out.addAll(ownedRules(nft, family));
        }
        return out;
    }

    /** The rules of the (owned) table of {@code family}, typed where they are a typed shape. */
    private List<OwnedRule> ownedRules(NftClient nft, int family) throws NetlinkException {
        List<NftRule> rules = nft.rules(family, table, null);
        Map<String, List<IpPrefix>> anonymous = anonymousSets(nft, family, rules);
        List<OwnedRule> out = new ArrayList<>();
        for (NftRule r : rules) {
            out.add(owned(r, anonymous));
        }
        return out;
    }

    /**
     * The prefixes of the anonymous address interval sets the rules look up,
     * by set name; one dump of the table's sets and one of each such set's
     * elements, only when a rule looks a set up.
     */
    private Map<String, List<IpPrefix>> anonymousSets(NftClient nft, int family, List<NftRule> rules)
            throws NetlinkException {
        Set<String> looked = new LinkedHashSet<>();
        for (NftRule r : rules) {
            for (var e : r.expressions()) {
                if (e instanceof dev.overlaynet.netlink.internal.nftables.LookupExpr l) {
                    looked.add(l.set());
                }
            }
        }
        Map<String, List<IpPrefix>> out = new HashMap<>();
        if (looked.isEmpty()) {
            return out;
        }
        for (NftSet s : nft.sets(family, table)) {
            boolean address = (s.keyType() == NftSet.TYPE_IPV4_ADDR && s.keyLen() == 4)
                    || (s.keyType() == NftSet.TYPE_IPV6_ADDR && s.keyLen() == 16);
            if (looked.contains(s.name()) && s.isAnonymous() && s.isInterval() && address) {
                List<NftSetElement> elements = nft.elements(family, table, s.name());
                try {
                    out.put(s.name(), PrefixSets.fromElements(elements, s.keyLen()));
                } catch (IllegalArgumentException e) {
                    LOG.debug("set {} does not hold address intervals: {}", s.name(), e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * {@return whether an owned table of this name exists (either family)}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public boolean exists() throws NetlinkException {
        NftClient nft = client();
        for (int family : tableFamilies()) {
            NftTable t = find(nft, family);
            if (t != null && owned(t)) {
                return true;
            }
        }
        return false;
    }

    private static OwnedRule owned(NftRule r, Map<String, List<IpPrefix>> anonymousSets) {
        String tag = r.comment();
        return new OwnedRule(r.family(), r.table(), r.chain(), r.handle() == null ? -1 : r.handle(), tag,
                r.expressions(), NatRuleParser.parse(r.family(), r.chain(), r.expressions(), tag, anonymousSets::get));
    }

    // ---- remove -----------------------------------------------------------------------

    /**
     * Removes exactly {@code rule}: the rule with its handle, provided it still
     * carries the same tag and expressions. Returns false when it is gone or
     * has changed (then nothing is removed).
     *
     * @param rule a rule as {@link #rules()} returned it
     * @return true if it was removed
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
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
     *
     * @param tag the tag
     * @return how many rules were removed
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public int remove(String tag) throws NetlinkException {
        Objects.requireNonNull(tag, "tag");
        return removeWhere(Arrays.stream(tableFamilies()).boxed().toList(), r -> tag.equals(r.tag()));
    }

    /**
     * Removes the owned rules equal to {@code rule} (chain, expressions, tag); returns how many.
     *
     * @param rule the rule
     * @return how many rules were removed
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public int remove(NatRule rule) throws NetlinkException {
        Objects.requireNonNull(rule, "rule");
        return removeWhere(List.of(tableFamily(rule)), r -> r.matches(rule));
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
                for (OwnedRule o : ownedRules(nft, family)) {
                    if (which.test(o)) {
                        batch.deleteRule(family, table, o.chain(), o.handle());
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
     * Deletes what the library owns in its table(s) of this name, and never
     * anything else, in one transaction.
     *
     * <p>An owned table that holds only the library's objects is deleted
     * whole with them. The library's objects are its NAT base chains
     * ({@link NatRule.Chain}: the name with type {@code nat} and the hook and
     * priority it creates them with), the rules in those chains that are one
     * of the typed {@link NatRule} shapes (the ones {@link #rules()} returns
     * with {@link OwnedRule#natRule()} present), with their anonymous sets,
     * and the named sets carrying the ownership comment {@value #OWNER_COMMENT}.
     * When a table also holds anything else (another chain, a rule of another
     * shape in one of the library's chains, a set or map without the
     * comment, a stateful object, a flowtable), only the library's rules and
     * sets are deleted, and its chains that hold no other rule; the table
     * stays with the foreign objects, which the result names
     * ({@link TableDeletion#foreign()}). A named set of the library that a
     * foreign rule still refers to stays too (the kernel would refuse to
     * delete it). A typed NAT rule someone else wrote into the library's
     * chain cannot be told from the library's own and goes with them, as it
     * does for {@link #remove(String)}.
     *
     * <p>A same-named table without the ownership mark (of either family) is
     * left alone. The decision is taken on one ruleset generation: an object
     * added concurrently makes the transaction fail and be decided again (up
     * to {@value #ATTEMPTS} times), so it is never deleted.
     *
     * <pre>{@code
     * TableDeletion d = nl.nftables().deleteTable();
     * d.tablesDeleted();   // 1: the table is gone
     * d.foreign();         // [] or, say, [chain ip overlaynet audit]: the table stays for it
     * }</pre>
     *
     * @return what was deleted and which foreign objects were left; nothing deleted when there was no owned table
     * @throws ConcurrentRulesetChangeException if the ruleset kept changing concurrently for {@value #ATTEMPTS} tries
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public TableDeletion deleteTable() throws NetlinkException {
        NftClient nft = client();
        for (int attempt = 1; ; attempt++) {
            int gen = nft.generation();
            NftBatch batch = nft.newBatch(gen);
            int[] counts = new int[4];
            List<TableDeletion.ForeignObject> foreign = new ArrayList<>();
            for (int family : tableFamilies()) {
                NftTable t = find(nft, family);
                if (t != null && ownedOrPassBy(t)) {
                    stageDeletion(nft, batch, t, counts, foreign);
                }
            }
            TableDeletion done = new TableDeletion(counts[0], counts[1], counts[2], counts[3], foreign);
            try {
                nft.commit(batch);
            } catch (ConcurrentRulesetChangeException e) {
                retryOrThrow(e, attempt);
                continue;
            }
            if (!foreign.isEmpty() && done.changed()) {
                LOG.info("deleted only overlaynet's own objects from table {}: it holds others, left in place: {}",
                        table, foreign);
            } else if (!foreign.isEmpty()) {
                LOG.debug("table {} holds only objects overlaynet does not own: {}", table, foreign);
            }
            return done;
        }
    }

    /**
     * Writes into {@code batch} the deletion of the library's objects in the
     * owned table {@code t}: the table itself when nothing else is in it.
     * {@code counts} gets tables, rules, chains and sets deleted added to it;
     * {@code foreign} the objects left.
     */
    private void stageDeletion(NftClient nft, NftBatch batch, NftTable t, int[] counts,
                               List<TableDeletion.ForeignObject> foreign) throws NetlinkException {
        int family = t.family();
        String fam = NftDescriber.familyName(family);
        int foreignBefore = foreign.size();
        List<NftChain> chains = nft.chains(family, table);
        List<NftSet> sets = nft.sets(family, table);
        List<dev.overlaynet.netlink.internal.nftables.NftTableObject> others = new ArrayList<>(nft.objects(family, table));
        others.addAll(nft.flowtables(family, table));
        List<NftRule> rules = nft.rules(family, table, null);
        Map<String, List<IpPrefix>> anonymous = anonymousSets(nft, family, rules);

        Set<String> ownChains = new LinkedHashSet<>();
        for (NftChain c : chains) {
            if (libraryChain(c)) {
                ownChains.add(c.name());
            } else {
                foreign.add(new TableDeletion.ForeignObject("chain", fam, table, null, c.name(),
                        c.handle() == null ? -1 : c.handle()));
            }
        }
        List<OwnedRule> ownRules = new ArrayList<>();
        Set<String> chainsKept = new java.util.HashSet<>();
        Set<String> setsInUse = new java.util.HashSet<>();
        for (NftRule r : rules) {
            OwnedRule o = owned(r, anonymous);
            if (ownChains.contains(r.chain()) && o.natRule().isPresent()) {
                ownRules.add(o);
                continue;
            }
            setsInUse.addAll(r.setsUsed());
            if (ownChains.contains(r.chain())) {
                chainsKept.add(r.chain());
                foreign.add(new TableDeletion.ForeignObject("rule", fam, table, r.chain(), null,
                        r.handle() == null ? -1 : r.handle()));
            } // a rule in a foreign chain stays with its chain, which is named already
        }
        List<NftSet> ownSets = new ArrayList<>();
        for (NftSet s : sets) {
            if (s.isAnonymous()) {
                continue; // belongs to the rule that looks it up, and goes or stays with it
            }
            if (OWNER_COMMENT.equals(s.comment())) {
                ownSets.add(s);
            } else {
                int map = dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFT_SET_MAP
                        | dev.overlaynet.netlink.internal.uapi.NfTablesUapi.NFT_SET_OBJECT;
                foreign.add(new TableDeletion.ForeignObject((s.flags() & map) != 0 ? "map" : "set", fam, table,
                        null, s.name(), -1));
            }
        }
        for (var o : others) {
            foreign.add(new TableDeletion.ForeignObject(o.kind(), fam, table, null, o.name(), -1));
        }
        // The kernel counts every chain, set, object and flowtable of the table in its use; anything
        // counted but not read above is of a kind this library does not know, and not ours.
        int unread = t.use() == null ? 0 : t.use() - chains.size() - sets.size() - others.size();
        if (unread > 0) {
            foreign.add(new TableDeletion.ForeignObject("object", fam, table, null, unread + " of an unknown kind", -1));
        }
        if (foreign.size() == foreignBefore) {
            batch.deleteTable(family, table);
            counts[0]++;
            counts[1] += ownRules.size();
            counts[2] += ownChains.size();
            counts[3] += ownSets.size();
            return;
        }
        for (OwnedRule o : ownRules) {
            batch.deleteRule(family, table, o.chain(), o.handle());
            counts[1]++;
        }
        for (NftSet s : ownSets) {
            if (setsInUse.contains(s.name())) {
                LOG.info("keeping set {} {} {}: a rule overlaynet does not own uses it", fam, table, s.name());
                continue;
            }
            batch.deleteSet(family, table, s.name());
            counts[3]++;
        }
        for (String c : ownChains) {
            if (!chainsKept.contains(c)) {
                batch.deleteChain(family, table, c);
                counts[2]++;
            }
        }
    }

    /** Whether {@code c} is one of the NAT base chains the library creates, as it creates them. */
    private static boolean libraryChain(NftChain c) {
        NatRule.Chain k = NatRule.Chain.byName(c.name());
        return k != null && c.isBase() && "nat".equals(c.type()) && c.hook() == k.hook()
                && c.priority() == k.priority();
    }

    // ---- helpers ----------------------------------------------------------------------

    void retryOrThrow(ConcurrentRulesetChangeException e, int attempt) throws ConcurrentRulesetChangeException {
        if (attempt >= ATTEMPTS) {
            throw e;
        }
        LOG.debug("ruleset changed concurrently (attempt {}/{}); re-reading", attempt, ATTEMPTS);
    }

    /** The table families that hold {@code rules}. */
    private Set<Integer> families(List<NatRule> rules) {
        Map<Integer, Boolean> m = new TreeMap<>();
        rules.forEach(r -> m.put(tableFamily(r), true));
        return m.keySet();
    }

    NftTable find(NftClient nft, int family) throws NetlinkException {
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

    static boolean owned(NftTable t) {
        return OWNER_COMMENT.equals(t.comment());
    }

    static void requireOwned(NftTable t) {
        if (!owned(t)) {
            throw new TableNotOwnedException(NftDescriber.familyName(t.family()), t.name(), t.comment());
        }
    }
}
