package dev.overlaynet;

import dev.overlaynet.netlink.DumpInterruptedException;
import dev.overlaynet.netlink.internal.EventSocket;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.nftables.NftMessages;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.route.RouteDescriber;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind a {@link Subscription}: per event socket one reader
 * thread that only moves datagrams into a bounded buffer, and one engine
 * thread that decodes them, keeps the {@link MonitorView}, runs the
 * list+watch protocol and the resyncs, and hands events to the consumer.
 * Both are platform threads that never change namespace (the sockets were
 * created in the handle's namespace by {@link NetNs#call}).
 *
 * <p>Resync protocol (also the initial list): (1) send a barrier (NLMSG_NOOP
 * with NLM_F_ACK) on each event socket and discard events until its ack:
 * the kernel accepted the ack, so its socket was not congested then and any
 * later loss is reported by a new ENOBUFS; (2) dump on separate request
 * sockets while keeping, per object key, the last event that arrives;
 * (3) send a second barrier and keep collecting until its ack: every
 * notification of a change made before the dump ended is now in hand;
 * (4) the new view is the dump with those last events applied on top, and
 * the consumer gets the difference to what it had. A loss during (2) or (3)
 * starts over.
 */
final class MonitorEngine {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorEngine.class);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long BARRIER_RESEND_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int DUMP_DRAIN_EVERY = 128;

    /** A datagram, a loss marker (marker != null), or the reader's failure (both null). */
    private record Raw(int source, byte[] data, int nsid, Resync.Reason marker) {}

    private record Pending(MonitorCodec.Item item, byte[] message, MonitorCodec.NftScope scope) {}

    private final Monitor config;
    private final Subscription subscription;
    private final int id = IDS.incrementAndGet();
    private final Set<MonitorTopic> topics;
    private final boolean rtnl;
    private final boolean nft;
    private final ArrayBlockingQueue<Raw> raw;
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong bufferDrops = new AtomicLong();
    private final AtomicLong forged = new AtomicLong();
    private final MonitorCodec codec = MonitorCodec.create();
    private final EventSocket[] sockets = new EventSocket[2];
    private final Thread[] readers = new Thread[2];
    private NetlinkSocket routeRequests;
    private NetlinkSocket nftRequests;
    private Thread engine;
    private volatile boolean stopping;
    private volatile Throwable readerFailure;

    // Engine thread only.
    private MonitorView view = new MonitorView();
    private final int[] barrierSeq = new int[2];
    private final boolean[] acked = new boolean[2];
    private int nextBarrier = 1;
    private final LinkedHashMap<Object, Pending> pending = new LinkedHashMap<>();
    private boolean lostDuringSync;
    private Resync.Reason lossReason;

    MonitorEngine(Monitor config, Subscription subscription) {
        this.config = config;
        this.subscription = subscription;
        this.topics = config.topicSet();
        this.nft = topics.contains(MonitorTopic.NAT_RULE);
        this.rtnl = topics.stream().anyMatch(t -> t != MonitorTopic.NAT_RULE);
        this.raw = new ArrayBlockingQueue<>(config.buffer());
    }

    private int[] routeGroups() {
        List<Integer> g = new ArrayList<>();
        g.add(RtNetlink.RTNLGRP_LINK); // always: names, kinds, and what a removed link takes with it
        if (topics.contains(MonitorTopic.ADDRESS)) {
            g.add(RtNetlink.RTNLGRP_IPV4_IFADDR);
            g.add(RtNetlink.RTNLGRP_IPV6_IFADDR);
        }
        if (topics.contains(MonitorTopic.ROUTE)) {
            g.add(RtNetlink.RTNLGRP_IPV4_ROUTE);
            g.add(RtNetlink.RTNLGRP_IPV6_ROUTE);
        }
        if (topics.contains(MonitorTopic.NEIGH) || topics.contains(MonitorTopic.FDB)) {
            g.add(RtNetlink.RTNLGRP_NEIGH);
        }
        return g.stream().mapToInt(Integer::intValue).toArray();
    }

    void start() throws NetlinkException {
        NetNs ns = config.handle().namespace();
        boolean all = config.followsAllNamespaces();
        int rcv = config.receiveBuffer();
        try {
            if (rtnl) {
                int[] groups = routeGroups();
                sockets[0] = inNamespace(ns, () -> EventSocket.open(NetlinkProtocol.NETLINK_ROUTE, groups, rcv, all));
                routeRequests = inNamespace(ns, () -> NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE,
                        NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE).build()));
            }
            if (nft) {
                sockets[1] = inNamespace(ns, () -> EventSocket.open(NetlinkProtocol.NETLINK_NETFILTER,
                        new int[] {NfNetlink.NFNLGRP_NFTABLES}, rcv, all));
                nftRequests = inNamespace(ns, () -> NetlinkSocket.open(NetlinkProtocol.NETLINK_NETFILTER,
                        NetlinkSocketOptions.builder().describer(NftDescriber.INSTANCE).build()));
            }
        } catch (NetlinkException | RuntimeException e) {
            closeSockets();
            throw e;
        }
        for (int s = 0; s < 2; s++) {
            if (sockets[s] != null) {
                int source = s;
                readers[s] = new Thread(() -> read(source), "overlaynet-monitor-" + id + "-reader-" + s);
                readers[s].setDaemon(true);
                readers[s].start();
            }
        }
        engine = new Thread(this::run, "overlaynet-monitor-" + id);
        engine.setDaemon(true);
        engine.start();
    }

    private interface Opener<T> {
        T open() throws NetlinkException;
    }

    private static <T> T inNamespace(NetNs ns, Opener<T> opener) throws NetlinkException {
        try {
            return ns.call(opener::open);
        } catch (NetlinkException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new NetlinkException("monitor open in " + ns, e.toString());
        }
    }

    long overruns() {
        return overruns.get();
    }

    long bufferDrops() {
        return bufferDrops.get();
    }

    long forged() {
        return forged.get();
    }

    void requestResync() {
        int source = sockets[0] != null ? 0 : 1;
        // Waits for room: the request must not be lost, and the engine drains the buffer.
        try {
            while (!stopping && !raw.offer(new Raw(source, null, -1, Resync.Reason.REQUESTED), 100,
                    TimeUnit.MILLISECONDS)) {
                Thread.onSpinWait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int eventPortId() {
        return sockets[0] == null ? 0 : sockets[0].portId();
    }

    int receiveBufferBytes() {
        EventSocket s = sockets[0] != null ? sockets[0] : sockets[1];
        return s == null ? 0 : s.receiveBufferBytes();
    }

    // ---- reader threads: socket -> bounded buffer, never waiting on anyone ----------------

    private void read(int source) {
        EventSocket s = sockets[source];
        Resync.Reason owed = null; // a loss marker that did not fit yet; it must precede later data
        try {
            while (!stopping) {
                int n = s.read();
                if (n == EventSocket.WOKEN) {
                    continue;
                }
                if (n == EventSocket.OVERRUN) {
                    overruns.incrementAndGet();
                    owed = Resync.Reason.KERNEL_OVERRUN;
                    if (raw.offer(new Raw(source, null, -1, owed))) {
                        owed = null;
                    }
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (s.sender(i) != 0) {
                        forged.incrementAndGet();
                        LOG.debug("monitor dropped a {}-byte datagram from port {} (not the kernel)", s.length(i),
                                s.sender(i));
                        continue;
                    }
                    if (owed != null) {
                        if (!raw.offer(new Raw(source, null, -1, owed))) {
                            bufferDrops.incrementAndGet();
                            continue;
                        }
                        owed = null;
                    }
                    if (!raw.offer(new Raw(source, s.datagram(i), s.nsid(i), null))) {
                        bufferDrops.incrementAndGet();
                        owed = Resync.Reason.BUFFER_FULL;
                    }
                }
            }
        } catch (Throwable t) {
            if (!stopping) {
                readerFailure = t;
                raw.clear();
                raw.offer(new Raw(source, null, -1, null));
            }
        }
    }

    // ---- engine thread ---------------------------------------------------------------------

    private void run() {
        Throwable failure = null;
        try {
            sync(Resync.Reason.INITIAL);
            while (!stopping) {
                Raw r = raw.take();
                if (r.marker() != null) {
                    sync(r.marker());
                } else if (r.data() == null) {
                    throw readerFailure;
                } else {
                    live(r);
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Throwable t) {
            if (!stopping) {
                failure = t;
            }
        } finally {
            if (!stopping) {
                stopping = true;
                for (EventSocket s : sockets) {
                    if (s != null) {
                        s.shutdown();
                    }
                }
            }
            subscription.ended(failure);
        }
    }

    private void emit(MonitorEvent e) {
        if (config.wants(e, view)) {
            try {
                subscription.deliver(e);
            } catch (InterruptedException x) {
                throw new Stop();
            }
        }
    }

    /** Unwinds the engine out of a callback (view, dump handler) when the subscription closes. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private void live(Raw r) {
        MessageReader m = MessageReader.of(r.data());
        while (m.next()) {
            if (m.type() < Nlmsg.NLMSG_MIN_TYPE) {
                continue; // a late barrier ack
            }
            try {
                if (r.nsid() >= 0) {
                    foreign(m, r.nsid());
                    continue;
                }
                Object d = codec.decode(m, view::name, view);
                if (d instanceof MonitorCodec.Item item) {
                    view.apply(item, this::emit);
                } else if (d instanceof MonitorCodec.NftScope scope) {
                    view.removeRules(scope, this::emit);
                }
            } catch (NetlinkDecodeException | IllegalArgumentException e) {
                LOG.warn("monitor skipped an undecodable notification (type {}): {}", m.type(), e.getMessage());
            }
        }
    }

    /** An event of another namespace: passed through, with no view to compare with. */
    private void foreign(MessageReader m, int nsid) {
        boolean removal = m.type() == RtNetlink.RTM_DELLINK || m.type() == NftMessages.type(NfTablesUapi.NFT_MSG_DELRULE);
        MessageReader decodeFrom = m;
        if (removal) {
            // The removal carries the object's last state: decode it as the matching NEW message.
            byte[] copy = copyOf(m);
            int newType = m.type() == RtNetlink.RTM_DELLINK ? RtNetlink.RTM_NEWLINK
                    : NftMessages.type(NfTablesUapi.NFT_MSG_NEWRULE);
            copy[4] = (byte) newType;
            copy[5] = (byte) (newType >>> 8);
            decodeFrom = MessageReader.of(copy);
            decodeFrom.next();
        }
        Object d = codec.decode(decodeFrom, i -> null, NameResolver.NONE);
        if (d instanceof MonitorCodec.Item item && item.value() != null) {
            boolean del = removal || item.removal();
            emit(new MonitorEvent(del ? MonitorEvent.Type.REMOVED : MonitorEvent.Type.ADDED, item.topic(),
                    item.value(), null, nsid, false, null));
        }
    }

    private static byte[] copyOf(MessageReader m) {
        byte[] b = new byte[m.length()];
        m.buffer().get(m.offset(), b);
        return b;
    }

    // ---- list+watch and resync -----------------------------------------------------------------

    private void sync(Resync.Reason reason) throws InterruptedException, NetlinkException {
        Instant startedAt = Instant.now();
        long t0 = System.nanoTime();
        int attempts = 0;
        for (;;) {
            attempts++;
            pending.clear();
            lostDuringSync = false;
            barriers(true);
            MonitorView next = dump();
            if (next == null || lostDuringSync) {
                LOG.debug("monitor {}: events lost during the resync dump, starting over", id);
                continue;
            }
            if (!barriers(false)) {
                continue;
            }
            merge(next);
            boolean show = reason != Resync.Reason.INITIAL || config.deliversSnapshot();
            MonitorView before = view;
            int[] counts = before.replaceWith(next, show ? this::emitSynthetic : e -> { });
            Resync r = new Resync(reason, startedAt, Duration.ofNanos(System.nanoTime() - t0), view.size(),
                    counts[0], counts[1], counts[2], attempts);
            if (reason != Resync.Reason.INITIAL) {
                LOG.info("monitor {} resynced: {}", id, r);
            }
            subscription.resynced(r);
            Consumer<Resync> l = config.resyncListener();
            if (l != null) {
                try {
                    l.accept(r);
                } catch (RuntimeException e) {
                    LOG.warn("onResync listener threw: {}", e.toString());
                }
            }
            emit(MonitorEvent.synced(r));
            return;
        }
    }

    private void emitSynthetic(MonitorEvent e) {
        emit(e);
    }

    /**
     * Sends a barrier on each event socket and reads until every one is
     * acknowledged. With {@code discard} the events read meanwhile are
     * dropped (they precede the point from which the stream is known
     * complete) and a loss only sends a fresh barrier; otherwise they are
     * kept in {@link #pending} and a loss fails the round (returns false).
     */
    private boolean barriers(boolean discard) throws InterruptedException, NetlinkException {
        for (int s = 0; s < 2; s++) {
            acked[s] = sockets[s] == null;
            if (sockets[s] != null) {
                sendBarrier(s);
            }
        }
        long sentAt = System.nanoTime();
        while (!(acked[0] && acked[1])) {
            if (stopping) {
                throw new InterruptedException("closing");
            }
            Raw r = raw.poll(200, TimeUnit.MILLISECONDS);
            if (r == null) {
                if (System.nanoTime() - sentAt > BARRIER_RESEND_NANOS) {
                    // The ack can be dropped while the socket is congested; ask again.
                    for (int s = 0; s < 2; s++) {
                        if (!acked[s]) {
                            sendBarrier(s);
                        }
                    }
                    sentAt = System.nanoTime();
                }
                continue;
            }
            if (r.marker() != null) {
                if (!discard) {
                    return false;
                }
                sendBarrier(r.source()); // only an ack accepted after the loss counts
                acked[r.source()] = false;
                sentAt = System.nanoTime();
                continue;
            }
            if (r.data() == null) {
                throw new NetlinkException("monitor reader", String.valueOf(readerFailure));
            }
            collect(r, discard);
        }
        return true;
    }

    private void sendBarrier(int source) throws NetlinkException {
        int seq = nextBarrier++;
        if (nextBarrier == 0) {
            nextBarrier = 1;
        }
        barrierSeq[source] = seq;
        MessageWriter w = new MessageWriter(32);
        int m = w.begin(Nlmsg.NLMSG_NOOP, Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_ACK);
        w.end(m);
        w.buffer().putInt(8, seq);
        sockets[source].send(w);
    }

    /** Handles one datagram during a sync: barrier acks, foreign events, and (unless discarding) pending events. */
    private void collect(Raw r, boolean discard) {
        MessageReader m = MessageReader.of(r.data());
        int port = sockets[r.source()].portId();
        while (m.next()) {
            if (m.type() == Nlmsg.NLMSG_ERROR) {
                if (m.portId() == port && m.seq() == barrierSeq[r.source()]) {
                    acked[r.source()] = true;
                }
                continue;
            }
            if (m.type() < Nlmsg.NLMSG_MIN_TYPE) {
                continue;
            }
            try {
                if (r.nsid() >= 0) {
                    foreign(m, r.nsid());
                } else if (!discard) {
                    Object d = codec.decode(m, i -> null, NameResolver.NONE);
                    if (d instanceof MonitorCodec.Item item) {
                        Object key = List.of(item.topic(), item.key());
                        pending.remove(key); // re-insert at the end: apply in the order of each key's last event
                        pending.put(key, new Pending(item, item.topic() == MonitorTopic.LINK ? copyOf(m) : null, null));
                    } else if (d instanceof MonitorCodec.NftScope scope) {
                        pending.remove(scope);
                        pending.put(scope, new Pending(null, null, scope));
                    }
                }
            } catch (NetlinkDecodeException | IllegalArgumentException e) {
                LOG.warn("monitor skipped an undecodable notification (type {}): {}", m.type(), e.getMessage());
            }
        }
    }

    /** Takes what the readers have queued into {@link #pending}, without waiting (called between dump messages). */
    private void drainDuringDump() {
        Raw r;
        while ((r = raw.poll()) != null) {
            if (r.marker() != null) {
                lostDuringSync = true;
                lossReason = r.marker();
                continue;
            }
            if (r.data() == null) {
                lostDuringSync = true;
                raw.offer(r); // the reader failed: let the engine loop see it
                return;
            }
            collect(r, false);
        }
    }

    /** Dumps every watched topic into a fresh view; null when the kernel interrupted a dump. */
    private MonitorView dump() throws NetlinkException {
        MonitorView next = new MonitorView();
        int[] seen = {0};
        try {
            if (rtnl) {
                dumpLinks(next, seen);
                Map<Object, Object> links = next.map(MonitorTopic.LINK);
                if (topics.contains(MonitorTopic.ADDRESS)) {
                    MessageWriter w = new MessageWriter(64);
                    AddressCodec.encodeDump(w, 0);
                    dumpInto(routeRequests, w, next, seen);
                }
                if (topics.contains(MonitorTopic.ROUTE)) {
                    MessageWriter w = new MessageWriter(64);
                    RouteCodec.encodeDump(w, AddressFamily.AF_UNSPEC, 0, 0);
                    dumpInto(routeRequests, w, next, seen);
                }
                if (topics.contains(MonitorTopic.NEIGH)) {
                    MessageWriter w = new MessageWriter(64);
                    NeighCodec.encodeDump(w, 0, false);
                    dumpInto(routeRequests, w, next, seen);
                }
                if (topics.contains(MonitorTopic.FDB)) {
                    MessageWriter w = new MessageWriter(64);
                    FdbCodec.encodeDump(w, 0, 0);
                    dumpInto(routeRequests, w, next, seen);
                }
                assert links != null;
            }
            if (nft) {
                MessageWriter w = new MessageWriter(64);
                NftMessages.getRules(w, Netfilter.NFPROTO_UNSPEC, null, null);
                dumpInto(nftRequests, w, next, seen);
            }
        } catch (DumpInterruptedException e) {
            return null;
        }
        return next;
    }

    private void dumpLinks(MonitorView next, int[] seen) throws NetlinkException {
        MessageWriter w = new MessageWriter(64);
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS).end(m);
        List<byte[]> messages = new ArrayList<>();
        Map<Integer, String> names = new HashMap<>();
        routeRequests.dump(w, msg -> {
            Object d = codec.decode(msg, i -> null, NameResolver.NONE);
            if (d instanceof MonitorCodec.Item item && item.value() instanceof Link l) {
                names.put(item.index(), l.name());
                messages.add(copyOf(msg));
            }
            tick(seen);
        });
        // Again with every name known: a port can precede its bridge in the dump.
        NameResolver byName = resolver(names);
        for (byte[] b : messages) {
            MessageReader r = MessageReader.of(b);
            r.next();
            MonitorCodec.Item item = (MonitorCodec.Item) codec.decode(r, names::get, byName);
            next.map(MonitorTopic.LINK).put(item.key(), item.value());
        }
    }

    private static NameResolver resolver(Map<Integer, String> names) {
        return new NameResolver() {
            @Override
            public int ifindex(String name) {
                throw new IllegalStateException("not used when decoding");
            }

            @Override
            public String name(int index) {
                return names.get(index);
            }
        };
    }

    private void dumpInto(NetlinkSocket socket, MessageWriter w, MonitorView next, int[] seen) throws NetlinkException {
        socket.dump(w, msg -> {
            Object d = codec.decode(msg, next::name, next);
            if (d instanceof MonitorCodec.Item item && !item.removal() && item.value() != null) {
                next.map(item.topic()).put(item.key(), item.value());
            }
            tick(seen);
        });
    }

    private void tick(int[] seen) {
        if (++seen[0] % DUMP_DRAIN_EVERY == 0) {
            drainDuringDump();
        }
    }

    /** Applies each key's last event seen since the first barrier on top of the dump. */
    private void merge(MonitorView next) {
        Consumer<MonitorEvent> ignore = e -> { };
        for (Pending p : pending.values()) {
            if (p.scope() != null) {
                next.removeRules(p.scope(), ignore);
                continue;
            }
            MonitorCodec.Item item = p.item();
            if (p.message() != null) {
                MessageReader r = MessageReader.of(p.message());
                r.next();
                Object d = codec.decode(r, next::name, next);
                if (d instanceof MonitorCodec.Item again) {
                    item = again;
                }
            }
            next.apply(item, ignore);
        }
        pending.clear();
        if (rtnl) {
            next.relabelAll();
        }
    }

    // ---- close ---------------------------------------------------------------------------------

    void stop() {
        stopping = true;
        for (EventSocket s : sockets) {
            if (s != null) {
                s.shutdown();
            }
        }
        Thread self = Thread.currentThread();
        if (engine != null && engine != self) {
            engine.interrupt();
        }
        for (Thread t : readers) {
            join(t, self);
        }
        join(engine, self);
        closeSockets();
    }

    private static void join(Thread t, Thread self) {
        if (t == null || t == self) {
            return;
        }
        try {
            t.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("monitor thread {} did not stop within 30 s", t.getName());
        }
    }

    private synchronized void closeSockets() {
        for (int s = 0; s < 2; s++) {
            boolean readerGone = readers[s] == null || !readers[s].isAlive();
            if (sockets[s] != null && readerGone) {
                sockets[s].close();
            }
        }
        if (routeRequests != null) {
            routeRequests.close();
        }
        if (nftRequests != null) {
            nftRequests.close();
        }
    }
}
