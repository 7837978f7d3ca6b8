package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * IPv4 (ARP) and IPv6 (NDP) neighbour entries of one namespace
 * ({@code ip neigh}). Obtain it from {@link Netlink#neighbours()}.
 *
 * <pre>{@code
 * nl.neighbours().add(Neighbour.permanent("br0", "10.233.0.3", mac));
 * Optional<Neighbour> n = nl.neighbours().get("br0", "10.233.0.3");
 * BulkResult<Neighbour> r = nl.neighbours().addAll(entries, AckMode.LAST); // thousands per sendmsg
 * nl.neighbours().forEach("br0", e -> count.incrementAndGet());         // streamed, bounded heap
 * }</pre>
 */
public final class Neighbours {
    private final Netlink nl;

    Neighbours(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Adds {@code n}; EEXIST if an entry for its IP exists on the device.
     *
     * @param n the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(Neighbour n) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, n);
    }

    /**
     * Adds {@code n} or overwrites the existing entry: idempotent.
     *
     * @param n the entry
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void replace(Neighbour n) throws NetlinkException {
        one(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, n);
    }

    /**
     * Makes the device have {@code n}: absent, it is added (CREATED); present
     * with its MAC, state (permanent when unset) and flags as {@code n} asks,
     * nothing is sent (UNCHANGED); otherwise one replace updates it (CHANGED).
     * NUD_DELAY and PROBE compare equal: the kernel moves one to the other.
     *
     * <pre>{@code
     * nl.neighbours().ensure(Neighbour.permanent("br0", "10.233.0.3", "02:42:0a:e9:00:03"));
     * }</pre>
     *
     * @param n the entry
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(Neighbour n) throws NetlinkException {
        Objects.requireNonNull(n, "neigh");
        int index = n.index() != null ? n.index() : nl.ifindex(n.dev());
        boolean proxy = n.flags().contains(NeighbourFlag.PROXY);
        Neighbour found = null;
        for (Neighbour have : proxy ? listProxies() : list(n.dev() != null ? n.dev() : null)) {
            if (have.ip().equals(n.ip()) && Integer.valueOf(index).equals(have.index())) {
                found = have;
                break;
            }
        }
        if (found == null) {
            add(n);
            return EnsureResult.CREATED;
        }
        if (EnsureDiffs.differences(n, found).isEmpty()) {
            return EnsureResult.UNCHANGED;
        }
        replace(n);
        return EnsureResult.CHANGED;
    }


    /**
     * Deletes the entry for {@code n}'s device and IP (and proxy flag); ENOENT if absent.
     *
     * @param n the entry; only its device, IP and proxy flag are used
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(Neighbour n) throws NetlinkException {
        one(RtNetlink.RTM_DELNEIGH, 0, n);
    }

    /**
     * Deletes the entry for {@code ip} on {@code dev}.
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @param ip the neighbour's IPv4 or IPv6 address
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(String dev, String ip) throws NetlinkException {
        delete(Neighbour.builder().dev(dev).ip(ip).build());
    }

    private void one(int type, int flags, Neighbour n) throws NetlinkException {
        Objects.requireNonNull(n, "neigh");
        int index = n.index() != null ? n.index() : nl.ifindex(n.dev());
        MessageWriter w = nl.writer();
        try {
            NeighCodec.encode(w, type, flags, n, index);
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
    public BulkResult<Neighbour> addAll(List<Neighbour> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
    }

    /**
     * Adds or overwrites every entry in batched sendmsgs.
     *
     * @param entries the entries
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<Neighbour> replaceAll(List<Neighbour> entries, AckMode mode) throws NetlinkException {
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
    public BulkResult<Neighbour> deleteAll(List<Neighbour> entries, AckMode mode) throws NetlinkException {
        return bulk(entries, mode, RtNetlink.RTM_DELNEIGH, 0);
    }

    private BulkResult<Neighbour> bulk(List<Neighbour> entries, AckMode mode, int type, int flags) throws NetlinkException {
        return Bulk.run(nl, entries, mode, KEY, (w, n, ifindex) -> {
            NeighCodec.encode(w, type, flags, n, ifindex);
        });
    }

    private static final Bulk.Key<Neighbour> KEY = new Bulk.Key<>() {
        @Override
        public Integer index(Neighbour n) {
            return n.index();
        }

        @Override
        public String name(Neighbour n) {
            return n.dev();
        }
    };

    /**
     * The entry for {@code ip} on {@code dev} (RTM_GETNEIGH), or empty when
     * the kernel has none.
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @param ip the neighbour's IPv4 or IPv6 address
     * @return the entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<Neighbour> get(String dev, String ip) throws NetlinkException {
        LinkName.validate("dev", dev);
        InetAddress addr = Ip.parse("ip", ip);
        int index = nl.ifindex(dev);
        return Fetch.one(nl, w -> NeighCodec.encodeGet(w, addr, index, false), RtNetlink.RTM_NEWNEIGH,
                (m, a) -> NeighCodec.decode(m, i -> i == index ? dev : null, a));
    }

    /**
     * The proxy entry for {@code ip} on {@code dev}, or empty
     * ({@code ip neigh get proxy IP dev DEV}: RTM_GETNEIGH with NTF_PROXY).
     *
     * <pre>{@code
     * nl.neighbours().add(Neighbour.proxy("br0", "10.0.0.9"));
     * Optional<Neighbour> p = nl.neighbours().getProxy("br0", "10.0.0.9");
     * }</pre>
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @param ip the proxied IPv4 or IPv6 address
     * @return the proxy entry, or empty
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<Neighbour> getProxy(String dev, String ip) throws NetlinkException {
        LinkName.validate("dev", dev);
        InetAddress addr = Ip.parse("ip", ip);
        int index = nl.ifindex(dev);
        return Fetch.one(nl, w -> NeighCodec.encodeGet(w, addr, index, true), RtNetlink.RTM_NEWNEIGH,
                (m, a) -> NeighCodec.decode(m, i -> i == index ? dev : null, a));
    }

    /**
     * {@return every IPv4 and IPv6 neighbour entry (not proxies) of the namespace}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<Neighbour> list() throws NetlinkException {
        return list(null);
    }

    /**
     * {@return the entries of {@code dev} (filtered by the kernel), or all when null}
     *
     * @param dev the link's name, or null for every link
     * @throws NetlinkException if the dump fails
     */
    public List<Neighbour> list(String dev) throws NetlinkException {
        return dumpList(dev, false);
    }

    /**
     * Proxy entries ({@code ip neigh show proxy}).
     *
     * @return the proxy entries of every device
     * @throws NetlinkException if the dump fails
     */
    public List<Neighbour> listProxies() throws NetlinkException {
        return dumpList(null, true);
    }

    private List<Neighbour> dumpList(String dev, boolean proxy) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        IntFunction<String> names = names(links, dev, index);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, proxy);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWNEIGH
                    ? NeighCodec.decode(m, names, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /**
     * Streams every entry to {@code action}; see {@link #forEach(String, Consumer)}.
     *
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(Consumer<? super Neighbour> action) throws NetlinkException {
        forEach(null, action);
    }

    /**
     * Streams the entries of {@code dev} (all when null) to {@code action},
     * decoding message by message so a dump of any size needs bounded heap.
     * The action runs while the dump is in progress: it must not use this
     * handle. If the kernel flags the dump as interrupted, a
     * {@link dev.overlaynet.netlink.DumpInterruptedException} follows the last entry.
     *
     * @param dev the link's name, or null for every link
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(String dev, Consumer<? super Neighbour> action) throws NetlinkException {
        Objects.requireNonNull(action, "action");
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        IntFunction<String> names = names(links, dev, index);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index, false);
        try {
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWNEIGH) {
                    Neighbour n = NeighCodec.decode(m, names, a);
                    if (n != null) {
                        action.accept(n);
                    }
                }
            });
        } finally {
            nl.release(w);
        }
    }


    private MessageWriter dumpRequest(int index, boolean proxy) {
        MessageWriter w = nl.writer();
        NeighCodec.encodeDump(w, index, proxy);
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
