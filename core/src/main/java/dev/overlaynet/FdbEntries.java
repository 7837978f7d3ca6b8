package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Forwarding database entries of VXLAN devices and bridges in one namespace
 * ({@code bridge fdb}). Obtain it from {@link Netlink#fdb()}.
 *
 * <pre>{@code
 * nl.fdb().append(FdbEntry.flood("vxlan0", "172.16.1.12"));         // one per peer host
 * nl.fdb().replace(FdbEntry.remote("vxlan0", mac, "172.16.1.13"));  // a remote container
 * List<FdbEntry> onVxlan = nl.fdb().list("vxlan0");                 // like `bridge fdb show dev vxlan0`
 * Optional<FdbEntry> one = nl.fdb().get("vxlan0", "02:42:0a:e9:00:03"); // `bridge fdb get ... self`
 * BulkResult<FdbEntry> r = nl.fdb().appendAll(entries, AckMode.LAST);
 * nl.fdb().flush(FdbFlush.builder().dev("vxlan0").dst("172.16.1.12").build()); // a peer left: one bulk delete
 * Optional<FdbEntry> where = nl.fdb().getInBridge("br0", "02:42:0a:e9:00:03", null);  // which port has it
 * }</pre>
 */
public final class FdbEntries {
    private final Netlink nl;

    FdbEntries(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Adds {@code f}; EEXIST if an entry for its MAC exists ({@code bridge fdb add}).
     *
     * @param f the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(FdbEntry f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, f);
    }

    /**
     * Appends {@code f} ({@code bridge fdb append}): on VXLAN another remote
     * for the same MAC, as the flood entry needs. Appending an identical
     * entry again succeeds.
     *
     * @param f the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void append(FdbEntry f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, f);
    }

    /**
     * Adds {@code f} or replaces the entry for its MAC ({@code bridge fdb replace}): idempotent.
     *
     * @param f the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void replace(FdbEntry f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, f);
    }

    /**
     * Makes the device's table have {@code f}: absent, it is added (CREATED;
     * a further remote of the zero MAC is appended); present with every field
     * {@code f} sets as asked (state permanent when unset), nothing is sent
     * (UNCHANGED); otherwise one replace updates it (CHANGED).
     *
     * <pre>{@code
     * nl.fdb().ensure(FdbEntry.remote("vxlan0", "02:42:0a:e9:00:03", "172.16.1.12"));
     * }</pre>
     *
     * @param f the entry
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(FdbEntry f) throws NetlinkException {
        Objects.requireNonNull(f, "fdb");
        int index = f.index() != null ? f.index() : nl.ifindex(f.dev());
        boolean master = f.flags().contains(NeighbourFlag.MASTER);
        FdbEntry found = null;
        boolean sameMac = false;
        for (FdbEntry have : list(f.dev())) {
            if (!Integer.valueOf(index).equals(have.index()) || EnsureDiffs.onMaster(have) != master) {
                continue;
            }
            sameMac |= have.mac().equals(f.mac());
            if (EnsureDiffs.sameKey(f, have)) {
                found = have;
                break;
            }
        }
        if (found == null) {
            if (sameMac && f.mac().isZero()) {
                append(f);
            } else {
                add(f);
            }
            return EnsureResult.CREATED;
        }
        if (EnsureDiffs.differences(f, found).isEmpty()) {
            return EnsureResult.UNCHANGED;
        }
        if (f.mac().isZero() || f.mac().isMulticast()) {
            // vxlan refuses NLM_F_REPLACE on the zero/multicast MAC (its remotes are a list); an
            // append of a remote already there updates it (and the state its remotes share).
            append(f);
        } else {
            replace(f);
        }
        return EnsureResult.CHANGED;
    }


    /**
     * Deletes {@code f} (for VXLAN with dst: only that remote); ENOENT if absent.
     *
     * @param f the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(FdbEntry f) throws NetlinkException {
        one(RtNetlink.RTM_DELNEIGH, 0, f);
    }

    /**
     * The entry for {@code mac} in {@code dev}'s own table, or empty when there
     * is none ({@code bridge fdb get MAC dev DEV self}). On a vxlan whose entry
     * has several remotes (a flood entry), the kernel reports the first one;
     * {@link #list(String)} shows them all.
     *
     * <pre>{@code
     * Optional<FdbEntry> e = nl.fdb().get("vxlan0", "02:42:0a:e9:00:03"); // e.get().dst(): its host
     * }</pre>
     *
     * @param dev the bridge, port or vxlan device
     * @param mac the MAC address, e.g. {@code 02:00:00:00:00:01}
     * @return the entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<FdbEntry> get(String dev, String mac) throws NetlinkException {
        return get(dev, mac, null);
    }

    /**
     * As {@link #get(String, String)}, for the entry of {@code vni} on a collect-metadata vxlan.
     *
     * @param dev the vxlan device
     * @param mac the MAC address, e.g. {@code 02:00:00:00:00:01}
     * @param vni the VNI, or null as in {@link #get(String, String)}
     * @return the entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<FdbEntry> get(String dev, String mac, Integer vni) throws NetlinkException {
        LinkName.validate("dev", dev);
        MacAddress m = MacAddress.parse(mac);
        if (vni != null && (vni < 0 || vni > 16_777_215)) {
            throw new IllegalArgumentException("vni " + vni + " out of range [0..16777215]");
        }
        int index = nl.ifindex(dev);
        return Fetch.one(nl, w -> FdbCodec.encodeGet(w, m, index, vni), RtNetlink.RTM_NEWNEIGH,
                (r, a) -> FdbCodec.decode(r, i -> i == index ? dev : null, a));
    }

    /**
     * Deletes every entry {@code filter} matches in one bulk RTM_DELNEIGH
     * (NLM_F_BULK), as {@code bridge fdb flush} does: the kernel walks its
     * table once; nothing is listed or deleted entry by entry. Bridges since
     * Linux 5.19, vxlan devices since 6.7 (EOPNOTSUPP before, and on devices
     * without a flushable table, such as a veth asked for {@code self}).
     *
     * <pre>{@code
     * nl.fdb().flush(FdbFlush.builder().dev("br0").vlan(10).notState(FdbEntryState.PERMANENT).build());
     * }</pre>
     *
     * @param filter which entries to delete
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void flush(FdbFlush filter) throws NetlinkException {
        Objects.requireNonNull(filter, "filter");
        int index = nl.ifindex(filter.dev());
        int brport = filter.brport() == null ? 0 : nl.ifindex(filter.brport());
        MessageWriter w = nl.writer();
        try {
            FdbCodec.encodeFlush(w, filter, index, brport);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /**
     * The entry for {@code mac} in bridge {@code bridge}'s table, whichever
     * port it is on, or empty ({@code bridge fdb get MAC br BRIDGE [vlan V]}).
     *
     * <pre>{@code
     * Optional<FdbEntry> e = nl.fdb().getInBridge("br0", "02:00:00:00:00:aa", null); // e.get().dev(): the port
     * }</pre>
     *
     * @param bridge the bridge's name
     * @param mac the MAC address
     * @param vlan the VLAN, or null for the entry without one
     * @return the entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<FdbEntry> getInBridge(String bridge, String mac, Integer vlan) throws NetlinkException {
        LinkName.validate("bridge", bridge);
        return scopedGet(0, nl.ifindex(bridge), mac, vlan);
    }

    /**
     * The entry for {@code mac} that bridge port {@code port}'s master holds
     * for it, or empty ({@code bridge fdb get MAC brport PORT [vlan V]}).
     *
     * @param port the bridge port's name
     * @param mac the MAC address
     * @param vlan the VLAN, or null for the entry without one
     * @return the entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<FdbEntry> getOnPort(String port, String mac, Integer vlan) throws NetlinkException {
        LinkName.validate("port", port);
        return scopedGet(nl.ifindex(port), 0, mac, vlan);
    }

    private Optional<FdbEntry> scopedGet(int port, int bridge, String mac, Integer vlan) throws NetlinkException {
        MacAddress m;
        try {
            m = MacAddress.parse(mac);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mac: " + e.getMessage(), e);
        }
        if (vlan != null && (vlan < 1 || vlan > 4094)) {
            throw new IllegalArgumentException("vlan " + vlan + " out of range [1..4094]");
        }
        LinkIndex links = new LinkIndex(nl);
        Optional<FdbEntry> f = Fetch.one(nl, w -> FdbCodec.encodeGetInBridge(w, m, port, bridge, vlan),
                RtNetlink.RTM_NEWNEIGH, (r, a) -> FdbCodec.decode(r, i -> null, a));
        if (f.isEmpty() || f.get().index() == null) {
            return f;
        }
        // the reply names the port by index only: resolve it (and nothing else) for the caller
        links.loadAll();
        return Optional.of(f.get().toBuilder().dev(links.name(f.get().index())).buildDecoded());
    }

    private void one(int type, int flags, FdbEntry f) throws NetlinkException {
        Objects.requireNonNull(f, "fdb");
        int index = f.index() != null ? f.index() : nl.ifindex(f.dev());
        MessageWriter w = nl.writer();
        try {
            FdbCodec.encode(w, type, flags, f, index);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /**
     * Adds every entry (NLM_F_EXCL) in batched sendmsgs; each entry gets its own outcome.
     *
     * @param entries the entries
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<FdbEntry> addAll(List<FdbEntry> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
    }

    /**
     * Appends every entry in batched sendmsgs.
     *
     * @param entries the entries
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<FdbEntry> appendAll(List<FdbEntry> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND);
    }

    /**
     * Adds or replaces every entry in batched sendmsgs.
     *
     * @param entries the entries
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<FdbEntry> replaceAll(List<FdbEntry> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE);
    }

    /**
     * Deletes every entry in batched sendmsgs.
     *
     * @param entries the entries
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<FdbEntry> deleteAll(List<FdbEntry> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_DELNEIGH, 0);
    }

    private BulkResult<FdbEntry> bulk(List<FdbEntry> entries, AckMode mode, int type, int flags) throws NetlinkException {
        return Bulk.run(nl, entries, mode, KEY, (w, f, ifindex) -> {
            FdbCodec.encode(w, type, flags, f, ifindex);
        });
    }

    private static final Bulk.Key<FdbEntry> KEY = new Bulk.Key<>() {
        @Override
        public Integer index(FdbEntry f) {
            return f.index();
        }

        @Override
        public String name(FdbEntry f) {
            return f.dev();
        }
    };

    /**
     * {@return every FDB entry of every device}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<FdbEntry> list() throws NetlinkException {
        return list(null);
    }

    /**
     * The entries of {@code dev} (all when null), filtered by the kernel like
     * {@code bridge fdb show dev DEV}: the device's own entries and, for a
     * bridge port, its master's entries for that port.
     *
     * @param dev the link's name, or null for every link
     * @return the entries
     * @throws NetlinkException if the dump fails
     */
    public List<FdbEntry> list(String dev) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        IntFunction<String> names = names(links, dev, index);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, 0);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWNEIGH
                    ? FdbCodec.decode(m, names, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /**
     * {@return the entries of bridge {@code bridge} and its ports ({@code bridge fdb show br BRIDGE})}
     *
     * @param bridge the bridge's name
     * @throws NetlinkException if the dump fails
     */
    public List<FdbEntry> listBridge(String bridge) throws NetlinkException {
        LinkName.validate("bridge", bridge);
        LinkIndex links = new LinkIndex(nl);
        links.loadAll();
        int master = links.index(bridge);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(0, master);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWNEIGH
                    ? FdbCodec.decode(m, links::name, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /**
     * Streams the entries of {@code dev} (all when null) to {@code action}
     * message by message, for dumps of any size with bounded heap. The action
     * runs while the dump is in progress: it must not use this handle.
     *
     * @param dev the link's name, or null for every link
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(String dev, Consumer<? super FdbEntry> action) throws NetlinkException {
        Objects.requireNonNull(action, "action");
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        IntFunction<String> names = names(links, dev, index);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, 0);
        try {
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWNEIGH) {
                    FdbEntry f = FdbCodec.decode(m, names, a);
                    if (f != null) {
                        action.accept(f);
                    }
                }
            });
        } finally {
            nl.release(w);
        }
    }


    private MessageWriter dumpRequest(int brport, int master) {
        MessageWriter w = nl.writer();
        FdbCodec.encodeDump(w, brport, master);
        return w;
    }

    /**
     * Names for a dump's entries: filtered to {@code dev}, almost every entry is on
     * {@code dev} itself, answered without a lookup.
     */
    private static IntFunction<String> names(LinkIndex links, String dev, int index) {
        return dev == null ? links::name : i -> i == index ? dev : links.name(i);
    }

}
