package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Directory} inside one JVM: the embedded default for the demo,
 * simulations of several hosts in one process, and tests. It keeps the same
 * keys and text records as the etcd directory, with revisions and leases, so
 * both behave alike; but it lives and dies with the JVM, so a lease ends only
 * when closed (or {@link #expire expired} by a test standing in for a crash).
 *
 * <pre>{@code
 * InMemoryDirectory dir = new InMemoryDirectory("demo");
 * dir.ensureSpec(overlay);
 * HostLease h1 = dir.register(new HostRecord("h1", underlay1, mac1), Directory.DEFAULT_TTL);
 * }</pre>
 */
public final class InMemoryDirectory implements Directory {
    private final String overlay;
    private final KeyLayout keys;
    private final Object lock = new Object();
    private final TreeMap<String, Stored> data = new TreeMap<>();
    private final AtomicLong leaseIds = new AtomicLong();
    private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
    private long revision;
    private volatile boolean closed;

    private record Stored(String value, long lease) {}

    /**
     * An empty directory for overlay {@code overlayName}.
     *
     * @param overlayName the overlay's name
     */
    public InMemoryDirectory(String overlayName) {
        this.keys = KeyLayout.of("/overlaynet", overlayName);
        this.overlay = overlayName;
    }

    @Override
    public String overlayName() {
        return overlay;
    }

    /** {@return the key layout, shared with the etcd directory} */
    public KeyLayout keys() {
        return keys;
    }

    @Override
    public Overlay ensureSpec(Overlay spec) throws DirectoryException {
        Objects.requireNonNull(spec, "spec");
        String text = RecordFormat.encode(spec);
        synchronized (lock) {
            checkOpen();
            Stored s = data.get(keys.spec());
            if (s == null) {
                put(keys.spec(), text, 0);
                return spec;
            }
            if (!s.value.equals(text)) {
                throw new DirectoryException("overlay " + overlay + " already has a different spec: " + s.value);
            }
            return spec;
        }
    }

    @Override
    public HostLease register(HostRecord host, Duration ttl) throws DirectoryException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ttl, "ttl");
        long id = leaseIds.incrementAndGet();
        synchronized (lock) {
            checkOpen();
            put(keys.host(host.name()), RecordFormat.encode(host), id);
        }
        return new MemoryLease(host, id);
    }

    @Override
    public InetAddress allocate(String host) throws DirectoryException {
        HostRecord.requireValidName("host", host);
        synchronized (lock) {
            checkOpen();
            AddressPool pool = pool();
            Set<InetAddress> taken = new HashSet<>();
            for (String k : data.subMap(keys.allocations(), keys.allocations() + Character.MAX_VALUE).keySet()) {
                taken.add(Ip.parse(keys.leaf(k)));
            }
            InetAddress ip = pool.pick(taken);
            if (ip == null) {
                throw new DirectoryException("overlay " + overlay + ": no free address left");
            }
            put(keys.allocation(ip), RecordFormat.encodeAllocation(ip, host), 0);
            return ip;
        }
    }

    @Override
    public boolean claim(InetAddress ip, String host) throws DirectoryException {
        HostRecord.requireValidName("host", host);
        synchronized (lock) {
            checkOpen();
            if (!pool().allocatable(ip)) {
                throw new DirectoryException(Ip.text(ip) + " is not an allocatable address of overlay " + overlay);
            }
            String text = RecordFormat.encodeAllocation(ip, host);
            Stored s = data.get(keys.allocation(ip));
            if (s == null) {
                put(keys.allocation(ip), text, 0);
                return true;
            }
            return s.value.equals(text);
        }
    }

    @Override
    public boolean release(InetAddress ip, String host) throws DirectoryException {
        synchronized (lock) {
            checkOpen();
            Stored s = data.get(keys.allocation(ip));
            if (s == null || !s.value.equals(RecordFormat.encodeAllocation(ip, host))) {
                return false;
            }
            delete(keys.allocation(ip));
            return true;
        }
    }

    private AddressPool pool() throws DirectoryException {
        Stored s = data.get(keys.spec());
        if (s == null) {
            throw new DirectoryException("overlay " + overlay + " has no spec yet: call ensureSpec first");
        }
        try {
            return new AddressPool(RecordFormat.decodeSpec(s.value));
        } catch (MalformedRecordException e) {
            throw new DirectoryException("overlay " + overlay + ": stored spec is unusable: " + e.getMessage());
        }
    }

    @Override
    public DirectoryView view() throws DirectoryException {
        synchronized (lock) {
            checkOpen();
            ViewAssembler b = new ViewAssembler(keys);
            data.forEach((k, v) -> b.apply(k, v.value));
            return b.view(revision);
        }
    }

    @Override
    public DirectoryWatch watch(DirectoryListener listener) throws DirectoryException {
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            checkOpen();
            MemoryWatch w = new MemoryWatch(listener);
            Map<String, String> snapshot = new TreeMap<>();
            data.forEach((k, v) -> snapshot.put(k, v.value));
            w.start(snapshot, revision);
            watches.add(w);
            return w;
        }
    }

    /**
     * Writes {@code value} under {@code key} as another program would (for tests of
     * strict parsing): no validation at all.
     *
     * @param key the full key
     * @param value the raw text
     */
    public void putRaw(String key, String value) {
        synchronized (lock) {
            put(key, value, 0);
        }
    }

    /**
     * Ends the lease of {@code hostName} as a crash would: its host and endpoint records vanish.
     *
     * @param hostName the host whose lease ends
     */
    public void expire(String hostName) {
        synchronized (lock) {
            Stored h = data.get(keys.host(hostName));
            if (h != null && h.lease != 0) {
                revokeLocked(h.lease);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (MemoryWatch w : watches) {
            w.close();
        }
    }

    private void checkOpen() throws DirectoryException {
        if (closed) {
            throw new DirectoryException("directory " + overlay + " is closed");
        }
    }

    private void put(String key, String value, long lease) {
        data.put(key, new Stored(value, lease));
        revision++;
        for (MemoryWatch w : watches) {
            w.event(revision, key, value);
        }
    }

    private void delete(String key) {
        if (data.remove(key) != null) {
            revision++;
            for (MemoryWatch w : watches) {
                w.event(revision, key, null);
            }
        }
    }

    private void revokeLocked(long lease) {
        List<String> gone = new ArrayList<>();
        data.forEach((k, v) -> {
            if (v.lease == lease) {
                gone.add(k);
            }
        });
        for (String k : gone) {
            delete(k);
        }
    }

    private final class MemoryLease implements HostLease {
        private final HostRecord host;
        private final long id;
        private volatile boolean open = true;

        MemoryLease(HostRecord host, long id) {
            this.host = host;
            this.id = id;
        }

        @Override
        public HostRecord host() {
            return host;
        }

        @Override
        public void publish(EndpointRecord e) throws DirectoryException {
            if (!e.host().equals(host.name())) {
                throw new IllegalArgumentException("endpoint " + e + " belongs to host " + e.host()
                        + ", not to this lease's host " + host.name());
            }
            synchronized (lock) {
                checkAlive();
                Stored s = data.get(keys.endpoint(e.ip()));
                String text = RecordFormat.encode(e);
                if (s != null) {
                    String owner = ownerOf(s.value);
                    if (!owner.equals(host.name()) && data.containsKey(keys.host(owner))) {
                        throw new DirectoryException("endpoint " + Ip.text(e.ip()) + " is published by host " + owner);
                    }
                }
                if (s == null || !s.value.equals(text) || s.lease != id) {
                    put(keys.endpoint(e.ip()), text, id);
                }
            }
        }

        private String ownerOf(String text) {
            try {
                return RecordFormat.decodeEndpoint(text).host();
            } catch (MalformedRecordException ex) {
                return "?";
            }
        }

        @Override
        public void withdraw(InetAddress ip) throws DirectoryException {
            synchronized (lock) {
                checkAlive();
                Stored s = data.get(keys.endpoint(ip));
                if (s != null && s.lease == id) {
                    delete(keys.endpoint(ip));
                }
            }
        }

        @Override
        public boolean isAlive() {
            synchronized (lock) {
                Stored h = data.get(keys.host(host.name()));
                return open && !closed && h != null && h.lease == id;
            }
        }

        private void checkAlive() throws DirectoryException {
            checkOpen();
            if (!isAlive()) {
                throw new DirectoryException("lease of host " + host.name() + " has ended");
            }
        }

        @Override
        public void abandon() {
            open = false;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (open) {
                    open = false;
                    revokeLocked(id);
                }
            }
        }
    }

    /** Delivers views on its own thread, in revision order, so writers never wait for listeners. */
    private final class MemoryWatch implements DirectoryWatch {
        private final DirectoryListener listener;
        private final ViewAssembler builder = new ViewAssembler(keys);
        private volatile Thread thread;
        private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "overlaynet-directory-watch-" + overlay);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        private volatile long delivered;
        private volatile boolean stopped;

        MemoryWatch(DirectoryListener listener) {
            this.listener = listener;
        }

        void start(Map<String, String> snapshot, long rev) {
            executor.execute(() -> {
                snapshot.forEach(builder::apply);
                deliver(rev);
            });
        }

        void event(long rev, String key, String value) {
            if (stopped) {
                return;
            }
            try {
                executor.execute(() -> {
                    builder.apply(key, value);
                    deliver(rev);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed between the check and here (close does not take the writers' lock): nothing to deliver
            }
        }

        private void deliver(long rev) {
            if (stopped) {
                return;
            }
            delivered = rev;
            listener.onView(builder.view(rev));
        }

        @Override
        public long revision() {
            return delivered;
        }

        @Override
        public long relists() {
            return 0;
        }

        @Override
        public void close() {
            stopped = true;
            watches.remove(this);
            executor.shutdown();
            if (Thread.currentThread() == thread) {
                return; // closed from inside the listener: nothing else can start after it returns
            }
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
            }
        }
    }
}
