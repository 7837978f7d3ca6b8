package dev.overlaynet.etcd;

import dev.overlaynet.Ip;
import dev.overlaynet.directory.AddressPool;
import dev.overlaynet.directory.Directory;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.DirectoryListener;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.directory.KeyLayout;
import dev.overlaynet.directory.MalformedRecordException;
import dev.overlaynet.directory.RecordFormat;
import dev.overlaynet.directory.ViewAssembler;
import dev.overlaynet.overlay.Overlay;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Directory} on etcd, through the official client jetcd. Keys are
 * laid out by {@link KeyLayout} under a versioned prefix per overlay
 * ({@code /overlaynet/v1/OVERLAY/...}); values are {@link RecordFormat} text,
 * so {@code etcdctl get --prefix /overlaynet/v1/} shows them as they are.
 *
 * <ul>
 *   <li>A host's record and its endpoints hang on an etcd lease its agent keeps
 *       alive: a crashed host's records disappear after the lease's TTL.
 *   <li>Allocation is a transaction that creates the address's key only if it
 *       does not exist (compare create-revision = 0), so two hosts never hold
 *       the same address.
 *   <li>A watch lists, then watches from the listed revision + 1; after a
 *       disconnect it resumes from the last revision it applied; after a
 *       compaction it lists again. Events at or below the applied revision
 *       are ignored, so nothing is applied twice.
 * </ul>
 *
 * <p><b>An empty {@code vertx-cache-<uuid>} directory in the temp directory.</b>
 * jetcd (0.8.5) runs its gRPC channel on a Vert.x instance it creates itself
 * with default options and offers no way to pass one or its options. Vert.x
 * then sets up its class-path file cache: {@link #connect} creates
 * {@code ${java.io.tmpdir}/vertx-cache-<uuid>}, which {@link #close()} or a
 * normal JVM exit (a shutdown hook) deletes, but a JVM killed with SIGKILL
 * (or halted, or crashed) leaves it behind, one per killed process. Nothing
 * here needs that cache; an application that opens etcd clients switches it
 * off for the whole JVM with {@code -Dvertx.disableFileCPResolving=true}
 * (read once, when Vert.x first loads; or {@code -Dvertx.cacheDirBase=DIR}
 * moves it). This library does not set that property itself, since it
 * changes every Vert.x instance of the JVM, not only jetcd's.
 *
 * <pre>{@code
 * try (EtcdDirectory dir = EtcdDirectory.connect(List.of(URI.create("http://10.0.0.5:2379")), "prod")) {
 *     dir.ensureSpec(overlay);
 *     HostLease lease = dir.register(hostRecord, Directory.DEFAULT_TTL);
 * }
 * }</pre>
 */
public final class EtcdDirectory implements Directory {
    /** The key root every overlay lives under unless {@link #connect(List, String, String, Duration)} says otherwise. */
    public static final String DEFAULT_ROOT = "/overlaynet";

    private static final int MAX_CAS_ATTEMPTS = 200;

    private final Client client;
    private final KeyLayout keys;
    private final String overlay;
    private final Duration timeout;
    private final java.util.concurrent.ScheduledExecutorService scheduler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "overlaynet-etcd-leases");
                t.setDaemon(true);
                return t;
            });

    private EtcdDirectory(Client client, KeyLayout keys, String overlay, Duration timeout) {
        this.client = client;
        this.keys = keys;
        this.overlay = overlay;
        this.timeout = timeout;
    }

    /**
     * Connects to the etcd members at {@code endpoints}, for overlay {@code overlay}.
     *
     * @param endpoints etcd client URLs, e.g. {@code http://10.0.0.5:2379}; at least one
     * @param overlay the overlay's name, a segment of every key
     * @return the directory; close it to release the etcd client
     */
    public static EtcdDirectory connect(List<URI> endpoints, String overlay) {
        return connect(endpoints, overlay, DEFAULT_ROOT, Duration.ofSeconds(5));
    }

    /**
     * Connects with a key root and a per-request timeout. The client fails over
     * between the endpoints, so losing one member (even the leader) only delays requests.
     *
     * @param endpoints etcd client URLs, e.g. {@code http://10.0.0.5:2379}; at least one
     * @param overlay the overlay's name, a segment of every key
     * @param root the key prefix, e.g. {@link #DEFAULT_ROOT}
     * @param requestTimeout how long one request may retry before it fails
     * @return the directory; close it to release the etcd client
     */
    public static EtcdDirectory connect(List<URI> endpoints, String overlay, String root, Duration requestTimeout) {
        Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints must name at least one etcd member");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        KeyLayout keys = KeyLayout.of(root, overlay);
        Client client = Client.builder()
                .endpoints(endpoints.toArray(new URI[0]))
                .connectTimeout(Duration.ofSeconds(2))
                .keepaliveTime(Duration.ofSeconds(5))
                .keepaliveTimeout(Duration.ofSeconds(3))
                .retryMaxDuration(requestTimeout)
                .build();
        return new EtcdDirectory(client, keys, overlay, requestTimeout);
    }

    /**
     * Parses {@code http://a:2379,http://b:2379}.
     *
     * @param commaSeparated URLs separated by commas, blanks around them ignored
     * @return the URLs in order
     * @throws IllegalArgumentException if one lacks a scheme, host or port, or there is none
     */
    public static List<URI> endpoints(String commaSeparated) {
        List<URI> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) {
                continue;
            }
            URI u = URI.create(t);
            if (u.getScheme() == null || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("etcd endpoint \"" + t + "\" must look like http://host:2379");
            }
            out.add(u);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint in \"" + commaSeparated + "\"");
        }
        return out;
    }

    @Override
    public String overlayName() {
        return overlay;
    }

    /** {@return the key layout of this overlay} */
    public KeyLayout keys() {
        return keys;
    }

    Client client() {
        return client;
    }

    java.util.concurrent.ScheduledExecutorService scheduler() {
        return scheduler;
    }

    Duration timeout() {
        return timeout;
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    <T> T await(CompletableFuture<T> f, String what) throws DirectoryException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new DirectoryException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            throw new DirectoryException(what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new DirectoryException(what + ": etcd did not answer within " + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public Overlay ensureSpec(Overlay spec) throws DirectoryException {
        String text = RecordFormat.encode(spec);
        ByteSequence key = bytes(keys.spec());
        TxnResponse r = await(client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, bytes(text), PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit(), "publish spec of " + overlay);
        if (r.isSucceeded()) {
            return spec;
        }
        String stored = text(r.getGetResponses().get(0).getKvs().get(0).getValue());
        if (!stored.equals(text)) {
            throw new DirectoryException("overlay " + overlay + " already has a different spec: " + stored);
        }
        return spec;
    }

    @Override
    public HostLease register(HostRecord host, Duration ttl) throws DirectoryException {
        Objects.requireNonNull(host, "host");
        long seconds = Math.max(1, ttl.toSeconds());
        long id = await(client.getLeaseClient().grant(seconds), "grant lease for " + host.name()).getID();
        EtcdHostLease lease = new EtcdHostLease(this, host, id, seconds);
        try {
            await(client.getKVClient().put(bytes(keys.host(host.name())), bytes(RecordFormat.encode(host)),
                    PutOption.builder().withLeaseId(id).build()), "publish host " + host.name());
            lease.keepAlive();
        } catch (DirectoryException | RuntimeException e) {
            client.getLeaseClient().revoke(id);
            throw e;
        }
        return lease;
    }

    @Override
    public InetAddress allocate(String host) throws DirectoryException {
        HostRecord.requireValidName("host", host);
        AddressPool pool = pool();
        Set<InetAddress> taken = allocated();
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            InetAddress ip = pool.pick(taken);
            if (ip == null) {
                throw new DirectoryException("overlay " + overlay + ": no free address left");
            }
            ByteSequence key = bytes(keys.allocation(ip));
            TxnResponse r = await(client.getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, bytes(RecordFormat.encodeAllocation(ip, host)), PutOption.DEFAULT))
                    .commit(), "allocate in " + overlay);
            if (r.isSucceeded()) {
                return ip;
            }
            taken.add(ip); // lost the race for this one: someone else holds it now
        }
        throw new DirectoryException("overlay " + overlay + ": allocation lost " + MAX_CAS_ATTEMPTS
                + " compare-and-swaps in a row");
    }

    private Set<InetAddress> allocated() throws DirectoryException {
        GetResponse r = await(client.getKVClient().get(bytes(keys.allocations()),
                GetOption.builder().isPrefix(true).withKeysOnly(true).build()), "list allocations of " + overlay);
        Set<InetAddress> taken = new HashSet<>();
        for (KeyValue kv : r.getKvs()) {
            try {
                taken.add(Ip.parse(keys.leaf(text(kv.getKey()))));
            } catch (IllegalArgumentException e) {
                // a foreign key under ipam/: it blocks nothing we could allocate
            }
        }
        return taken;
    }

    private AddressPool pool() throws DirectoryException {
        GetResponse r = await(client.getKVClient().get(bytes(keys.spec())), "read spec of " + overlay);
        if (r.getKvs().isEmpty()) {
            throw new DirectoryException("overlay " + overlay + " has no spec yet: call ensureSpec first");
        }
        try {
            return new AddressPool(RecordFormat.decodeSpec(text(r.getKvs().get(0).getValue())));
        } catch (MalformedRecordException e) {
            throw new DirectoryException("overlay " + overlay + ": stored spec is unusable: " + e.getMessage());
        }
    }

    @Override
    public boolean claim(InetAddress ip, String host) throws DirectoryException {
        HostRecord.requireValidName("host", host);
        Objects.requireNonNull(ip, "ip");
        if (!pool().allocatable(ip)) {
            throw new DirectoryException(Ip.text(ip) + " is not an allocatable address of overlay " + overlay);
        }
        ByteSequence key = bytes(keys.allocation(ip));
        ByteSequence value = bytes(RecordFormat.encodeAllocation(ip, host));
        TxnResponse r = await(client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(key, value, PutOption.DEFAULT))
                .Else(Op.get(key, GetOption.DEFAULT))
                .commit(), "claim " + Ip.text(ip));
        if (r.isSucceeded()) {
            return true;
        }
        List<KeyValue> kvs = r.getGetResponses().get(0).getKvs();
        return !kvs.isEmpty() && kvs.get(0).getValue().equals(value);
    }

    @Override
    public boolean release(InetAddress ip, String host) throws DirectoryException {
        HostRecord.requireValidName("host", host);
        Objects.requireNonNull(ip, "ip");
        ByteSequence key = bytes(keys.allocation(ip));
        TxnResponse r = await(client.getKVClient().txn()
                .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(bytes(RecordFormat.encodeAllocation(ip, host)))))
                .Then(Op.delete(key, DeleteOption.DEFAULT))
                .commit(), "release " + Ip.text(ip));
        return r.isSucceeded();
    }

    @Override
    public DirectoryView view() throws DirectoryException {
        GetResponse r = list();
        ViewAssembler a = new ViewAssembler(keys);
        for (KeyValue kv : r.getKvs()) {
            a.apply(text(kv.getKey()), text(kv.getValue()));
        }
        return a.view(r.getHeader().getRevision());
    }

    GetResponse list() throws DirectoryException {
        return await(client.getKVClient().get(bytes(keys.prefix()), GetOption.builder().isPrefix(true).build()),
                "list " + keys.prefix());
    }

    @Override
    public DirectoryWatch watch(DirectoryListener listener) throws DirectoryException {
        EtcdWatch w = new EtcdWatch(this, listener);
        w.start();
        return w;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        client.close();
    }
}
