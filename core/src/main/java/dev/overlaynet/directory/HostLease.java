package dev.overlaynet.directory;

import java.net.InetAddress;

/**
 * A host's liveness in a {@link Directory}: its {@link HostRecord} and every
 * endpoint it publishes hang on this lease. The directory keeps it alive
 * while the lease is open; closing it withdraws them all at once, and a host
 * that dies without closing loses them when the lease's time-to-live runs
 * out (etcd), so other hosts stop sending to its containers.
 *
 * <pre>{@code
 * try (HostLease lease = directory.register(h1, Duration.ofSeconds(5))) {
 *     lease.publish(new EndpointRecord(ip, mac, "h1"));
 *     ...
 * }   // h1 and its endpoints are withdrawn
 * }</pre>
 */
public interface HostLease extends AutoCloseable {
    /** {@return the host record published under this lease} */
    HostRecord host();

    /**
     * Publishes (or republishes, idempotently) an endpoint of this host. Refused
     * with {@link DirectoryException} if another host has published the same IP.
     *
     * @param endpoint the endpoint; its host must be this lease's
     * @throws DirectoryException if another host published the IP, the lease is gone, or the store fails
     */
    void publish(EndpointRecord endpoint) throws DirectoryException;

    /**
     * Withdraws this host's endpoint for {@code ip}; nothing happens if there is none.
     *
     * @param ip the endpoint's address
     * @throws DirectoryException if the store fails
     */
    void withdraw(InetAddress ip) throws DirectoryException;

    /**
     * False once the lease has been closed or the store has expired it.
     *
     * @return true while the record is published
     */
    boolean isAlive();

    /**
     * Stops renewing the lease without withdrawing anything: the records stay
     * until the lease's TTL runs out, unless a restarted host registers again
     * in time and republishes them (what an agent restart or upgrade wants).
     * The in-memory directory has no TTL: there they stay until expired.
     */
    void abandon();

    /** Withdraws the host record and all its endpoints. */
    @Override
    void close() throws DirectoryException;
}
