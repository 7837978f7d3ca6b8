package dev.overlaynet;

import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftIntervals.KeyRange;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import dev.overlaynet.netlink.internal.nftables.NftTable;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named sets in the library's nftables table(s), natively over
 * NETLINK_NETFILTER: what {@code nft add set}, {@code nft add element},
 * {@code nft delete element}, {@code nft list set} and {@code nft delete set}
 * do. Get it from {@link Nftables#sets()}.
 *
 * <p>Sets live in the tables the library owns: in the default service an
 * {@code ipv4_addr} or {@code inet_service} set goes in {@code ip overlaynet}
 * and an {@code ipv6_addr} set in {@code ip6 overlaynet}; in the
 * {@link Nftables#inet()} service every set goes in {@code inet overlaynet}.
 * The library marks the sets it makes with the set comment
 * {@value Nftables#OWNER_COMMENT} and never changes or deletes any other set
 * ({@link SetNotOwnedException}); a same-named table it does not own is
 * refused as for rules ({@link TableNotOwnedException}).
 *
 * <p>Every change is one nf_tables transaction guarded by the ruleset
 * generation it was decided on: the set and all its element changes apply
 * whole or not at all. To change a set and the rules using it together, use
 * {@link Nftables#replace(String, List, List)}.
 *
 * <pre>{@code
 * NamedSets sets = nl.nftables().sets();
 * sets.ensure(NamedSet.ipv4("excluded").elements("10.0.0.0/8", "192.168.0.0/16").build());
 * sets.add(NamedSet.ipv4("excluded").elements("172.16.0.0/12").build());
 * sets.remove(NamedSet.ipv4("excluded").elements("192.168.0.0/16").build());
 * Optional<NamedSet> now = sets.get("excluded");   // 10.0.0.0/8, 172.16.0.0/12
 * sets.delete("excluded");
 * }</pre>
 */
public final class NamedSets {
    private static final Logger LOG = LoggerFactory.getLogger(NamedSets.class);

    /** How a change treats the elements already in the set. */
    enum Mode {
        /** The set holds exactly the given elements afterwards. */
        EXACT,
        /** The given elements are added to those there. */
        ADD,
        /** The given elements are taken out of those there. */
        REMOVE
    }

    private final Nftables nft;

    NamedSets(Nftables nft) {
        this.nft = nft;
    }

    /**
     * Makes the set exist with exactly {@code set}'s elements, creating the
     * owned table and the set as needed; elements already there stay, the
     * others are added or deleted, all in one transaction. Returns how many
     * element units (an address, port, or one range with its boundaries) were
     * added plus deleted, plus one if the set was created; 0 means nothing was sent.
     *
     * @param set the wanted set
     * @return the number of changes
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @throws SetNotOwnedException if a set of that name exists without the ownership mark
     * @throws IllegalStateException if the set exists with another type or without/with {@code interval}
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public int ensure(NamedSet set) throws NetlinkException {
        return change(set, Mode.EXACT);
    }

    /**
     * Adds {@code set}'s elements to the set, creating the owned table and the
     * set as needed (like {@code nft add set} and {@code nft add element}
     * together); with {@code interval} the added prefixes merge with those
     * there, as nft's {@code auto-merge} does. One transaction.
     *
     * @param set the set's name, type and the elements to add
     * @return the number of element units added plus deleted (merging replaces ranges), plus one if the set was created
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @throws SetNotOwnedException if a set of that name exists without the ownership mark
     * @throws IllegalStateException if the set exists with another type or without/with {@code interval}
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public int add(NamedSet set) throws NetlinkException {
        return change(set, Mode.ADD);
    }

    /**
     * Takes {@code set}'s elements out of the set (like
     * {@code nft delete element}); with {@code interval} a removed prefix may
     * split a range that holds it. Elements not in the set are passed by; a
     * missing set or table changes nothing. One transaction.
     *
     * @param set the set's name, type and the elements to remove
     * @return the number of element units added plus deleted; 0 means nothing was sent
     * @throws TableNotOwnedException if a same-named table exists without the ownership mark
     * @throws SetNotOwnedException if a set of that name exists without the ownership mark
     * @throws IllegalStateException if the set exists with another type or without/with {@code interval}
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public int remove(NamedSet set) throws NetlinkException {
        return change(set, Mode.REMOVE);
    }

    private int change(NamedSet set, Mode mode) throws NetlinkException {
        Objects.requireNonNull(set, "set");
        NftClient c = nft.client();
        for (int attempt = 1; ; attempt++) {
            NftBatch batch = c.newBatch(c.generation());
            Staging st = new Staging(c, batch);
            int changes = st.stage(set, mode);
            if (batch.changes() == 0) {
                return 0;
            }
            try {
                c.commit(batch);
                LOG.debug("{} set {} in table {}: {} change(s)", mode, set.name(), nft.tableName(), changes);
                return changes;
            } catch (ConcurrentRulesetChangeException e) {
                nft.retryOrThrow(e, attempt);
            }
        }
    }

    /**
     * The named sets in the owned table(s) of this service with a type of
     * {@link SetType}, each with its elements, owned or not (sets written with
     * {@code nft add set} included). Anonymous sets, maps and sets of other
     * key types are left out.
     *
     * @return the sets, table by table in the kernel's order
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<NamedSet> list() throws NetlinkException {
        return read(null);
    }

    /** The typed sets of the owned tables; only those called {@code onlyName} unless it is null. */
    private List<NamedSet> read(String onlyName) throws NetlinkException {
        NftClient c = nft.client();
        List<NamedSet> out = new ArrayList<>();
        for (int family : nft.tableFamilies()) {
            NftTable t = nft.find(c, family);
            if (t == null || !Nftables.owned(t)) {
                continue;
            }
            for (NftSet s : c.sets(family, nft.tableName())) {
                if (onlyName != null && !onlyName.equals(s.name())) {
                    continue; // only the elements of the set asked for are dumped
                }
                NamedSet n = read(c, s);
                if (n != null) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * The set called {@code name} with its elements, as {@link #list()} would
     * give it; in the default service the {@code ip} table is looked at before
     * the {@code ip6} one.
     *
     * @param name the set's name
     * @return the set, or empty if there is none of a supported type
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public Optional<NamedSet> get(String name) throws NetlinkException {
        NamedSet.checkName("name", name);
        List<NamedSet> found = read(name);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Deletes the owned set(s) called {@code name} in this service's owned
     * table(s), in one transaction. A table the library does not own is passed
     * by. The kernel refuses to delete a set a rule still uses ({@code EBUSY}).
     *
     * @param name the set's name
     * @return true if a set was deleted, false if there was none
     * @throws SetNotOwnedException if a set of that name exists without the ownership mark (then nothing is deleted)
     * @throws NetlinkException if the kernel refuses the transaction (errno and ext-ack text in the message)
     */
    public boolean delete(String name) throws NetlinkException {
        NamedSet.checkName("name", name);
        NftClient c = nft.client();
        for (int attempt = 1; ; attempt++) {
            NftBatch batch = c.newBatch(c.generation());
            for (int family : nft.tableFamilies()) {
                NftTable t = nft.find(c, family);
                if (t == null || !Nftables.owned(t)) {
                    continue;
                }
                NftSet s = findSet(c, family, name);
                if (s != null) {
                    requireOwned(s);
                    batch.deleteSet(family, nft.tableName(), name);
                }
            }
            if (batch.changes() == 0) {
                return false;
            }
            try {
                c.commit(batch);
                return true;
            } catch (ConcurrentRulesetChangeException e) {
                nft.retryOrThrow(e, attempt);
            }
        }
    }

    // ---- staging changes into a batch (also used by Nftables.replace) ---------------------

    /**
     * The set as sent, with in-batch id {@code id}: as nft writes {@code set
     * name { type ipv4_addr; flags interval; comment "managed by overlaynet"; }}
     * (key byte order and comment in the user data).
     */
    static NftSet definition(NamedSet want, int family, String table, int id) {
        int flags = want.interval() ? NfTablesUapi.NFT_SET_INTERVAL : 0;
        return new NftSet(family, table, want.name(), flags, want.type().typeNumber(), want.type().keyLength(), id,
                NftUserdata.setUserdata(NftUserdata.BYTEORDER_BIG_ENDIAN, Nftables.OWNER_COMMENT), null);
    }

    /** The family of the table a set of {@code type} lives in, in this service. */
    int tableFamily(SetType type) {
        if (nft.isInet()) {
            return Netfilter.NFPROTO_INET;
        }
        return type == SetType.IPV6_ADDR ? Netfilter.NFPROTO_IPV6 : Netfilter.NFPROTO_IPV4;
    }

    private NftSet findSet(NftClient c, int family, String name) throws NetlinkException {
        for (NftSet s : c.sets(family, nft.tableName())) {
            if (!s.isAnonymous() && s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private void requireOwned(NftSet s) {
        if (!Nftables.OWNER_COMMENT.equals(s.comment())) {
            throw new SetNotOwnedException(NftDescriber.familyName(s.family()), s.table(), s.name(), s.comment());
        }
    }

    /** The set as the typed value, or null for an anonymous set, a map or a key type not in {@link SetType}. */
    private NamedSet read(NftClient c, NftSet s) throws NetlinkException {
        SetType type = SetType.of(s.keyType(), s.keyLen());
        int unsupported = NfTablesUapi.NFT_SET_ANONYMOUS | NfTablesUapi.NFT_SET_MAP | NfTablesUapi.NFT_SET_OBJECT
                | NfTablesUapi.NFT_SET_CONCAT;
        if (type == null || (s.flags() & unsupported) != 0) {
            LOG.debug("set {} in table {}: type {}/{} flags {} is not a typed NamedSet", s.name(), s.table(),
                    s.keyType(), s.keyLen(), s.flags());
            return null;
        }
        List<NftSetElement> elements = c.elements(s.family(), s.table(), s.name());
        return typed(s, type, SetContents.kernelSpans(elements, s.isInterval(), s.keyLen()));
    }

    private static NamedSet typed(NftSet s, SetType type, List<KeyRange> spans) {
        NamedSet.Builder b = NamedSet.builder().name(s.name()).type(type).interval(s.isInterval())
                .readFrom(NftDescriber.familyName(s.family()), s.comment());
        if (type.isAddress()) {
            b.prefixes(PrefixSets.fromKeyRanges(spans, type.keyLength()));
        } else {
            List<PortRange> ports = new ArrayList<>();
            for (KeyRange span : spans) {
                if (s.isInterval()) {
                    ports.add(new PortRange(span.first().intValueExact(), span.last().intValueExact()));
                } else {
                    for (int p = span.first().intValueExact(); p <= span.last().intValueExact(); p++) {
                        ports.add(new PortRange(p, p));
                    }
                }
            }
            b.ports(ports);
        }
        return b.build();
    }

    /**
     * Set changes written into one batch: tables created once, sets read once
     * per table, in-batch ids for the sets it creates.
     */
    final class Staging {
        private final NftClient c;
        private final NftBatch batch;
        private final Set<Integer> tablesAdded = new HashSet<>();
        private final Map<Integer, List<NftSet>> sets = new HashMap<>();
        private final Map<String, SetType> staged = new HashMap<>();
        private int nextId = 1000;

        Staging(NftClient c, NftBatch batch) {
            this.c = c;
            this.batch = batch;
        }

        /** Whether this staging added the owned table of {@code family} to the batch. */
        boolean tableAdded(int family) {
            return tablesAdded.contains(family);
        }

        /** Makes sure the owned table exists or is added in the batch; throws for a foreign one. */
        void ensureTable(int family) throws NetlinkException {
            if (tablesAdded.contains(family)) {
                return;
            }
            NftTable t = nft.find(c, family);
            if (t != null) {
                Nftables.requireOwned(t);
                return;
            }
            batch.addTable(NftTable.of(family, nft.tableName()).withUserdata(NftUserdata.comment(Nftables.OWNER_COMMENT)),
                    true);
            tablesAdded.add(family);
        }

        private List<NftSet> sets(int family) throws NetlinkException {
            List<NftSet> l = sets.get(family);
            if (l == null) {
                NftTable t = tablesAdded.contains(family) ? null : nft.find(c, family);
                l = t == null ? List.of() : c.sets(family, nft.tableName());
                sets.put(family, l);
            }
            return l;
        }

        /**
         * The type of the address set {@code name} a rule of {@code tableFamily}
         * would look up: staged in this batch, else in the kernel; null if there is none.
         */
        SetType typeOf(int tableFamily, String name) throws NetlinkException {
            SetType t = staged.get(tableFamily + "/" + name);
            if (t != null) {
                return t;
            }
            for (NftSet s : sets(tableFamily)) {
                if (!s.isAnonymous() && s.name().equals(name)) {
                    return SetType.of(s.keyType(), s.keyLen());
                }
            }
            return null;
        }

        /** Writes the changes that make the set as {@code mode} says; returns how many units (and set creations). */
        int stage(NamedSet want, Mode mode) throws NetlinkException {
            int family = tableFamily(want.type());
            String table = nft.tableName();
            NftTable t = tablesAdded.contains(family) ? null : nft.find(c, family);
            if (t != null) {
                Nftables.requireOwned(t);
            }
            NftSet existing = null;
            for (NftSet s : sets(family)) {
                if (!s.isAnonymous() && s.name().equals(want.name())) {
                    existing = s;
                }
            }
            if (existing == null && mode == Mode.REMOVE) {
                return 0;
            }
            int changes = 0;
            List<SetContents.Unit> current;
            List<KeyRange> currentSpans;
            NftSet target;
            if (existing != null) {
                requireOwned(existing);
                SetType type = SetType.of(existing.keyType(), existing.keyLen());
                int other = NfTablesUapi.NFT_SET_MAP | NfTablesUapi.NFT_SET_OBJECT | NfTablesUapi.NFT_SET_CONCAT;
                if (type != want.type() || existing.isInterval() != want.interval() || (existing.flags() & other) != 0) {
                    throw new IllegalStateException("set " + want.name() + " in table "
                            + NftDescriber.familyName(family) + " " + table + " exists as type "
                            + (type == null ? existing.keyType() + "/" + existing.keyLen() : type.nftName())
                            + (existing.isInterval() ? " with" : " without") + " interval, not as type "
                            + want.type().nftName() + (want.interval() ? " with" : " without")
                            + " interval; delete it first");
                }
                List<NftSetElement> elements = c.elements(family, table, want.name());
                current = SetContents.kernelUnits(elements, want.interval(), want.type().keyLength());
                currentSpans = SetContents.kernelSpans(elements, want.interval(), want.type().keyLength());
                target = new NftSet(family, table, want.name(), existing.flags(), existing.keyType(), existing.keyLen(),
                        null, null, null);
            } else {
                ensureTable(family);
                target = definition(want, family, table, nextId++);
                batch.addSet(target, true);
                changes++;
                current = List.of();
                currentSpans = List.of();
            }
            staged.put(family + "/" + want.name(), want.type());
            List<KeyRange> wantSpans = SetContents.spans(want);
            List<KeyRange> result = switch (mode) {
                case EXACT -> wantSpans;
                case ADD -> {
                    List<KeyRange> all = new ArrayList<>(currentSpans);
                    all.addAll(wantSpans);
                    yield all;
                }
                case REMOVE -> SetContents.minus(currentSpans, wantSpans);
            };
            SetContents.Diff d = SetContents.diff(current,
                    SetContents.units(NftIntervals.mergeKeys(result), want.interval(), want.type().keyLength()));
            if (!d.delete().isEmpty()) {
                batch.deleteElements(target, d.delete());
            }
            if (!d.add().isEmpty()) {
                batch.addElements(target, d.add());
            }
            return changes + d.units();
        }
    }
}
