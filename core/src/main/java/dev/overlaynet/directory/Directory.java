package dev.overlaynet.directory;

import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Where an overlay's desired state lives, shared by all its hosts: the spec,
 * which hosts take part (with liveness), which containers they have attached,
 * and which overlay addresses are allocated. Each host's agent publishes its
 * own part and watches the rest. Implementations: {@link InMemoryDirectory}
 * for one JVM (the demo, simulations, tests) and {@code EtcdDirectory}
 * (module {@code overlaynet-etcd}) for real clusters.
 *
 * <p>Every record is written in {@link RecordFormat} and read back strictly:
 * a record another program wrote badly is skipped and reported in
 * {@link DirectoryView#rejected()}, never applied.
 *
 * <pre>{@code
 * try (Directory dir = new InMemoryDirectory("demo")) {
 *     dir.ensureSpec(overlay);
 *     try (HostLease h1 = dir.register(hostRecord, Duration.ofSeconds(5))) {
 *         InetAddress ip = dir.allocate("h1");
 *         h1.publish(new EndpointRecord(ip, mac, "h1"));
 *     }
 * }
 * }</pre>
 */
public interface Directory extends AutoCloseable {
    /** {@return the overlay's name, part of every key} */
    String overlayName();

    /**
     * Publishes {@code spec} if the overlay has none yet and returns the stored
     * spec. If a different spec is stored, throws: hosts of one overlay must
     * agree on it, and the first one to publish wins.
     *
     * @param spec the overlay this host was configured with
     * @return the stored spec
     * @throws DirectoryException if another spec is stored, or the store fails
     */
    Overlay ensureSpec(Overlay spec) throws DirectoryException;

    /**
     * Publishes {@code host} under a new lease with time-to-live {@code ttl},
     * kept alive until the lease is closed. A live record of the same name
     * (a previous run of this host whose lease has not expired yet) is taken over.
     *
     * @param host this host's record
     * @param ttl how long the record outlives a silent host
     * @return the lease; closing it withdraws the host
     * @throws DirectoryException if the store fails
     */
    HostLease register(HostRecord host, Duration ttl) throws DirectoryException;

    /**
     * Allocates a free overlay address for a container on {@code host}, by
     * compare-and-swap, so no two callers anywhere get the same one. Needs the
     * spec; the network, broadcast and gateway addresses are never handed out.
     * Allocations do not hang on the host's lease: a restarted host keeps its
     * containers' addresses until it releases them.
     *
     * @param host the host the address is for
     * @return the address
     * @throws DirectoryException if the pool is exhausted, there is no spec, or the store fails
     */
    InetAddress allocate(String host) throws DirectoryException;

    /**
     * Claims a specific address for {@code host} (a container given a fixed IP);
     * true if it is now held by {@code host} (also if it already was), false if
     * another host holds it.
     *
     * @param ip the address
     * @param host the host claiming it
     * @return true if {@code host} holds it now
     * @throws DirectoryException if the store fails
     */
    boolean claim(InetAddress ip, String host) throws DirectoryException;

    /**
     * Releases {@code ip} if {@code host} holds it; true if it did.
     *
     * @param ip the address
     * @param host the host that should hold it
     * @return true if it held it and released it
     * @throws DirectoryException if the store fails
     */
    boolean release(InetAddress ip, String host) throws DirectoryException;

    /**
     * {@return the current desired state (a list)}
     *
     * @throws DirectoryException if the store fails
     */
    DirectoryView view() throws DirectoryException;

    /**
     * List+watch: delivers the current view, then a new one after every
     * change, until the returned watch is closed. See {@link DirectoryListener}.
     *
     * @param listener told of each view
     * @return the watch; close it to stop
     * @throws DirectoryException if the store fails before the first view
     */
    DirectoryWatch watch(DirectoryListener listener) throws DirectoryException;

    /** Closes the connection; leases still open are not withdrawn explicitly (they expire). */
    @Override
    void close();

    /** The default time-to-live of a host lease: a crashed host is forgotten after this. */
    Duration DEFAULT_TTL = Duration.ofSeconds(5);
}
