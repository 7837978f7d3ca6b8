package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * IPv4 and IPv6 routes of one namespace ({@code ip route}). Obtain it from
 * {@link Netlink#routes()}.
 *
 * <pre>{@code
 * nl.routes().add(Route.builder().dst("default").via("10.233.0.1").build());
 * nl.routes().replace(Route.builder().dst("10.9.0.0/24").via("10.233.0.5").dev("br0").metric(100).build());
 * List<Route> main = nl.routes().list();                     // main table, IPv4 and IPv6
 * List<Route> t1000 = nl.routes().list(null, 1000);          // table 1000
 * List<Route> all = nl.routes().list("br0", Routes.ALL_TABLES);
 * BulkResult<Route> r = nl.routes().addAll(manyRoutes, AckMode.EACH); // batched, one outcome each
 * }</pre>
 */
public final class Routes {
    /** Table filter meaning "every table" (RT_TABLE_UNSPEC). */
    public static final int ALL_TABLES = 0;

    private final Netlink nl;

    Routes(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Adds {@code r}; EEXIST if the same route (dst, table, metric, tos) exists.
     *
     * @param r the route
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(Route r) throws NetlinkException {
        modify(RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, r);
    }

    /**
     * Adds {@code r} or replaces the existing route with its key: idempotent.
     *
     * @param r the route
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void replace(Route r) throws NetlinkException {
        modify(RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, r);
    }

    /**
     * Makes the kernel have {@code r}: no route with its key (destination,
     * table, metric) is added (CREATED); one with every field {@code r} sets
     * already so sends nothing (UNCHANGED); otherwise one replace updates it
     * (CHANGED). Protocol and type compare against the kernel's defaults
     * (boot, unicast) when unset; an IPv6 route's scope is not compared (the
     * kernel ignores it).
     *
     * <pre>{@code
     * nl.routes().ensure(Route.builder().dst("10.9.0.0/24").via("10.233.0.5").build());
     * }</pre>
     *
     * @param r the route
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(Route r) throws NetlinkException {
        Objects.requireNonNull(r, "route");
        int oif = r.index() != null ? r.index() : r.dev() != null ? nl.ifindex(r.dev()) : 0;
        Route found = null;
        for (Route have : list(null, r.table() == null ? RtNetlink.RT_TABLE_MAIN : r.table())) {
            if (EnsureDiffs.sameKey(r, have)) {
                found = have;
                break;
            }
        }
        if (found == null) {
            add(r);
            return EnsureResult.CREATED;
        }
        if (EnsureDiffs.differences(r, found, oif).isEmpty()) {
            return EnsureResult.UNCHANGED;
        }
        replace(r);
        return EnsureResult.CHANGED;
    }


    /**
     * Deletes the route matching {@code r}'s set fields; ESRCH if there is none.
     *
     * @param r the route; its set fields select what is deleted
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(Route r) throws NetlinkException {
        modify(RtNetlink.RTM_DELROUTE, 0, r);
    }

    /**
     * Adds every route (NLM_F_EXCL) in batched sendmsgs; each route gets its own outcome.
     *
     * @param routes the routes
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<Route> addAll(List<Route> routes, AckMode mode) throws NetlinkException {
        return bulk(routes, mode, RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
    }

    /**
     * Adds or replaces every route in batched sendmsgs.
     *
     * @param routes the routes
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<Route> replaceAll(List<Route> routes, AckMode mode) throws NetlinkException {
        return bulk(routes, mode, RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE);
    }

    /**
     * Deletes every route in batched sendmsgs.
     *
     * @param routes the routes
     * @param mode whether every request or only the last of each sendmsg asks for an ack
     * @return the outcome of each entry, in input order
     * @throws NetlinkException if the exchange itself fails; refusals of single entries are in the result
     */
    public BulkResult<Route> deleteAll(List<Route> routes, AckMode mode) throws NetlinkException {
        return bulk(routes, mode, RtNetlink.RTM_DELROUTE, 0);
    }

    private BulkResult<Route> bulk(List<Route> routes, AckMode mode, int type, int flags) throws NetlinkException {
        return Bulk.run(nl, routes, mode, KEY, (w, r, oif) -> {
            RouteCodec.encode(w, type, flags, r, oif);
        });
    }

    private static final Bulk.Key<Route> KEY = new Bulk.Key<>() {
        @Override
        public Integer index(Route r) {
            return r.index();
        }

        @Override
        public String name(Route r) {
            return r.dev();
        }
    };

    private void modify(int type, int flags, Route r) throws NetlinkException {
        Objects.requireNonNull(r, "route");
        int oif = r.index() != null ? r.index() : r.dev() != null ? nl.ifindex(r.dev()) : 0;
        MessageWriter w = nl.writer();
        try {
            RouteCodec.encode(w, type, flags, r, oif);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /**
     * The route the kernel would use to reach {@code destination}, as
     * {@code ip route get} shows it: a host route (/32 or /128) with the
     * chosen device, gateway, preferred source and table. ENETUNREACH (as a
     * NetlinkException) when nothing reaches it.
     *
     * <pre>{@code
     * Route r = nl.routes().lookup("172.16.1.12"); // r.dev() "eth1", r.src() 172.16.1.11
     * }</pre>
     *
     * @param destination an IPv4 or IPv6 address
     * @return the route the kernel chose
     * @throws NetlinkException if the kernel has no route (ENETUNREACH) or refuses the lookup
     */
    public Route lookup(String destination) throws NetlinkException {
        InetAddress dst = Ip.parse("destination", destination);
        Route[] out = new Route[1];
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            RouteCodec.encodeLookup(w, dst);
            nl.socket().request(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWROUTE) {
                    out[0] = RouteCodec.decode(m, i -> null, a);
                }
            });
        } finally {
            nl.release(w);
        }
        if (out[0] == null) {
            throw new NetlinkException("RTM_GETROUTE " + destination, "kernel acknowledged without a route");
        }
        Route r = out[0];
        // Names are resolved after the exchange: no request may be sent from inside a reply handler.
        return r.index() == null ? r : r.toBuilder().dev(nl.links().get(r.index()).name()).build();
    }

    /**
     * Routes of the main table, IPv4 and IPv6.
     *
     * @return the routes
     * @throws NetlinkException if the dump fails
     */
    public List<Route> list() throws NetlinkException {
        return list(null, null);
    }

    /**
     * Routes of the main table through {@code dev}.
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @return the routes
     * @throws NetlinkException if the dump fails
     */
    public List<Route> list(String dev) throws NetlinkException {
        return list(dev, null);
    }

    /**
     * Routes filtered by the kernel: {@code dev} null for every device;
     * {@code table} null for main, {@link #ALL_TABLES} for every table.
     *
     * @param dev the link's name, or null for every link
     * @param table the routing table (1..4294967295), null for main, or {@link #ALL_TABLES}
     * @return the routes
     * @throws NetlinkException if the dump fails
     */
    public List<Route> list(String dev, Long table) throws NetlinkException {
        checkTable(table);
        LinkIndex links = new LinkIndex(nl);
        int oif = prepare(links, dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(oif, table);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWROUTE
                    ? RouteCodec.decode(m, links::name, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /**
     * As {@link #list(String, Long)}.
     *
     * @param dev the link's name, or null for every link
     * @param table the routing table (1..4294967295), or {@link #ALL_TABLES}
     * @return the routes
     * @throws NetlinkException if the dump fails
     */
    public List<Route> list(String dev, long table) throws NetlinkException {
        return list(dev, Long.valueOf(table));
    }

    /**
     * Streams routes (same filters as {@link #list(String, Long)}) to
     * {@code action} one message at a time; the action must not use this handle.
     *
     * @param dev the link's name, or null for every link
     * @param table the routing table, null for main, or {@link #ALL_TABLES}
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(String dev, Long table, Consumer<? super Route> action) throws NetlinkException {
        checkTable(table);
        LinkIndex links = new LinkIndex(nl);
        int oif = prepare(links, dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(oif, table);
        try {
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWROUTE) {
                    Route r = RouteCodec.decode(m, links::name, a);
                    if (r != null) {
                        action.accept(r);
                    }
                }
            });
        } finally {
            nl.release(w);
        }
    }

    /**
     * As {@link #forEach(String, Long, Consumer)}.
     *
     * @param dev the link's name, or null for every link
     * @param table the routing table (1..4294967295), or {@link #ALL_TABLES}
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(String dev, long table, Consumer<? super Route> action) throws NetlinkException {
        forEach(dev, Long.valueOf(table), action);
    }

    private static void checkTable(Long table) {
        if (table != null && table != ALL_TABLES) {
            Attrs.requireU32("table", table);
        }
    }

    private static int prepare(LinkIndex links, String dev) throws NetlinkException {
        links.loadAll();
        if (dev == null) {
            return 0;
        }
        LinkName.validate("dev", dev);
        return links.index(dev);
    }

    private MessageWriter dumpRequest(int oif, Long table) {
        MessageWriter w = nl.writer();
        RouteCodec.encodeDump(w, AddressFamily.AF_UNSPEC, table == null ? RtNetlink.RT_TABLE_MAIN : (int) (long) table, oif);
        return w;
    }
}
