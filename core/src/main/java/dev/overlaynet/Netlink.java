package dev.overlaynet;

import dev.overlaynet.netlink.KernelEndpoint;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.internal.RawAccess;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.route.RouteDescriber;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A handle on one network namespace: the entry point of the typed API.
 *
 * <p>Its sockets are created inside the namespace (on a short-lived platform
 * thread, see {@link NetNs}) and stay bound to it, so once open the handle
 * works from any thread, virtual threads included. It is thread-safe:
 * requests on one handle are serialised on its socket.
 *
 * <pre>{@code
 * try (NetNs ns = NetNs.create("h1"); Netlink nl = Netlink.open(ns)) {
 *     nl.links().add(Bridge.builder().name("br0").build());
 *     nl.links().up("br0");
 *     nl.addresses().add("br0", "10.233.0.1/16");
 * }
 * }</pre>
 *
 * <p>{@link #builder()} opens a handle with more options: a
 * {@link NetlinkListener} told about every message the handle's sockets
 * exchange (to count or log requests), or a {@link KernelEndpoint} such as
 * the test kit's fake kernel in place of a real namespace.
 *
 * <pre>{@code
 * try (Netlink nl = Netlink.builder().namespace(ns).listener(myListener).open()) { ... }
 * }</pre>
 */
public final class Netlink implements AutoCloseable {
    private final NetlinkSocket route;
    private final NetNs namespace;
    private final boolean ownsNamespace;
    private final KernelEndpoint kernel;
    private final NetlinkListener listener;
    private final ConcurrentLinkedQueue<MessageWriter> writers = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicReference<MessageWriter> spareWriter =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Links links = new Links(this);
    private final Addresses addresses = new Addresses(this);
    private final Routes routes = new Routes(this);
    private final Neighbours neighbours = new Neighbours(this);
    private final FdbEntries fdb = new FdbEntries(this);
    private final Nftables nftables = new Nftables(this);
    private final Sysctls sysctls = new Sysctls(this);
    private volatile NetlinkSocket netfilter;
    private volatile LinkCache linkCache;

    static {
        // The raw sockets stay reachable for overlaynet's own tests and tools without a
        // public signature naming an internal type.
        RawAccess.install(new RawAccess.Hooks() {
            @Override
            public NetlinkSocket socket(Netlink nl) {
                return nl.socket();
            }

            @Override
            public NftClient nftClient(Netlink nl) throws NetlinkException {
                return nl.nftables().client();
            }

            @Override
            public List<Expr> expressions(NatRule r) {
                return r.expressions();
            }

            @Override
            public List<Expr> expressions(OwnedRule r) {
                return r.expressions();
            }

            @Override
            public NatRule.Builder rawRule(NatRule.Chain chain, int family, List<Expr> expressions) {
                return Nat.raw(chain, family, expressions);
            }

            @Override
            public OwnedRule ownedRule(int family, String table, String chain, long handle, String tag,
                                       List<Expr> expressions, NatRule rule) {
                return new OwnedRule(family, table, chain, handle, tag, expressions, rule);
            }
        });
    }

    private Netlink(NetlinkSocket route, NetNs namespace, boolean ownsNamespace) {
        this(route, namespace, ownsNamespace, null, null);
    }

    private Netlink(NetlinkSocket route, NetNs namespace, boolean ownsNamespace, KernelEndpoint kernel,
                    NetlinkListener listener) {
        this.route = route;
        this.namespace = namespace;
        this.ownsNamespace = ownsNamespace;
        this.kernel = kernel;
        this.listener = listener;
    }

    private static NetlinkSocketOptions defaultOptions() {
        return NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE).build();
    }

    /** {@return a builder for a handle with options: namespace, socket options, listener, or another kernel} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A handle on the calling thread's current namespace. The namespace is held
     * open, so sockets the handle creates later land in the same one.
     *
     * @return the handle; close it
     * @throws NetlinkException if the namespace or the socket cannot be opened
     */
    public static Netlink open() throws NetlinkException {
        NetNs ns = NetNs.current();
        try {
            return new Netlink(NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE, defaultOptions()), ns, true);
        } catch (NetlinkException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * {@return a handle on {@code ns}; {@code ns} stays owned by the caller}
     *
     * @param ns the namespace
     * @throws NetlinkException if the socket cannot be opened in {@code ns}
     */
    public static Netlink open(NetNs ns) throws NetlinkException {
        return open(ns, defaultOptions());
    }

    /**
     * {@return a handle on {@code ns} with custom socket options}
     *
     * @param ns the namespace
     * @param options buffer sizes, timeout, listener
     * @throws NetlinkException if the socket cannot be opened in {@code ns}
     */
    public static Netlink open(NetNs ns, NetlinkSocketOptions options) throws NetlinkException {
        Objects.requireNonNull(ns, "ns");
        return new Netlink(openIn(ns, options), ns, false);
    }

    /**
     * {@return a handle on the named namespace {@code /run/netns/NAME}; closing the handle closes the namespace fd}
     *
     * @param netnsName the name under {@code /run/netns}
     * @throws NetlinkException ENOENT if there is no such namespace, or the socket cannot be opened
     */
    public static Netlink open(String netnsName) throws NetlinkException {
        NetNs ns = NetNs.open(netnsName);
        try {
            return new Netlink(openIn(ns, defaultOptions()), ns, true);
        } catch (NetlinkException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private static NetlinkSocket openIn(NetNs ns, NetlinkSocketOptions options) throws NetlinkException {
        return openIn(ns, options, NetlinkProtocol.NETLINK_ROUTE);
    }

    private static NetlinkSocket openIn(NetNs ns, NetlinkSocketOptions options, NetlinkProtocol protocol)
            throws NetlinkException {
        return ns.call(() -> NetlinkSocket.open(protocol, options));
    }

    /** {@return links: vxlan, bridge, veth, macvlan, vlan, dummy; add, get, list, set, delete} */
    public Links links() {
        return links;
    }

    /** {@return IPv4 and IPv6 interface addresses} */
    public Addresses addresses() {
        return addresses;
    }

    /** {@return routes} */
    public Routes routes() {
        return routes;
    }

    /** {@return neighbour (ARP/NDP) entries} */
    public Neighbours neighbours() {
        return neighbours;
    }

    /** {@return bridge and VXLAN forwarding database entries} */
    public FdbEntries fdb() {
        return fdb;
    }

    /** {@return nftables (NAT) in this namespace, over NETLINK_NETFILTER} */
    public Nftables nftables() {
        return nftables;
    }

    /**
     * Subscriptions to this namespace's changes: typed events with list+watch
     * and exact resync after overflow. See {@link Monitor}.
     *
     * <pre>{@code
     * try (Subscription s = nl.monitor().neighbours().fdb().subscribe()) {
     *     for (MonitorEvent e : s) { log.info("{}", e); }
     * }
     * }</pre>
     *
     * @return a new monitor configuration; nothing runs until it subscribes
     */
    public Monitor monitor() {
        return new Monitor(this);
    }

    /** {@return per-namespace sysctls (ip_forward, rp_filter, ...)} */
    public Sysctls sysctls() {
        return sysctls;
    }

    /**
     * The interface index of {@code name}; ENODEV (as {@link NetlinkException})
     * when there is no such link.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @return the index
     * @throws NetlinkException ENODEV when there is no such link
     */
    public int ifindex(String name) throws NetlinkException {
        LinkName.validate("link name", name);
        LinkCache cache = linkCache;
        if (cache != null) {
            int cached = cache.trustedIndex(name);
            if (cached >= 0) {
                return cached;
            }
            if (cached == LinkCache.ABSENT) {
                throw new NetlinkException(jnr.constants.platform.Errno.ENODEV.intValue(), "link " + name,
                        "no link named " + name + " in this namespace", -1);
            }
        }
        // SIOCGIFINDEX on the route socket (what if_nametoindex does): one syscall in the
        // socket's namespace instead of an RTM_GETLINK round trip that makes the kernel
        // fill in the whole link message.
        int index = route.interfaceIndex(name);
        if (index < 0) {
            throw new NetlinkException(jnr.constants.platform.Errno.ENODEV.intValue(), "link " + name,
                    "no link named " + name + " in this namespace", -1);
        }
        return index;
    }

    /**
     * This namespace's link cache, started on first call: from then on the
     * handle resolves link names (and the names a dump needs) from memory
     * whenever the cache can vouch that it is current, and asks the kernel
     * otherwise. Closed with the handle, or by {@link LinkCache#close()}.
     *
     * @return the cache
     * @throws NetlinkException if its sockets cannot be opened or the first dump fails
     */
    public LinkCache linkCache() throws NetlinkException {
        LinkCache c = linkCache;
        if (c == null) {
            synchronized (this) {
                c = linkCache;
                if (c == null) {
                    c = LinkCache.start(this);
                    linkCache = c;
                }
            }
        }
        return c;
    }

    void linkCacheClosed(LinkCache c) {
        synchronized (this) {
            if (linkCache == c) {
                linkCache = null;
            }
        }
    }

    /** Every link's name by index if the link cache is on and current, else null. */
    java.util.Map<Integer, String> cachedLinkNames() throws NetlinkException {
        LinkCache c = linkCache;
        return c == null ? null : c.trustedNames();
    }

    /** The NETLINK_NETFILTER socket of this namespace, opened on first use. */
    NetlinkSocket netfilterSocket() throws NetlinkException {
        NetlinkSocket s = netfilter;
        if (s == null) {
            synchronized (this) {
                s = netfilter;
                if (s == null) {
                    NetlinkSocketOptions o = NetlinkSocketOptions.builder().describer(NftDescriber.INSTANCE)
                            .listener(listener).build();
                    s = kernel != null
                            ? NetlinkSocket.over(kernel.open(NetlinkProtocol.NETLINK_NETFILTER), o)
                            : openIn(namespace, o, NetlinkProtocol.NETLINK_NETFILTER);
                    netfilter = s;
                }
            }
        }
        return s;
    }

    /**
     * The namespace this handle works in (held open while the handle is), or
     * {@code null} for a handle on a {@link Builder#kernel kernel endpoint}.
     *
     * @return the namespace, or null
     */
    public NetNs namespace() {
        return namespace;
    }

    String sysctl(String key) throws IOException {
        return kernel != null ? kernel.sysctl(key) : namespace.sysctl(key);
    }

    void sysctl(String key, String value) throws IOException {
        if (kernel != null) {
            kernel.sysctl(key, value);
        } else {
            namespace.sysctl(key, value);
        }
    }

    /**
     * The rtnetlink socket, for the services of this package; tests and tools reach it
     * through {@link RawAccess#socket}.
     */
    NetlinkSocket socket() {
        return route;
    }

    /** A cleared writer from this handle's pool; give it back with {@link #release}. */
    MessageWriter writer() {
        // One spare first: a request by request caller takes and returns the same writer,
        // and a queue offer would allocate a node every time.
        MessageWriter w = spareWriter.getAndSet(null);
        if (w == null) {
            w = writers.poll();
        }
        return w != null ? w.clear() : new MessageWriter(1024);
    }

    void release(MessageWriter w) {
        w.clear();
        if (!spareWriter.compareAndSet(null, w) && writers.size() < 8) {
            writers.offer(w);
        }
    }

    /** Closes the socket (and the namespace fd if this handle opened it). Idempotent. */
    @Override
    public void close() {
        LinkCache c = linkCache;
        if (c != null) {
            c.close();
        }
        route.close();
        NetlinkSocket nf = netfilter;
        if (nf != null) {
            nf.close();
        }
        if (ownsNamespace && namespace != null) {
            namespace.close();
        }
    }

    /** {@return the VNI filter tables of external vxlan devices ({@code bridge vni})} */
    public VniFilters vniFilters() {
        return new VniFilters(this);
    }

    /** {@return the ids this namespace gives other namespaces ({@code ip netns set|list-id})} */
    public NetnsIds netnsIds() {
        return new NetnsIds(this);
    }

    /** {@return bridge VLAN filtering: membership, tunnel maps, per-VLAN and global options ({@code bridge vlan})} */
    public BridgeVlans bridgeVlans() {
        return new BridgeVlans(this);
    }

    /**
     * Options of a handle; {@link #open()} opens it.
     *
     * <pre>{@code
     * Netlink nl = Netlink.builder()
     *     .namespace(ns)                       // default: the calling thread's namespace
     *     .socketOptions(NetlinkSocketOptions.builder().timeoutMillis(5_000).build())
     *     .listener(new NetlinkListener() { ... })
     *     .open();
     * }</pre>
     */
    public static final class Builder {
        private NetNs namespace;
        private KernelEndpoint kernel;
        private NetlinkSocketOptions socketOptions;
        private NetlinkListener listener;

        private Builder() {}

        /**
         * The namespace to work in, owned by the caller. Default: the calling thread's.
         *
         * @param ns the namespace
         * @return this builder
         */
        public Builder namespace(NetNs ns) {
            this.namespace = Objects.requireNonNull(ns, "namespace");
            return this;
        }

        /**
         * Talk to {@code kernel} instead of a namespace, e.g. the test kit's
         * fake kernel. Excludes {@link #namespace}.
         *
         * @param kernel the kernel to talk to
         * @return this builder
         */
        public Builder kernel(KernelEndpoint kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        /**
         * Options of the rtnetlink socket. Default: the library's defaults with
         * a describer that names routing requests in errors.
         *
         * @param options the socket options
         * @return this builder
         */
        public Builder socketOptions(NetlinkSocketOptions options) {
            this.socketOptions = Objects.requireNonNull(options, "socketOptions");
            return this;
        }

        /**
         * Told about every message the handle's sockets (rtnetlink and
         * nftables) exchange. Default: none, which costs nothing. Replaces a
         * listener set in {@link #socketOptions}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(NetlinkListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Opens the handle.
         *
         * @return the open handle
         * @throws NetlinkException if a socket cannot be opened
         * @throws IllegalStateException if both a namespace and a kernel were given
         */
        public Netlink open() throws NetlinkException {
            if (kernel != null && namespace != null) {
                throw new IllegalStateException("namespace and kernel exclude each other");
            }
            NetlinkSocketOptions base = socketOptions != null ? socketOptions : defaultOptions();
            NetlinkListener l = listener != null ? listener : base.listener();
            NetlinkSocketOptions o = base.toBuilder().listener(l).build();
            if (kernel != null) {
                return new Netlink(NetlinkSocket.over(kernel.open(NetlinkProtocol.NETLINK_ROUTE), o), null, false,
                        kernel, l);
            }
            if (namespace != null) {
                return new Netlink(openIn(namespace, o), namespace, false, null, l);
            }
            NetNs ns = NetNs.current();
            try {
                return new Netlink(NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE, o), ns, true, null, l);
            } catch (NetlinkException | RuntimeException e) {
                ns.close();
                throw e;
            }
        }
    }
}
