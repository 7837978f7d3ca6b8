package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's membership in an {@link Overlay}: what {@code join} built, the
 * containers attached, the peers and remote endpoints installed.
 *
 * <pre>{@code
 * try (Netlink nl = Netlink.open(hostNs)) {
 *     OverlayHost h = OverlayHost.join(nl, overlay, HostSpec.builder()
 *         .underlayDevice("eth1").localAddress("172.16.1.11").build());
 *     Endpoint c1 = h.attach(ContainerSpec.builder().namespace(ns1).ip("10.233.0.2").build());
 *     h.addPeer("172.16.1.12");             // unicast mode: head-end replication
 *     h.addRemote(endpointFromOtherHost);   // unicast mode: static neighbour + FDB
 *     ...
 *     h.leave();                            // removes all it created, nothing else
 * }
 * }</pre>
 *
 * <h2>What join builds</h2>
 * vxlan device (VNI, port, group or unicast with learning off, bound to the
 * underlay device), a bridge with the vxlan as a port, the gateway address on
 * the bridge, IPv4 forwarding, and (optionally) masquerading of traffic
 * leaving the overlay via nftables. Every operation is idempotent (applying
 * it again changes nothing and sends no mutating request) and transactional
 * (a failure rolls back what that call created).
 *
 * <h2>The gateway</h2>
 * Every host carries the same gateway address on its bridge, so containers
 * keep one default route wherever they run. In the walkthrough this makes
 * gateway ARP race across hosts: a container asking for the gateway gets
 * answers from every host and may send its traffic to a remote one. overlaynet
 * keeps gateway ARP local instead: the vxlan bridge port has
 * {@code neigh_suppress} on, and the bridge never forwards an ARP request for
 * one of its own addresses to such a port, so only the local host answers. A
 * host that also needs to talk to containers elsewhere gets a unique
 * {@link HostSpec#hostAddress() host address}, added before the gateway (the
 * primary address) with {@code arp_announce=2} on the bridge, so the host's own
 * ARP requests never carry the shared gateway address and never teach remote
 * containers a wrong gateway MAC.
 *
 * <h2>Stable MACs</h2>
 * The vxlan device and bridge get MACs derived from the VNI and the host's
 * underlay address, so a program that restarts and rejoins recreates them
 * with the same addresses: containers' ARP caches and other hosts' static
 * entries stay valid (flannel learned this the hard way).
 *
 * <h2>Errors</h2>
 * Every operation first checks its input and throws
 * {@link IllegalArgumentException} (naming the field) before any change;
 * {@link IllegalStateException} means misuse (after {@link #leave}, or a
 * container ip already attached elsewhere). Failures while changing the
 * kernel are checked: {@link dev.overlaynet.netlink.NetlinkException} when
 * the kernel refuses a request (errno, request and the kernel's text) and
 * {@link IOException} when a sysctl cannot be read or written. Either way
 * the call has rolled back what it changed before the exception leaves it;
 * a failure of the rollback itself is attached as suppressed. A
 * RuntimeException from {@link StepObserver#beforeStep} aborts the same way
 * and is rethrown unchanged.
 *
 * <p>Thread safety: one thread at a time per OverlayHost.
 */
public final class OverlayHost {
    private static final Logger LOG = LoggerFactory.getLogger(OverlayHost.class);

    private final Netlink nl;
    private final Overlay overlay;
    private final HostSpec host;
    private final StepObserver observer;
    private final HostOps ops;
    private final Map<InetAddress, Attached> attached = new LinkedHashMap<>();
    private final Set<InetAddress> peers = new LinkedHashSet<>();
    private final Map<InetAddress, Endpoint> remotes = new LinkedHashMap<>();
    private boolean left;

    /** An attached container; {@code loopbackUndo} is non-null when attach brought its lo up. */
    private record Attached(ContainerSpec spec, Endpoint endpoint, Transaction.Undo loopbackUndo) {}

    private OverlayHost(Netlink nl, Overlay overlay, HostSpec host, StepObserver observer) {
        this.nl = nl;
        this.overlay = overlay;
        this.host = host;
        this.observer = observer;
        this.ops = new HostOps(nl, observer);
    }

    /**
     * Joins this host (the handle's namespace) to the overlay.
     *
     * @throws dev.overlaynet.netlink.NetlinkException if the kernel refuses a change (rolled back)
     * @throws IOException if a sysctl cannot be read or written (rolled back)
     * @param nl the handle on the host's namespace
     * @param overlay the overlay, the same on every host
     * @param host this host's part: underlay address and interface, bridge address
     * @return the joined host; {@link #leave()} undoes the join
     */
    public static OverlayHost join(Netlink nl, Overlay overlay, HostSpec host) throws IOException {
        return join(nl, overlay, host, StepObserver.NONE);
    }

    /**
     * As {@link #join(Netlink, Overlay, HostSpec)}, reporting each step to {@code observer}.
     *
     * @param nl the handle on the host's namespace
     * @param overlay the overlay, the same on every host
     * @param host this host's part: underlay address and interface, bridge address
     * @param observer told of each step and change
     * @return the joined host; {@link #leave()} undoes the join
     * @throws IOException as {@link #join(Netlink, Overlay, HostSpec)}
     */
    public static OverlayHost join(Netlink nl, Overlay overlay, HostSpec host, StepObserver observer) throws IOException {
        Objects.requireNonNull(nl, "nl");
        Objects.requireNonNull(overlay, "overlay");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(observer, "observer");
        checkJoin(overlay, host);
        OverlayHost h = new OverlayHost(nl, overlay, host, observer);
        h.apply();
        return h;
    }

    /** What join checks before any syscall. */
    static void checkJoin(Overlay overlay, HostSpec host) {
        if (overlay.mode() == Overlay.Mode.UNICAST && host.localAddress() == null) {
            throw new IllegalArgumentException("unicast mode needs the host's localAddress (the VXLAN source)");
        }
        if (host.localAddress() != null && overlay.cidr().contains(host.localAddress())) {
            throw new IllegalArgumentException("localAddress " + Ip.text(host.localAddress())
                    + " is an underlay address and must be outside the overlay " + overlay.cidr());
        }
        if (host.hostAddress() != null) {
            checkOverlayAddress("hostAddress", overlay, host.hostAddress());
            if (host.hostAddress().equals(overlay.gateway())) {
                throw new IllegalArgumentException("hostAddress must differ from the shared gateway " + Ip.text(overlay.gateway()));
            }
        }
    }

    /** What attach checks before any syscall. */
    static void checkAttach(Overlay overlay, HostSpec host, ContainerSpec c) {
        checkOverlayAddress("container ip", overlay, c.ip());
        if (c.ip().equals(overlay.gateway()) || c.ip().equals(host.hostAddress())) {
            throw new IllegalArgumentException("container ip " + Ip.text(c.ip()) + " is the gateway's or the host's");
        }
        if (c.hostInterfaceName().equals(overlay.vxlanName()) || c.hostInterfaceName().equals(overlay.bridgeName())
                || c.hostInterfaceName().equals(host.underlayDevice())) {
            throw new IllegalArgumentException("hostInterfaceName " + c.hostInterfaceName() + " is taken by the overlay or the underlay");
        }
    }

    /** What addRemote checks before any syscall. */
    static void checkRemote(Overlay overlay, HostSpec host, Endpoint e) {
        Objects.requireNonNull(e, "endpoint");
        if (!overlay.cidr().contains(e.ip())) {
            throw new IllegalArgumentException("endpoint " + e + " is outside " + overlay.cidr());
        }
        if (e.host() == null) {
            throw new IllegalArgumentException("endpoint " + e + " has no host address (its host joined without localAddress)");
        }
        if (e.host().equals(host.localAddress())) {
            throw new IllegalArgumentException("endpoint " + e + " lives on this host; attach it here instead");
        }
        if (e.ip().equals(overlay.gateway()) || e.ip().equals(host.hostAddress())) {
            throw new IllegalArgumentException("endpoint " + e + " has the gateway's or this host's overlay address");
        }
    }

    /** {@code a} must be a host address of the overlay: inside it, not its network or broadcast address. */
    private static void checkOverlayAddress(String field, Overlay overlay, InetAddress a) {
        IpPrefix net = overlay.cidr();
        if (!net.contains(a)) {
            throw new IllegalArgumentException(field + " " + Ip.text(a) + " is outside " + net);
        }
        byte[] b = a.getAddress();
        int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int hostMask = (1 << (32 - net.length())) - 1; // cidr is at most /30, so this never shifts by 32
        if ((v & hostMask) == 0 || (v & hostMask) == hostMask) {
            throw new IllegalArgumentException(field + " " + Ip.text(a) + " is the network or broadcast address of " + net);
        }
    }

    private void apply() throws IOException {
        Transaction tx = new Transaction(observer);
        String vx = overlay.vxlanName();
        String br = overlay.bridgeName();
        try {
            MacAddress vxMac = StableMacs.vxlan(overlay, host, ops);
            MacAddress brMac = StableMacs.bridge(overlay, host, ops);
            String forwardingRecord = ForwardingRecord.toRestore(nl, overlay);
            tx.step("create vxlan " + vx, () -> ops.ensureVxlan(overlay, host, vxMac));
            tx.step("record ip_forward=" + forwardingRecord + " on " + vx,
                    () -> ops.ensureAlias(vx, ForwardingRecord.alias(forwardingRecord)));
            tx.step("create bridge " + br, () -> ops.ensureBridge(br, brMac));
            tx.step("record ip_forward=" + forwardingRecord + " on " + br,
                    () -> ops.ensureAlias(br, ForwardingRecord.alias(forwardingRecord)));
            tx.step("enslave " + vx + " to " + br, () -> ops.ensureMaster(vx, br));
            tx.step("neigh_suppress on " + vx, () -> ops.ensureNeighSuppress(vx));
            tx.step("up " + vx, () -> ops.ensureUp(vx));
            tx.step("up " + br, () -> ops.ensureUp(br));
            if (host.hostAddress() != null) {
                IpPrefix ha = IpPrefix.of(host.hostAddress(), overlay.cidr().length());
                tx.step("host address " + ha + " on " + br, () -> ops.ensureAddressAhead(br, ha, overlay.gatewayPrefix()));
                tx.step("arp_announce=2 on " + br, () -> ops.ensureSysctl("net.ipv4.conf." + br + ".arp_announce", "2"));
            }
            tx.step("gateway " + overlay.gatewayPrefix() + " on " + br, () -> ops.ensureAddress(br, overlay.gatewayPrefix()));
            tx.step("ip_forward", () -> ops.ensureSysctl("net.ipv4.ip_forward", "1"));
            if (overlay.nat()) {
                tx.step("masquerade " + overlay.cidr(), () -> ops.ensureMasquerade(overlay));
            }
            LOG.debug("joined {} on {}", overlay, nl.namespace());
        } catch (IOException | RuntimeException | Error e) {
            tx.rollback(e);
            throw e;
        }
    }

    /**
     * Applies the overlay again: repairs what is missing (e.g. a link deleted
     * out of band) and changes nothing that is already right. That includes
     * the containers attached here (a bridge recreated out of band has lost
     * their veths as ports), the peers and the remote endpoints.
     *
     * @throws IOException if the kernel refuses a change or a sysctl cannot be written
     */
    public void reapply() throws IOException {
        ensureNotLeft();
        apply();
        for (Attached a : new ArrayList<>(attached.values())) {
            Transaction.Undo lo = plug(a.spec());
            if (lo != null && a.loopbackUndo() == null) {
                attached.put(a.spec().ip(), new Attached(a.spec(), a.endpoint(), lo));
            }
        }
        for (InetAddress p : peers) {
            ops.ensureFlood(overlay.vxlanName(), p);
        }
        for (Endpoint e : remotes.values()) {
            ops.ensureRemote(overlay, e);
        }
    }

    /**
     * Plugs a container in: a veth pair with the host end on the bridge and the
     * other end created directly inside the container's namespace under its
     * final name, its address, and a default route via the gateway. Idempotent.
     * Returns the endpoint to publish to other hosts. One interface per
     * namespace: a second container ip in a namespace that already has one of
     * this overlay is refused before anything is sent.
     *
     * @param c the container: namespace, address, interface names
     * @return the container's endpoint, to announce to the other hosts
     * @throws IOException if the kernel refuses a change (what was made is removed again)
     */
    public Endpoint attach(ContainerSpec c) throws IOException {
        ensureNotLeft();
        Objects.requireNonNull(c, "container");
        checkAttach(overlay, host, c);
        Attached before = attached.get(c.ip());
        if (before != null && !sameContainer(before.spec(), c)) {
            throw new IllegalStateException("container ip " + Ip.text(c.ip()) + " is already attached in "
                    + before.spec().namespace().name() + " via " + before.spec().hostInterfaceName());
        }
        for (Attached other : attached.values()) {
            if (!other.spec().ip().equals(c.ip()) && sameNamespace(other.spec(), c)) {
                // Its default route via the gateway is already there (the second would be EEXIST),
                // and detaching one must not take lo down under the other.
                throw new IllegalStateException("namespace " + c.namespace().name() + " already has container ip "
                        + Ip.text(other.spec().ip()) + " of this overlay; attach one interface per namespace");
            }
        }
        Transaction.Undo lo = plug(c);
        Endpoint ep = new Endpoint(c.ip(), c.mac(), host.localAddress());
        // Attaching again changes nothing; the first attach's lo undo still stands.
        attached.put(c.ip(), new Attached(c, ep, before != null && lo == null ? before.loopbackUndo() : lo));
        return ep;
    }

    private static boolean sameNamespace(ContainerSpec a, ContainerSpec b) {
        if (Objects.equals(a.namespace().name(), b.namespace().name()) && a.namespace().name() != null) {
            return true;
        }
        try {
            return a.namespace().inode() == b.namespace().inode();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean sameContainer(ContainerSpec a, ContainerSpec b) {
        return Objects.equals(a.namespace().name(), b.namespace().name())
                && a.interfaceName().equals(b.interfaceName())
                && a.hostInterfaceName().equals(b.hostInterfaceName())
                && a.mac().equals(b.mac());
    }

    /** The attach steps, as one transaction; returns the undo of bringing lo up, if it was brought up. */
    private Transaction.Undo plug(ContainerSpec c) throws IOException {
        Transaction tx = new Transaction(observer);
        // Containers must not send frames the vxlan cannot carry: give them its MTU.
        int mtu = overlay.mtu() != null ? overlay.mtu() : ops.mtu(overlay.vxlanName());
        Transaction.Undo[] loopback = new Transaction.Undo[1];
        try (Netlink inside = Netlink.open(c.namespace())) {
            try {
                tx.step("veth " + c.hostInterfaceName() + " <-> " + c.interfaceName(),
                        () -> ops.ensureVeth(c, mtu, ContainerRecord.linkGroup(overlay)));
                tx.step("record container on " + c.hostInterfaceName(), () -> ops.ensureContainerRecord(c, inside));
                tx.step("enslave " + c.hostInterfaceName() + " to " + overlay.bridgeName(),
                        () -> ops.ensureMaster(c.hostInterfaceName(), overlay.bridgeName()));
                tx.step("up " + c.hostInterfaceName(), () -> ops.ensureUp(c.hostInterfaceName()));
                HostOps in = ops.in(inside);
                tx.step("up lo in container", () -> loopback[0] = in.ensureLoopbackUp(c.namespace()));
                tx.step("up " + c.interfaceName() + " in container", () -> in.ensureUp(c.interfaceName()));
                IpPrefix addr = IpPrefix.of(c.ip(), overlay.cidr().length());
                tx.step("address " + addr + " in container", () -> in.ensureAddress(c.interfaceName(), addr));
                tx.step("default route via " + Ip.text(overlay.gateway()) + " in container",
                        () -> in.ensureDefaultRoute(c.interfaceName(), overlay.gateway()));
            } catch (IOException | RuntimeException | Error e) {
                tx.rollback(e);
                throw e;
            }
        }
        return loopback[0];
    }

    /**
     * Unplugs a container: if attach brought the container's loopback up, brings
     * it down again, then deletes the veth pair (its addresses and routes go with
     * it), so the container namespace reads back as before attach.
     *
     * @param c the container as attached
     * @throws IOException if the kernel refuses a change
     */
    public void detach(ContainerSpec c) throws IOException {
        ensureNotLeft();
        // What lo was like before attach is read from the kernel (the veth's record), so a
        // detach after a restart of this program restores it too.
        ContainerRecord record = ops.containerRecords(overlay).get(c.hostInterfaceName());
        boolean recorded = record != null && record.ip().equals(c.ip());
        // lo first, while the veth still carries the record: a program killed between the
        // two steps leaves the record for the next run's leave, which restores lo from it.
        if (recorded) {
            observer.beforeStep("restore lo in container");
            HostOps.restoreLoopback(record, c.namespace(), observer);
        }
        observer.beforeStep("delete veth " + c.hostInterfaceName());
        ops.deleteLinkIfExists(c.hostInterfaceName());
        Attached a = attached.remove(c.ip());
        if (!recorded && a != null && a.loopbackUndo() != null) {
            observer.beforeStep("restore lo in container");
            a.loopbackUndo().run();
        }
    }

    /**
     * The containers this overlay has attached on this host as the kernel
     * records them (see {@link #attach}), also those attached by an earlier run
     * of the program: what an agent adopts after a restart.
     *
     * @return the attached containers found in the kernel
     * @throws IOException if a dump fails
     */
    public List<AttachedContainer> attachedInKernel() throws IOException {
        List<AttachedContainer> out = new ArrayList<>();
        for (Map.Entry<String, ContainerRecord> e : ops.containerRecords(overlay).entrySet()) {
            ContainerRecord r = e.getValue();
            if (r != null) {
                out.add(new AttachedContainer(r.ip(), r.mac(), e.getKey(), r.namespace()));
            }
        }
        return out;
    }

    /** {@return the endpoints of the containers attached here, for other hosts' {@link #addRemote}} */
    public List<Endpoint> localEndpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (Attached a : attached.values()) {
            out.add(a.endpoint());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Unicast mode: floods broadcast and unknown traffic to {@code peer} too (an all-zero FDB entry).
     *
     * @param peer the other host's underlay address
     * @throws IOException if the kernel refuses the FDB entry
     */
    public void addPeer(String peer) throws IOException {
        addPeer(dev.overlaynet.Ip.parse("peer", peer));
    }

    /**
     * Unicast mode: floods broadcast and unknown traffic to {@code peer} too (an all-zero FDB entry).
     *
     * @param peer the other host's underlay address
     * @throws IOException if the kernel refuses the FDB entry
     */
    public void addPeer(InetAddress peer) throws IOException {
        ensureNotLeft();
        requireUnicast("addPeer");
        if (peer.equals(host.localAddress())) {
            throw new IllegalArgumentException("peer " + Ip.text(peer) + " is this host");
        }
        observer.beforeStep("flood entry to " + Ip.text(peer));
        ops.ensureFlood(overlay.vxlanName(), peer);
        peers.add(peer);
    }

    /**
     * Unicast mode: stops flooding to {@code peer} and forgets the endpoints behind it.
     *
     * @param peer the other host's underlay address
     * @throws IOException if the kernel refuses a deletion
     */
    public void removePeer(String peer) throws IOException {
        removePeer(dev.overlaynet.Ip.parse("peer", peer));
    }

    /**
     * Unicast mode: stops flooding to {@code peer} and forgets the endpoints behind it.
     *
     * @param peer the other host's underlay address
     * @throws IOException if the kernel refuses a deletion
     */
    public void removePeer(InetAddress peer) throws IOException {
        ensureNotLeft();
        requireUnicast("removePeer");
        for (Endpoint e : new ArrayList<>(remotes.values())) {
            if (e.host().equals(peer)) {
                removeRemote(e);
            }
        }
        observer.beforeStep("remove flood entry to " + Ip.text(peer));
        ops.deleteFlood(overlay.vxlanName(), peer);
        peers.remove(peer);
    }

    /** {@return the peers added with {@link #addPeer}} */
    public Set<InetAddress> peers() {
        return Collections.unmodifiableSet(peers);
    }

    /**
     * Unicast mode: installs a remote container as a static neighbour on the
     * bridge (so ARP for it is answered locally) and a static FDB entry on the
     * vxlan device (so frames for it go straight to its host).
     *
     * @param e the remote container, with the address of its host
     * @throws IOException if the kernel refuses an entry
     */
    public void addRemote(Endpoint e) throws IOException {
        ensureNotLeft();
        requireUnicast("addRemote");
        checkRemote(overlay, host, e);
        Transaction tx = new Transaction(observer);
        try {
            tx.step("remote " + e, () -> ops.ensureRemote(overlay, e));
        } catch (IOException | RuntimeException | Error x) {
            tx.rollback(x);
            throw x;
        }
        remotes.put(e.ip(), e);
    }

    /**
     * Removes a remote endpoint's neighbour and FDB entries.
     *
     * @param e the remote container
     * @throws IOException if the kernel refuses a deletion
     */
    public void removeRemote(Endpoint e) throws IOException {
        ensureNotLeft();
        observer.beforeStep("remove remote " + e);
        ops.deleteRemote(overlay, e);
        remotes.remove(e.ip());
    }

    /** {@return the remote endpoints installed here} */
    public List<Endpoint> remotes() {
        return List.copyOf(remotes.values());
    }

    /**
     * Leaves the overlay: detaches the containers attached through this object,
     * removes the NAT rule, the bridge and the vxlan device (and with them the
     * addresses, FDB and neighbour entries on them), and puts
     * {@code net.ipv4.ip_forward} back to what it was before the first overlay
     * on this host turned it on, once no other overlay is left on the host.
     * Touches nothing else.
     *
     * <p>Forwarding is one setting per namespace, shared by every overlay on
     * the host. Join records the value to put back in the alias of its vxlan
     * device ({@code overlaynet ip_forward before=0}), inheriting the record
     * of an overlay already there; leave restores it only when no other
     * overlay's vxlan remains. The record survives a restart of the program,
     * so a rejoin followed by leave restores the original value too.
     *
     * <p>A step that fails does not stop the others; the first failure is
     * thrown (later ones suppressed) and the host is not marked as left, so
     * calling {@code leave()} again finishes the job. Tables the library does
     * not own, of any family, are never touched and never block it.
     *
     * @throws IOException if the kernel refuses a deletion
     */
    public void leave() throws IOException {
        if (left) {
            return;
        }
        Exception first = null;
        try {
            removeContainers();
        } catch (Exception e) {
            first = add(first, e);
        }
        // Each step is tried even when an earlier one failed, so one obstacle
        // (a foreign table, a busy link) does not leave the rest in place.
        if (overlay.nat()) {
            try {
                observer.beforeStep("remove masquerade " + overlay.cidr());
                ops.removeMasquerade(overlay);
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        ForwardingRecord.Found forwarding = null;
        try {
            forwarding = ForwardingRecord.find(nl, overlay);
        } catch (Exception e) {
            first = add(first, e);
        }
        // The last overlay on the host puts forwarding back; while another remains it stays on.
        // This comes before deleting the vxlan, which carries the record of the value to restore:
        // if either step fails, a retry still finds the record in the kernel.
        boolean forwardingDone = false;
        if (forwarding != null) {
            try {
                if (forwarding.own() != null && !forwarding.otherOverlayPresent()
                        && !forwarding.own().equals(ops.sysctl("net.ipv4.ip_forward"))) {
                    observer.beforeStep("restore ip_forward=" + forwarding.own());
                    ops.setSysctl("net.ipv4.ip_forward", forwarding.own());
                }
                forwardingDone = true;
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        if (forwardingDone) {
            try {
                observer.beforeStep("delete " + overlay.vxlanName());
                ops.deleteLinkIfExists(overlay.vxlanName());
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        try {
            observer.beforeStep("delete " + overlay.bridgeName());
            ops.deleteLinkIfExists(overlay.bridgeName());
        } catch (Exception e) {
            first = add(first, e);
        }
        if (first != null) {
            // Not marked as left: a second leave() finishes what this one could not.
            throw rethrowable(first);
        }
        left = true;
        peers.clear();
        remotes.clear();
    }

    /**
     * Removes every container of this overlay the kernel knows of (the host ends
     * of their veths carry the overlay's link group), also those attached before
     * a restart, in one group delete; puts each container's loopback back as its
     * record says.
     */
    private void removeContainers() throws IOException {
        Map<String, ContainerRecord> records = ops.containerRecords(overlay);
        Exception first = null;
        for (Map.Entry<String, ContainerRecord> e : records.entrySet()) {
            ContainerRecord r = e.getValue();
            if (r == null || !r.loWasDown()) {
                continue;
            }
            Attached a = attached.get(r.ip());
            try {
                if (a != null) {
                    observer.beforeStep("restore lo in " + a.spec().namespace().name());
                    HostOps.restoreLoopback(r, a.spec().namespace(), observer);
                } else if (r.namespace() != null && NetNs.exists(r.namespace())) {
                    observer.beforeStep("restore lo in " + r.namespace());
                    try (NetNs ns = NetNs.open(r.namespace())) {
                        HostOps.restoreLoopback(r, ns, observer);
                    }
                }
            } catch (Exception x) {
                first = add(first, x);
            }
        }
        if (!records.isEmpty()) {
            observer.beforeStep("delete the veths of " + records.size() + " containers (link group "
                    + ContainerRecord.linkGroup(overlay) + ")");
            nl.links().deleteGroup(ContainerRecord.linkGroup(overlay));
        }
        // Containers whose veth is already gone: their lo undo still stands in memory.
        for (Attached a : new ArrayList<>(attached.values())) {
            if (!records.containsKey(a.spec().hostInterfaceName()) && a.loopbackUndo() != null) {
                try {
                    a.loopbackUndo().run();
                } catch (Exception x) {
                    first = add(first, x);
                }
            }
        }
        attached.clear();
        if (first != null) {
            throw rethrowable(first);
        }
    }

    /** {@code e} as what this class's methods may throw: an IOException, else unchecked. */
    private static IOException rethrowable(Exception e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(e.getMessage(), e);
    }

    private static Exception add(Exception first, Exception e) {
        if (first == null) {
            return e;
        }
        first.addSuppressed(e);
        return first;
    }

    /** {@return the overlay this host joined} */
    public Overlay overlay() {
        return overlay;
    }

    /** {@return this host's part of the overlay} */
    public HostSpec host() {
        return host;
    }

    private void requireUnicast(String what) {
        if (overlay.mode() != Overlay.Mode.UNICAST) {
            throw new IllegalStateException(what + " is for unicast overlays; in multicast mode VTEPs learn from traffic");
        }
    }

    private void ensureNotLeft() {
        if (left) {
            throw new IllegalStateException("this host has left the overlay");
        }
    }
}
