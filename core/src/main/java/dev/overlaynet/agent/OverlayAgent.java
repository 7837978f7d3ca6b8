package dev.overlaynet.agent;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.directory.Directory;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's agent in a many-host overlay: it joins the host, publishes it
 * and the containers it attaches in a {@link Directory}, watches the
 * directory, and converges the kernel to what the other hosts publish
 * (unicast mode: flood entries per peer, neighbour and FDB entries per
 * remote container, in bulk, see {@link Converger}). Multicast overlays
 * learn remote MACs from traffic, so there the agent only publishes, for
 * liveness and IP allocation.
 *
 * <p>Convergence is level-triggered: every pass compares the whole desired
 * state of the latest directory view with the kernel, so a missed or
 * repeated event cannot leave anything behind, and drift made outside the
 * library is repaired at the next pass (after a directory change, or every
 * {@link AgentOptions#resyncInterval()}).
 *
 * <pre>{@code
 * try (Netlink nl = Netlink.open(hostNs);
 *      OverlayAgent agent = OverlayAgent.start(nl, directory, overlay, hostSpec,
 *              AgentOptions.builder().hostName("h1").build())) {
 *     Endpoint e = agent.attach(containerNs);   // allocates an IP in the directory
 *     ...
 *     agent.leave();
 * }
 * }</pre>
 */
public final class OverlayAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverlayAgent.class);

    private final Netlink nl;
    private final Directory directory;
    private final Overlay overlay;
    private final AgentOptions options;
    private final OverlayHost host;
    private final HostRecord record;
    private final Object hostLock = new Object();
    private final Map<InetAddress, ContainerSpec> local = new LinkedHashMap<>();
    /** Containers found in the kernel at start (attached by an earlier run), by IP. */
    private final Map<InetAddress, EndpointRecord> adopted = new LinkedHashMap<>();
    private final AtomicReference<DirectoryView> latest = new AtomicReference<>();
    private final Object signal = new Object();
    private final Thread worker;
    private volatile HostLease lease;
    private volatile DirectoryWatch watch;
    private volatile dev.overlaynet.Subscription kernelEvents;
    private volatile java.util.concurrent.ExecutorService kernelEventThread;
    private volatile boolean dirty = true;
    private volatile boolean stopping;
    private volatile long convergedRevision;
    private volatile long passes;
    private volatile ConvergeReport lastReport;
    private volatile DirectoryView convergedView;

    private OverlayAgent(Netlink nl, Directory directory, Overlay overlay, AgentOptions options, OverlayHost host,
            HostRecord record) {
        this.nl = nl;
        this.directory = directory;
        this.overlay = overlay;
        this.options = options;
        this.host = host;
        this.record = record;
        this.worker = new Thread(this::run, "overlaynet-agent-" + options.hostName());
        this.worker.setDaemon(true);
    }

    /**
     * Joins the handle's namespace to {@code overlay}, publishes this host and
     * starts converging. The overlay's spec is published if the directory has
     * none; a different stored spec is refused before the kernel is touched.
     *
     * @param nl the handle on the host's namespace; stays owned by the caller
     * @param directory where hosts and endpoints are published
     * @param overlay the overlay this host was configured with
     * @param hostSpec this host's part of the overlay
     * @param options host name, lease TTL, resync interval
     * @return the running agent; {@link #leave()} leaves, {@link #close()} only stops it
     * @throws AgentException if the stored spec differs, the join fails, or the host cannot be published
     */
    public static OverlayAgent start(Netlink nl, Directory directory, Overlay overlay, HostSpec hostSpec,
            AgentOptions options) throws AgentException {
        Objects.requireNonNull(nl, "nl");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(hostSpec, "hostSpec");
        Objects.requireNonNull(options, "options");
        if (hostSpec.localAddress() == null) {
            throw new IllegalArgumentException("hostSpec.localAddress is required: other hosts reach this one by it");
        }
        try {
            directory.ensureSpec(overlay);
        } catch (DirectoryException e) {
            throw new AgentException("host " + options.hostName() + ": overlay spec", e);
        }
        OverlayHost host;
        try {
            host = OverlayHost.join(nl, overlay, hostSpec, options.stepObserver());
        } catch (Exception e) {
            throw new AgentException("host " + options.hostName() + ": join", e);
        }
        OverlayAgent agent;
        try {
            MacAddress vtep = nl.links().get(overlay.vxlanName()).address();
            HostRecord record = new HostRecord(options.hostName(), hostSpec.localAddress(), vtep);
            agent = new OverlayAgent(nl, directory, overlay, options, host, record);
            agent.lease = directory.register(record, options.leaseTtl());
            agent.adopt();
            agent.watch = directory.watch(new dev.overlaynet.directory.DirectoryListener() {
                @Override
                public void onView(DirectoryView view) {
                    agent.offer(view);
                }

                @Override
                public void onRelist(String reason) {
                    log.info("host {}: directory re-listed: {}", options.hostName(), reason);
                }
            });
        } catch (NetlinkException | DirectoryException | RuntimeException e) {
            throw new AgentException("host " + options.hostName() + ": publish", e);
        }
        agent.watchKernel();
        agent.worker.start();
        log.info("host {} joined overlay {} ({} mode) as {}", options.hostName(), directory.overlayName(),
                overlay.mode(), agent.record);
        return agent;
    }

    /**
     * Publishes the containers an earlier run attached (the kernel records them on
     * their veths), so a restarted agent takes its endpoints over before their
     * old lease expires, with no gap for the other hosts.
     */
    private void adopt() throws DirectoryException {
        java.util.List<dev.overlaynet.overlay.AttachedContainer> found;
        try {
            found = host.attachedInKernel();
        } catch (Exception e) {
            throw new DirectoryException("reading the containers recorded in the kernel: " + e, e);
        }
        for (dev.overlaynet.overlay.AttachedContainer c : found) {
            if (!directory.claim(c.ip(), options.hostName())) {
                log.warn("host {}: container {} holds an address allocated to another host; not published",
                        options.hostName(), c);
                continue;
            }
            EndpointRecord e = new EndpointRecord(c.ip(), c.mac(), options.hostName());
            lease.publish(e);
            synchronized (hostLock) {
                adopted.put(c.ip(), e);
            }
            log.info("host {}: adopted {}", options.hostName(), c);
        }
    }

    /**
     * Drift repair: the event monitor reports changes to the overlay's own devices,
     * their FDB entries and neighbours (someone deleted an entry by hand, or the
     * vxlan itself); each one asks for a converge pass, which puts back exactly
     * what differs. After the monitor resynced (it lost events), a pass too.
     */
    private void watchKernel() throws AgentException {
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "overlaynet-agent-events-" + options.hostName());
            t.setDaemon(true);
            return t;
        });
        try {
            kernelEvents = nl.monitor().links().neighbours().fdb().snapshot(false).subscribe(ex, this::onKernelEvent);
            kernelEventThread = ex;
        } catch (NetlinkException | RuntimeException e) {
            ex.shutdownNow();
            throw new AgentException("host " + options.hostName() + ": subscribe to kernel events", e);
        }
    }

    private void onKernelEvent(dev.overlaynet.MonitorEvent e) {
        if (e.type() == dev.overlaynet.MonitorEvent.Type.SYNCED) {
            if (e.resync() != null) {
                wake();
            }
            return;
        }
        Object v = e.value();
        String dev = v instanceof dev.overlaynet.Neighbour n ? n.dev()
                : v instanceof dev.overlaynet.FdbEntry f ? f.dev()
                : v instanceof dev.overlaynet.Link l ? l.name() : null;
        if (dev != null && (dev.equals(overlay.vxlanName()) || dev.equals(overlay.bridgeName()))) {
            wake();
        }
    }

    private void offer(DirectoryView view) {
        latest.set(view);
        synchronized (signal) {
            dirty = true;
            signal.notifyAll();
        }
    }

    /**
     * Attaches a container namespace with an address allocated from the directory.
     *
     * @param namespace the container's namespace; stays owned by the caller
     * @return the container's endpoint
     * @throws AgentException if no address is free, or attaching or publishing fails (the address is released)
     */
    public Endpoint attach(NetNs namespace) throws AgentException {
        Objects.requireNonNull(namespace, "namespace");
        InetAddress ip;
        try {
            ip = directory.allocate(options.hostName());
        } catch (DirectoryException e) {
            throw new AgentException("host " + options.hostName() + ": allocate an address", e);
        }
        try {
            return attach(ContainerSpec.builder().namespace(namespace).ip(Ip.text(ip)).build(), true);
        } catch (AgentException | RuntimeException e) {
            releaseQuietly(ip);
            throw e;
        }
    }

    /**
     * Attaches a container with the address its spec names, claiming it in the
     * directory first (refused if another host holds it). Attaching the same
     * spec again (after a restart, say) changes nothing and republishes it.
     *
     * @param spec the container
     * @return the container's endpoint
     * @throws AgentException if another host holds the address, or attaching or publishing fails
     */
    public Endpoint attach(ContainerSpec spec) throws AgentException {
        Objects.requireNonNull(spec, "spec");
        try {
            if (!directory.claim(spec.ip(), options.hostName())) {
                throw new AgentException("host " + options.hostName() + ": " + Ip.text(spec.ip())
                        + " is allocated to another host", null);
            }
        } catch (DirectoryException e) {
            throw new AgentException("host " + options.hostName() + ": claim " + Ip.text(spec.ip()), e);
        }
        return attach(spec, false);
    }

    private Endpoint attach(ContainerSpec spec, boolean allocated) throws AgentException {
        Endpoint e;
        synchronized (hostLock) {
            try {
                e = host.attach(spec);
            } catch (Exception x) {
                throw new AgentException("host " + options.hostName() + ": attach " + Ip.text(spec.ip()), x);
            }
            local.put(spec.ip(), spec);
            adopted.remove(spec.ip());
        }
        try {
            lease.publish(new EndpointRecord(e.ip(), e.mac(), options.hostName()));
        } catch (DirectoryException x) {
            // Not published yet: the worker republishes every local endpoint when it renews the lease.
            log.warn("host {}: publishing {} failed, will retry: {}", options.hostName(), e, x.getMessage());
            wake();
        }
        return e;
    }

    /**
     * Detaches a container: withdraws it, removes its interface, releases its address.
     *
     * @param spec the container as attached
     * @throws AgentException if withdrawing or detaching fails
     */
    public void detach(ContainerSpec spec) throws AgentException {
        Objects.requireNonNull(spec, "spec");
        try {
            lease.withdraw(spec.ip());
        } catch (DirectoryException e) {
            throw new AgentException("host " + options.hostName() + ": withdraw " + Ip.text(spec.ip()), e);
        }
        synchronized (hostLock) {
            try {
                host.detach(spec);
            } catch (Exception x) {
                throw new AgentException("host " + options.hostName() + ": detach " + Ip.text(spec.ip()), x);
            }
            local.remove(spec.ip());
        }
        releaseQuietly(spec.ip());
    }

    private void releaseQuietly(InetAddress ip) {
        try {
            directory.release(ip, options.hostName());
        } catch (DirectoryException e) {
            log.warn("host {}: releasing {} failed: {}", options.hostName(), Ip.text(ip), e.getMessage());
        }
    }

    /** {@return this agent's progress} */
    public AgentStatus status() {
        DirectoryView v = convergedView;
        HostLease l = lease;
        int localCount;
        synchronized (hostLock) {
            localCount = local.size() + adopted.size();
        }
        return new AgentStatus(options.hostName(), convergedRevision,
                v == null ? 0 : v.peers(options.hostName()).size(),
                v == null ? 0 : v.remoteEndpoints(options.hostName()).size(), localCount, passes, lastReport,
                l != null && l.isAlive(), v == null ? 0 : v.rejected().size());
    }

    /**
     * Waits until the kernel has been converged to a directory revision at least
     * {@code revision}; false on timeout.
     *
     * @param revision a directory revision, e.g. from {@link DirectoryView#revision()}
     * @param timeout how long to wait
     * @return true once converged to it, false on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (convergedRevision < revision) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            return true;
        }
    }

    /** Asks for a converge pass now (e.g. after the event monitor saw drift). */
    public void wake() {
        synchronized (signal) {
            dirty = true;
            signal.notifyAll();
        }
    }

    private void run() {
        long backoffMs = 100;
        while (!stopping) {
            synchronized (signal) {
                if (!dirty) {
                    try {
                        signal.wait(options.resyncInterval().toMillis());
                    } catch (InterruptedException e) {
                        if (stopping) {
                            return;
                        }
                    }
                }
                dirty = false;
            }
            if (stopping) {
                return;
            }
            DirectoryView view = latest.get();
            if (view == null) {
                continue;
            }
            try {
                renewLeaseIfLost();
                pass(view);
                backoffMs = 100;
            } catch (DirectoryException | NetlinkException | RuntimeException e) {
                log.warn("host {}: converge pass failed, retrying in {} ms: {}", options.hostName(), backoffMs,
                        e.toString());
                sleepQuietly(backoffMs);
                backoffMs = Math.min(5_000, backoffMs * 2);
                wake();
            }
        }
    }

    private void pass(DirectoryView view) throws NetlinkException {
        if (overlay.mode() == Overlay.Mode.UNICAST) {
            ConvergeReport r;
            try {
                r = Converger.converge(nl, overlay, DesiredRemotes.of(view, options.hostName()));
            } catch (NetlinkException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                // The overlay's own devices went missing (deleted by hand): rebuild them, then converge.
                repairHost();
                r = Converger.converge(nl, overlay, DesiredRemotes.of(view, options.hostName()));
            }
            lastReport = r;
        }
        passes++;
        convergedView = view;
        synchronized (signal) {
            convergedRevision = Math.max(convergedRevision, view.revision());
            signal.notifyAll();
        }
    }

    private void repairHost() throws NetlinkException {
        synchronized (hostLock) {
            try {
                host.reapply();
            } catch (NetlinkException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("host " + options.hostName() + ": reapply failed: " + e, e);
            }
        }
    }

    private void renewLeaseIfLost() throws DirectoryException {
        if (lease.isAlive()) {
            return;
        }
        log.warn("host {}: directory lease lost, registering again", options.hostName());
        HostLease fresh = directory.register(record, options.leaseTtl());
        lease = fresh;
        Map<InetAddress, ContainerSpec> snapshot;
        synchronized (hostLock) {
            snapshot = new LinkedHashMap<>(local);
        }
        for (ContainerSpec c : snapshot.values()) {
            fresh.publish(new EndpointRecord(c.ip(), c.mac(), options.hostName()));
        }
        Map<InetAddress, EndpointRecord> adoptedNow;
        synchronized (hostLock) {
            adoptedNow = new LinkedHashMap<>(adopted);
        }
        for (EndpointRecord e : adoptedNow.values()) {
            fresh.publish(e);
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Leaves the overlay: withdraws this host and its containers from the
     * directory, removes the remote entries, and undoes the join (see
     * {@link OverlayHost#leave()}), then releases the containers' addresses and
     * any other address still allocated to this host (one a crashed run
     * allocated for a container it never created).
     *
     * @throws AgentException if undoing the join fails (a failed withdrawal is only logged: the lease expires)
     */
    public void leave() throws AgentException {
        stop();
        try {
            lease.close();
        } catch (DirectoryException e) {
            log.warn("host {}: withdrawing from the directory failed (its lease will expire): {}",
                    options.hostName(), e.getMessage());
        }
        try {
            if (overlay.mode() == Overlay.Mode.UNICAST) {
                Converger.converge(nl, overlay, DesiredRemotes.NONE);
            }
            synchronized (hostLock) {
                host.leave();
            }
        } catch (Exception e) {
            throw new AgentException("host " + options.hostName() + ": leave", e);
        }
        Map<InetAddress, ContainerSpec> snapshot;
        synchronized (hostLock) {
            snapshot = new LinkedHashMap<>(local);
            adopted.keySet().forEach(ip -> snapshot.putIfAbsent(ip, null));
            local.clear();
            adopted.clear();
        }
        for (InetAddress ip : snapshot.keySet()) {
            releaseQuietly(ip);
        }
        releaseOrphans();
        log.info("host {} left overlay {}", options.hostName(), directory.overlayName());
    }

    /**
     * Releases every address the directory still has allocated to this host.
     * Allocations outlive the lease, and an agent killed between allocating an
     * address and creating its container left one that no kernel record names,
     * so no restart adopts it. After leave this host has no container left, so
     * every address still held for it is such an orphan.
     */
    private void releaseOrphans() {
        try {
            for (Map.Entry<InetAddress, String> a : directory.view().allocations().entrySet()) {
                if (a.getValue().equals(options.hostName())) {
                    log.info("host {}: releasing {}, allocated to it but used by no container",
                            options.hostName(), Ip.text(a.getKey()));
                    releaseQuietly(a.getKey());
                }
            }
        } catch (DirectoryException e) {
            log.warn("host {}: listing its allocations failed, orphaned addresses stay allocated: {}",
                    options.hostName(), e.getMessage());
        }
    }

    private void stop() {
        stopping = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DirectoryWatch w = watch;
        if (w != null) {
            w.close();
        }
        dev.overlaynet.Subscription k = kernelEvents;
        if (k != null) {
            k.close();
        }
        java.util.concurrent.ExecutorService ex = kernelEventThread;
        if (ex != null) {
            ex.shutdownNow();
        }
    }

    /**
     * Stops the agent without leaving: the kernel keeps its state, and the
     * host's directory records stay until the lease's TTL runs out, so a
     * restarted agent that registers in time takes them over seamlessly.
     */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stop();
        HostLease l = lease;
        if (l != null) {
            l.abandon();
        }
    }
}
