package dev.overlaynet;

import dev.overlaynet.netlink.internal.EventSocket;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Subscribes to the kernel's change notifications of one namespace and
 * delivers them as typed events: list+watch with exact resync. Obtain it
 * from {@link Netlink#monitor()}, choose topics and filters, then
 * {@link #subscribe()} (blocking iteration) or
 * {@link #subscribe(Executor, Consumer)} (callbacks on your executor).
 *
 * <pre>{@code
 * try (Subscription s = nl.monitor().neighbours().fdb().link("br0").subscribe()) {
 *     for (MonitorEvent e : s) {          // the snapshot first, then changes as they happen
 *         log.info("{}", e);              // [NEIGH] 10.233.0.3 dev br0 lladdr 0a:58:0a:e9:00:03 PERMANENT
 *     }
 * }
 * }</pre>
 *
 * <h2>What a subscription guarantees</h2>
 * <ul>
 * <li><b>List+watch.</b> It joins the multicast groups first, then dumps, then
 *     delivers the snapshot as ADDED events followed by a
 *     {@link MonitorEvent.Type#SYNCED} event, then every change. An event that
 *     races the dump is neither lost nor delivered twice: the subscription
 *     keeps the objects it delivered by key and compares.</li>
 * <li><b>Exact after loss.</b> Notifications are lossy: when the socket's
 *     receive queue overflows (ENOBUFS), or the subscription's own buffer is
 *     full, it re-dumps and delivers the difference (ADDED, CHANGED, REMOVED,
 *     {@link MonitorEvent#synthetic()}) followed by SYNCED carrying a
 *     {@link Resync} report. A consumer that applies the events holds an exact
 *     copy of the kernel's objects (those the filters select) after every
 *     SYNCED. Every resync is also reported to {@link #onResync}.</li>
 * <li><b>Never blocked by a slow consumer.</b> A dedicated platform thread
 *     reads the socket into a bounded buffer ({@link #bufferCapacity}
 *     datagrams); when that is full it drops and the next thing the consumer
 *     sees is a resync. The socket's receive buffer is large
 *     ({@link #receiveBufferBytes}, 32 MiB by default, forced when privileged).</li>
 * <li><b>Namespace.</b> The sockets are created in the handle's namespace and
 *     stay there; the threads never change namespace.
 *     {@link #allNamespaces(boolean)} also delivers events of namespaces that
 *     have an id here (NETLINK_LISTEN_ALL_NSID), tagged with
 *     {@link MonitorEvent#nsid()}; those are passed through as they come
 *     (ADDED for a new or changed object, REMOVED), without snapshot or resync.</li>
 * <li><b>Only the kernel.</b> Datagrams from any other sender are dropped and
 *     counted ({@link Subscription#forgedDropped()}).</li>
 * </ul>
 *
 * <p>Known limits: the kernel does not notify the IPv4 routes it removes when
 * a link goes down (they stay in the copy until the next resync), nor the
 * NOARP neighbours it creates for multicast groups the host reports (IGMP's
 * 224.0.0.22, MLD's ff02::16: they appear at the next resync); a deleted
 * link takes its objects with it (delivered as synthetic REMOVED events); a
 * renamed link renames its objects (synthetic CHANGED); a renamed bridge's
 * ports keep the old {@link Link#master()} name until they change.
 */
public final class Monitor {
    private final Netlink nl;
    private final Set<MonitorTopic> topics = EnumSet.noneOf(MonitorTopic.class);
    private String link;
    private String kind;
    private Integer family;
    private boolean allNamespaces;
    private int receiveBufferBytes = EventSocket.DEFAULT_RECEIVE_BUFFER;
    private int bufferCapacity = 1 << 16;
    private int eventCapacity = 1 << 14;
    private boolean snapshot = true;
    private Consumer<Resync> onResync;

    Monitor(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Watch links ({@link MonitorTopic#LINK}).
     *
     * @return this monitor
     */
    public Monitor links() {
        return topics(MonitorTopic.LINK);
    }

    /**
     * Watch IPv4 and IPv6 addresses.
     *
     * @return this monitor
     */
    public Monitor addresses() {
        return topics(MonitorTopic.ADDRESS);
    }

    /**
     * Watch IPv4 and IPv6 routes (all tables).
     *
     * @return this monitor
     */
    public Monitor routes() {
        return topics(MonitorTopic.ROUTE);
    }

    /**
     * Watch IPv4 and IPv6 neighbour entries (not proxies).
     *
     * @return this monitor
     */
    public Monitor neighbours() {
        return topics(MonitorTopic.NEIGH);
    }

    /**
     * Watch bridge and VXLAN FDB entries (AF_BRIDGE).
     *
     * @return this monitor
     */
    public Monitor fdb() {
        return topics(MonitorTopic.FDB);
    }

    /**
     * Watch nftables rules (NETLINK_NETFILTER, NFNLGRP_NFTABLES) as {@link OwnedRule}s.
     *
     * @return this monitor
     */
    public Monitor natRules() {
        return topics(MonitorTopic.NAT_RULE);
    }

    /**
     * Watch every topic.
     *
     * @return this monitor
     */
    public Monitor all() {
        return topics(MonitorTopic.values());
    }

    /**
     * Watch these topics (added to those chosen before).
     *
     * @param t the topics
     * @return this monitor
     */
    public Monitor topics(MonitorTopic... t) {
        for (MonitorTopic x : t) {
            topics.add(Objects.requireNonNull(x, "topic"));
        }
        return this;
    }

    /**
     * Only objects on the link named {@code name} (links: only that link). Not applied to nftables rules.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @return this monitor
     */
    public Monitor link(String name) {
        LinkName.validate("link", name);
        this.link = name;
        return this;
    }

    /**
     * Only objects on links of this kind, e.g. {@code "vxlan"} (links: only links of the kind). Not applied to nftables rules.
     *
     * @param kind the IFLA_INFO_KIND
     * @return this monitor
     */
    public Monitor kind(String kind) {
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("kind must be a link kind such as \"vxlan\", got \"" + kind + "\"");
        }
        this.kind = kind;
        return this;
    }

    /**
     * Only objects of this family: {@code AF_INET} (2), {@code AF_INET6} (10)
     * or, for FDB entries, {@code AF_BRIDGE} (7). Links are not filtered by
     * family; nftables rules by their NFPROTO (IPv4 2, IPv6 10).
     *
     * @param family the address family number
     * @return this monitor
     */
    public Monitor family(int family) {
        if (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6 && family != AddressFamily.AF_BRIDGE) {
            throw new IllegalArgumentException("family " + family + " must be AF_INET (2), AF_INET6 (10) or AF_BRIDGE (7)");
        }
        this.family = family;
        return this;
    }

    /**
     * Also deliver events of the namespaces that have an id in this one (NETLINK_LISTEN_ALL_NSID).
     *
     * @param on true to listen to every namespace with an id
     * @return this monitor
     */
    public Monitor allNamespaces(boolean on) {
        this.allNamespaces = on;
        return this;
    }

    /**
     * SO_RCVBUF asked for the event socket(s) (the kernel doubles it); default 32 MiB.
     *
     * @param bytes the size asked for
     * @return this monitor
     */
    public Monitor receiveBufferBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("receiveBufferBytes " + bytes + " must be >= 1");
        }
        this.receiveBufferBytes = bytes;
        return this;
    }

    /**
     * Datagrams the reader may hold for the subscription's engine (default
     * 65536). When full the reader drops and the subscription resyncs
     * ({@link Resync.Reason#BUFFER_FULL}).
     *
     * @param datagrams how many datagrams
     * @return this monitor
     */
    public Monitor bufferCapacity(int datagrams) {
        if (datagrams < 16) {
            throw new IllegalArgumentException("bufferCapacity " + datagrams + " must be >= 16");
        }
        this.bufferCapacity = datagrams;
        return this;
    }

    /**
     * Events waiting for the consumer (default 16384). When full the engine
     * waits; meanwhile the reader keeps reading into its own buffer, which
     * then overflows into a resync: the consumer stays exact, only later.
     *
     * @param events how many events
     * @return this monitor
     */
    public Monitor eventCapacity(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("eventCapacity " + events + " must be >= 1");
        }
        this.eventCapacity = events;
        return this;
    }

    /**
     * Deliver the initial objects as ADDED events (default true); false delivers only later changes.
     *
     * @param on false to skip the initial objects
     * @return this monitor
     */
    public Monitor snapshot(boolean on) {
        this.snapshot = on;
        return this;
    }

    /**
     * Called on the engine thread after every resync (including the initial one); must not block.
     *
     * @param listener told what each resync found
     * @return this monitor
     */
    public Monitor onResync(Consumer<Resync> listener) {
        this.onResync = listener;
        return this;
    }

    /**
     * Starts a subscription read by iteration ({@link Subscription#take()},
     * its iterator or stream). Works from virtual threads.
     *
     * @return the running subscription; close it to stop
     * @throws NetlinkException if the event sockets cannot be opened or the first dump fails
     */
    public Subscription subscribe() throws NetlinkException {
        return start(null, null);
    }

    /**
     * Starts a subscription that calls {@code listener} on {@code executor},
     * one event at a time and in order (never two calls at once).
     *
     * @param executor runs the listener calls
     * @param listener called with each event
     * @return the running subscription; close it to stop
     * @throws NetlinkException if the event sockets cannot be opened or the first dump fails
     */
    public Subscription subscribe(Executor executor, Consumer<MonitorEvent> listener) throws NetlinkException {
        return start(Objects.requireNonNull(executor, "executor"), Objects.requireNonNull(listener, "listener"));
    }

    private Subscription start(Executor executor, Consumer<MonitorEvent> listener) throws NetlinkException {
        if (topics.isEmpty()) {
            throw new IllegalStateException("no topic chosen: call links(), neighbours(), ... or all() first");
        }
        Subscription s = new Subscription(this, executor, listener);
        s.start();
        return s;
    }

    // ---- read by the engine -----------------------------------------------------------

    Netlink handle() {
        return nl;
    }

    Set<MonitorTopic> topicSet() {
        return EnumSet.copyOf(topics);
    }

    boolean followsAllNamespaces() {
        return allNamespaces;
    }

    int receiveBuffer() {
        return receiveBufferBytes;
    }

    int buffer() {
        return bufferCapacity;
    }

    int events() {
        return eventCapacity;
    }

    boolean deliversSnapshot() {
        return snapshot;
    }

    Consumer<Resync> resyncListener() {
        return onResync;
    }

    /** Whether the consumer asked for {@code e} (topic and filters); {@code view} gives link kinds. */
    boolean wants(MonitorEvent e, MonitorView view) {
        if (e.type() == MonitorEvent.Type.SYNCED) {
            return true;
        }
        if (!topics.contains(e.topic())) {
            return false;
        }
        Object v = e.value();
        if (family != null && e.topic() != MonitorTopic.LINK && familyOf(v) != family) {
            return false;
        }
        if (e.topic() == MonitorTopic.NAT_RULE) {
            return true;
        }
        if (link != null && !link.equals(MonitorCodec.linkNameOf(v))) {
            return false;
        }
        if (kind != null) {
            if (v instanceof Link l) {
                return kind.equals(l.kind());
            }
            Link l = view == null ? null : view.link(MonitorCodec.indexOf(v));
            return l != null && kind.equals(l.kind());
        }
        return true;
    }

    private static int familyOf(Object v) {
        if (v instanceof Neighbour n) {
            return n.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
        } else if (v instanceof FdbEntry) {
            return AddressFamily.AF_BRIDGE;
        } else if (v instanceof Address a) {
            return a.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
        } else if (v instanceof Route r) {
            return r.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
        } else if (v instanceof OwnedRule r) {
            return r.family();
        }
        return -1;
    }
}
