package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.RtNetlink;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Forwarding database entries of VXLAN devices and bridges in one namespace
 * ({@code bridge fdb}). Obtain it from {@link Netlink#fdb()}.
 *
 * <pre>{@code
 * nl.fdb().append(Fdb.flood("vxlan0", "172.16.1.12"));         // one per peer host
 * nl.fdb().replace(Fdb.remote("vxlan0", mac, "172.16.1.13"));  // a remote container
 * List<Fdb> onVxlan = nl.fdb().list("vxlan0");                 // like `bridge fdb show dev vxlan0`
 * Optional<Fdb> one = nl.fdb().get("vxlan0", "02:42:0a:e9:00:03"); // `bridge fdb get ... self`
 * BulkResult<Fdb> r = nl.fdb().appendAll(entries, AckMode.LAST);
 * }</pre>
 */
public final class FdbEntries {
    private final Netlink nl;
    private final java.util.concurrent.atomic.AtomicLong mutations = new java.util.concurrent.atomic.AtomicLong();

    FdbEntries(Netlink nl) {
        this.nl = nl;
    }

    /** Adds {@code f}; EEXIST if an entry for its MAC exists ({@code bridge fdb add}). */
    public void add(Fdb f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, f);
    }

    /**
     * Appends {@code f} ({@code bridge fdb append}): on VXLAN another remote
     * for the same MAC, as the flood entry needs. Appending an identical
     * entry again succeeds.
     */
    public void append(Fdb f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, f);
    }

    /** Adds {@code f} or replaces the entry for its MAC ({@code bridge fdb replace}): idempotent. */
    public void replace(Fdb f) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, f);
    }

    /**
     * Makes the device's table have {@code f}: absent, it is added (CREATED;
     * a further remote of the zero MAC is appended); present with every field
     * {@code f} sets as asked (state permanent when unset), nothing is sent
     * (UNCHANGED); otherwise one replace updates it (CHANGED).
     *
     * <pre>{@code
     * nl.fdb().ensure(Fdb.remote("vxlan0", "02:42:0a:e9:00:03", "172.16.1.12"));
     * }</pre>
     */
    public EnsureResult ensure(Fdb f) throws NetlinkException {
        Objects.requireNonNull(f, "fdb");
        int index = f.index() != null ? f.index() : nl.ifindex(f.dev());
        boolean master = f.flags().contains(NeighFlag.MASTER);
        Fdb found = null;
        boolean sameMac = false;
        for (Fdb have : list(f.dev())) {
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

    /** How many mutating messages (RTM_NEWNEIGH, RTM_DELNEIGH) this handle's FDB service has sent. */
    public long mutatingMessagesSent() {
        return mutations.get();
    }

    /** Deletes {@code f} (for VXLAN with dst: only that remote); ENOENT if absent. */
    public void delete(Fdb f) throws NetlinkException {
        one(RtNetlink.RTM_DELNEIGH, 0, f);
    }

    /**
     * The entry for {@code mac} in {@code dev}'s own table, or empty when there
     * is none ({@code bridge fdb get MAC dev DEV self}). On a vxlan whose entry
     * has several remotes (a flood entry), the kernel reports the first one;
     * {@link #list(String)} shows them all.
     *
     * <pre>{@code
     * Optional<Fdb> e = nl.fdb().get("vxlan0", "02:42:0a:e9:00:03"); // e.get().dst(): its host
     * }</pre>
     */
    public Optional<Fdb> get(String dev, String mac) throws NetlinkException {
        return get(dev, mac, null);
    }

    /** As {@link #get(String, String)}, for the entry of {@code vni} on a collect-metadata vxlan. */
    public Optional<Fdb> get(String dev, String mac, Integer vni) throws NetlinkException {
        LinkName.validate("dev", dev);
        MacAddress m = MacAddress.parse(mac);
        if (vni != null && (vni < 0 || vni > 16_777_215)) {
            throw new IllegalArgumentException("vni " + vni + " out of range [0..16777215]");
        }
        int index = nl.ifindex(dev);
        return Fetch.one(nl, w -> FdbCodec.encodeGet(w, m, index, vni), RtNetlink.RTM_NEWNEIGH,
                (r, a) -> FdbCodec.decode(r, i -> i == index ? dev : null, a));
    }

    private void one(int type, int flags, Fdb f) throws NetlinkException {
        Objects.requireNonNull(f, "fdb");
        int index = f.index() != null ? f.index() : nl.ifindex(f.dev());
        MessageWriter w = nl.writer();
        try {
            FdbCodec.encode(w, type, flags, f, index);
            mutations.incrementAndGet();
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /** Adds every entry (NLM_F_EXCL) in batched sendmsgs; each entry gets its own outcome. */
    public BulkResult<Fdb> addAll(List<Fdb> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
    }

    /** Appends every entry in batched sendmsgs. */
    public BulkResult<Fdb> appendAll(List<Fdb> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND);
    }

    /** Adds or replaces every entry in batched sendmsgs. */
    public BulkResult<Fdb> replaceAll(List<Fdb> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE);
    }

    /** Deletes every entry in batched sendmsgs. */
    public BulkResult<Fdb> deleteAll(List<Fdb> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_DELNEIGH, 0);
    }

    private BulkResult<Fdb> bulk(List<Fdb> entries, AckMode mode, int type, int flags) throws NetlinkException {
        return Bulk.run(nl, entries, mode, KEY, (w, f, ifindex) -> {
            mutations.incrementAndGet();
            FdbCodec.encode(w, type, flags, f, ifindex);
        });
    }

    private static final Bulk.Key<Fdb> KEY = new Bulk.Key<>() {
        @Override
        public Integer index(Fdb f) {
            return f.index();
        }

        @Override
        public String name(Fdb f) {
            return f.dev();
        }
    };

    /** Every FDB entry of every device. */
    public List<Fdb> list() throws NetlinkException {
        return list(null);
    }

    /**
     * The entries of {@code dev} (all when null), filtered by the kernel like
     * {@code bridge fdb show dev DEV}: the device's own entries and, for a
     * bridge port, its master's entries for that port.
     */
    public List<Fdb> list(String dev) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, 0);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWNEIGH
                    ? FdbCodec.decode(m, links::name, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /** The entries of bridge {@code bridge} and its ports ({@code bridge fdb show br BRIDGE}). */
    public List<Fdb> listBridge(String bridge) throws NetlinkException {
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
     */
    public void forEach(String dev, Consumer<? super Fdb> action) throws NetlinkException {
        Objects.requireNonNull(action, "action");
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, 0);
        try {
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWNEIGH) {
                    Fdb f = FdbCodec.decode(m, links::name, a);
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
}
