package dev.overlaynet.etcd;

import static dev.overlaynet.etcd.EtcdDirectory.bytes;
import static dev.overlaynet.etcd.EtcdDirectory.text;

import dev.overlaynet.Ip;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.directory.MalformedRecordException;
import dev.overlaynet.directory.RecordFormat;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's etcd lease: the host record and its endpoints are put with the
 * lease id, and jetcd's keep-alive stream renews it. When the stream reports
 * the lease gone (TTL 0, or an error), {@link #isAlive()} turns false and the
 * owner must register again.
 */
final class EtcdHostLease implements HostLease {
    private static final Logger log = LoggerFactory.getLogger(EtcdHostLease.class);
    private static final int MAX_CAS_ATTEMPTS = 10;

    private final EtcdDirectory dir;
    private final HostRecord host;
    private final long id;
    private final long ttlNanos;
    private volatile long lastAskedNanos;
    private volatile CloseableClient keepAlive;
    private volatile long renewedAt;
    private volatile boolean lost;
    private volatile boolean closed;

    EtcdHostLease(EtcdDirectory dir, HostRecord host, long id, long ttlSeconds) {
        this.dir = dir;
        this.host = host;
        this.id = id;
        this.ttlNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(ttlSeconds);
        this.renewedAt = System.nanoTime();
    }

    /**
     * Starts jetcd's keep-alive stream. A stream error (the member it used died,
     * an election) does not end the lease: etcd keeps it for its TTL, so the
     * stream is started again and the lease counts as alive until TTL has passed
     * since the last renewal. Only etcd saying TTL 0 (or that time running out)
     * ends it.
     */
    void keepAlive() {
        if (closed || lost) {
            return;
        }
        keepAlive = dir.client().getLeaseClient().keepAlive(id, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() <= 0) {
                    markLost("etcd reports TTL 0");
                } else {
                    renewedAt = System.nanoTime();
                }
            }

            @Override
            public void onError(Throwable t) {
                log.debug("keep-alive of lease {} failed, restarting: {}", Long.toHexString(id), t.toString());
                restartKeepAlive();
            }

            @Override
            public void onCompleted() {
                restartKeepAlive();
            }
        });
    }

    private void restartKeepAlive() {
        if (closed) {
            return;
        }
        try {
            dir.scheduler().schedule(this::keepAlive, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            markLost("directory closed");
        }
    }

    private void markLost(String why) {
        if (!closed && !lost) {
            lost = true;
            log.warn("lease {} of host {} is lost: {}", Long.toHexString(id), host.name(), why);
        }
    }

    /** The etcd lease id (for tests and logs). */
    long id() {
        return id;
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
        checkAlive();
        ByteSequence key = bytes(dir.keys().endpoint(e.ip()));
        ByteSequence value = bytes(RecordFormat.encode(e));
        PutOption withLease = PutOption.builder().withLeaseId(id).build();
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            TxnResponse r = dir.await(dir.client().getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                    .Then(Op.put(key, value, withLease))
                    .Else(Op.get(key, GetOption.DEFAULT))
                    .commit(), "publish endpoint " + Ip.text(e.ip()));
            if (r.isSucceeded()) {
                return;
            }
            List<KeyValue> kvs = r.getGetResponses().get(0).getKvs();
            if (kvs.isEmpty()) {
                continue; // deleted in between: try the create again
            }
            KeyValue kv = kvs.get(0);
            if (kv.getValue().equals(value) && kv.getLease() == id) {
                return; // already published as is: write nothing
            }
            String owner = ownerOf(text(kv.getValue()));
            if (owner != null && !owner.equals(host.name()) && hostIsLive(owner)) {
                throw new DirectoryException("endpoint " + Ip.text(e.ip()) + " is published by host " + owner);
            }
            TxnResponse swap = dir.await(dir.client().getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                    .Then(Op.put(key, value, withLease))
                    .commit(), "publish endpoint " + Ip.text(e.ip()));
            if (swap.isSucceeded()) {
                return;
            }
        }
        throw new DirectoryException("publish endpoint " + Ip.text(e.ip()) + ": lost " + MAX_CAS_ATTEMPTS
                + " compare-and-swaps in a row");
    }

    private static String ownerOf(String text) {
        try {
            return RecordFormat.decodeEndpoint(text).host();
        } catch (MalformedRecordException ex) {
            return null; // a foreign record: ours replaces it
        }
    }

    private boolean hostIsLive(String name) throws DirectoryException {
        GetResponse r = dir.await(dir.client().getKVClient().get(bytes(dir.keys().host(name)),
                GetOption.builder().withCountOnly(true).build()), "look up host " + name);
        return r.getCount() > 0;
    }

    @Override
    public void withdraw(InetAddress ip) throws DirectoryException {
        checkAlive();
        ByteSequence key = bytes(dir.keys().endpoint(ip));
        for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
            GetResponse g = dir.await(dir.client().getKVClient().get(key), "read endpoint " + Ip.text(ip));
            if (g.getKvs().isEmpty()) {
                return;
            }
            KeyValue kv = g.getKvs().get(0);
            if (!host.name().equals(ownerOf(text(kv.getValue())))) {
                return; // not ours: leave it alone
            }
            TxnResponse r = dir.await(dir.client().getKVClient().txn()
                    .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                    .Then(Op.delete(key, DeleteOption.DEFAULT))
                    .commit(), "withdraw endpoint " + Ip.text(ip));
            if (r.isSucceeded()) {
                return;
            }
        }
        throw new DirectoryException("withdraw endpoint " + Ip.text(ip) + ": lost " + MAX_CAS_ATTEMPTS
                + " compare-and-swaps in a row");
    }

    @Override
    public boolean isAlive() {
        // Only etcd decides that a lease is gone. Time without renewals is no proof: while
        // etcd is down nobody expires anything, and a restarted etcd extends every lease's
        // TTL, so a host that re-registered on a local timer would let its old lease (and
        // anything not yet moved off it) expire later. But a keep-alive stream that keeps
        // failing may never say "TTL 0" either: after a TTL without renewals, ask etcd.
        if (!closed && !lost && sinceRenewalNanos() > ttlNanos) {
            long now = System.nanoTime();
            if (now - lastAskedNanos > 1_000_000_000L) {
                lastAskedNanos = now;
                try {
                    long ttl = dir.client().getLeaseClient().timeToLive(id, io.etcd.jetcd.options.LeaseOption.DEFAULT)
                            .get(dir.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).getTTL();
                    if (ttl <= 0) {
                        markLost("etcd reports the lease expired");
                    } else {
                        renewedAt = System.nanoTime() - ttlNanos + java.util.concurrent.TimeUnit.SECONDS.toNanos(ttl);
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // etcd unreachable: nothing is known, nothing expires meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        return !closed && !lost;
    }

    /** Nanoseconds since etcd last confirmed this lease (for logs and tests). */
    long sinceRenewalNanos() {
        return System.nanoTime() - renewedAt;
    }

    private void checkAlive() throws DirectoryException {
        if (!isAlive()) {
            throw new DirectoryException("lease of host " + host.name() + " has ended");
        }
    }

    @Override
    public void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        CloseableClient k = keepAlive;
        if (k != null) {
            k.close();
        }
    }

    @Override
    public void close() throws DirectoryException {
        if (closed) {
            return;
        }
        closed = true;
        CloseableClient k = keepAlive;
        if (k != null) {
            k.close();
        }
        try {
            dir.await(dir.client().getLeaseClient().revoke(id), "revoke lease of " + host.name());
        } catch (DirectoryException e) {
            if (String.valueOf(e.getMessage()).contains("NOT_FOUND") || String.valueOf(e.getMessage()).contains("not found")) {
                return; // already expired: what revoke would have done has happened
            }
            throw e;
        }
    }
}
