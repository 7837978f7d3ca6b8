package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.Address;
import dev.overlaynet.Bridge;
import dev.overlaynet.BridgePort;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.Link;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetNs;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay's idempotent building blocks on one namespace's handle. Each
 * {@code ensure*} looks first and changes only what differs, returning the
 * undo of its change, or null when nothing was sent.
 */
final class HostOps {
    private static final Logger LOG = LoggerFactory.getLogger(HostOps.class);
    private final Netlink nl;
    private final StepObserver observer;

    HostOps(Netlink nl, StepObserver observer) {
        this.nl = nl;
        this.observer = observer;
    }

    /** The same operations on another namespace's handle (a container's). */
    HostOps in(Netlink other) {
        return new HostOps(other, observer);
    }

    /**
     * Reports a change. An observer that throws here is logged and ignored:
     * the change is made, and failing now would lose its undo (fail from
     * {@link StepObserver#beforeStep} instead).
     */
    private void mutated(String what) {
        try {
            observer.mutated(what);
        } catch (RuntimeException e) {
            LOG.warn("step observer failed on mutated({}); ignored", what, e);
        }
    }

    Transaction.Undo ensureVxlan(Overlay o, HostSpec h, MacAddress mac) throws NetlinkException {
        Vxlan.Builder b = Vxlan.builder().name(o.vxlanName()).vni(o.vni()).dstPort(o.dstPort())
                .device(h.underlayDevice()).address(mac);
        if (o.mode() == Overlay.Mode.MULTICAST) {
            b.group(o.group());
            if (h.localAddress() != null) {
                b.local(h.localAddress());
            }
        } else {
            b.local(h.localAddress()).learning(false);
        }
        if (o.mtu() != null) {
            b.mtu(o.mtu());
        }
        return ensureLink(b.build());
    }

    Transaction.Undo ensureBridge(String name, MacAddress mac) throws NetlinkException {
        return ensureLink(Bridge.builder().name(name).address(mac).build());
    }

    /**
     * Creates the link or changes it in place. Either way the undo puts back
     * what was there: a created link is deleted, a changed one gets its
     * previous values of exactly the fields that were changed (a rejoin after
     * a restart with, say, a new MTU must not keep it when the join fails).
     */
    private Transaction.Undo ensureLink(Link l) throws NetlinkException {
        Optional<Link> before = nl.links().find(l.name());
        EnsureResult r = nl.links().ensure(l);
        if (r == EnsureResult.UNCHANGED) {
            return null;
        }
        mutated(r + " " + l.kind() + " " + l.name());
        if (r == EnsureResult.CHANGED) {
            Link restore = before.orElseThrow().restrictedTo(l.differences(before.get()));
            return () -> nl.links().ensure(restore);
        }
        return () -> nl.links().deleteIfExists(l.name());
    }

    /** Sets the alias of {@code dev}; the undo puts back the previous one (or none). */
    Transaction.Undo ensureAlias(String dev, String alias) throws NetlinkException {
        String before = nl.links().get(dev).alias();
        if (alias.equals(before)) {
            return null;
        }
        nl.links().setAlias(dev, alias);
        mutated("alias \"" + alias + "\" on " + dev);
        return () -> nl.links().setAlias(dev, before == null ? "" : before);
    }

    MacAddress linkMac(String name) throws NetlinkException {
        return nl.links().get(name).address();
    }

    Transaction.Undo ensureMaster(String dev, String master) throws NetlinkException {
        Link l = nl.links().get(dev);
        if (master.equals(l.master())) {
            return null;
        }
        String before = l.master();
        nl.links().setMaster(dev, master);
        mutated("master " + dev + " " + master);
        return () -> {
            if (before == null) {
                nl.links().noMaster(dev);
            } else {
                nl.links().setMaster(dev, before);
            }
        };
    }

    Transaction.Undo ensureNeighSuppress(String port) throws NetlinkException {
        BridgePort p = nl.links().bridgePort(port);
        if (Boolean.TRUE.equals(p.neighSuppress())) {
            return null;
        }
        nl.links().setBridgePort(port, BridgePort.builder().neighSuppress(true).build());
        mutated("neigh_suppress on " + port);
        return () -> nl.links().setBridgePort(port, BridgePort.builder().neighSuppress(false).build());
    }

    Transaction.Undo ensureUp(String dev) throws NetlinkException {
        if (Boolean.TRUE.equals(nl.links().get(dev).up())) {
            return null;
        }
        nl.links().up(dev);
        mutated("up " + dev);
        return () -> nl.links().down(dev);
    }

    /**
     * Brings a container's loopback up. Its undo brings it down again and
     * deletes the addresses the kernel added to it on the way up (127.0.0.1/8
     * stays on a downed lo, with its local routes), so the namespace reads back
     * exactly as before. The undo opens its own handle on {@code ns}: it may run
     * at detach, long after this call's handle is closed.
     */
    Transaction.Undo ensureLoopbackUp(NetNs ns) throws NetlinkException {
        if (Boolean.TRUE.equals(nl.links().get("lo").up())) {
            return null;
        }
        Set<IpPrefix> before = new HashSet<>();
        for (Address a : nl.addresses().list("lo")) {
            before.add(a.prefix());
        }
        nl.links().up("lo");
        mutated("up lo in " + ns.name());
        return () -> {
            try (Netlink inside = Netlink.open(ns)) {
                inside.links().down("lo");
                for (Address a : inside.addresses().list("lo")) {
                    if (!before.contains(a.prefix())) {
                        inside.addresses().delete(a);
                    }
                }
            }
            mutated("down lo in " + ns.name());
        };
    }

    Transaction.Undo ensureAddress(String dev, IpPrefix prefix) throws NetlinkException {
        for (Address a : nl.addresses().list(dev)) {
            if (a.prefix().equals(prefix)) {
                return null;
            }
        }
        Address a = Address.builder().link(dev).prefix(prefix).build();
        nl.addresses().add(a);
        mutated("address " + prefix + " on " + dev);
        return () -> nl.addresses().delete(a);
    }

    /**
     * Ensures {@code first} is on {@code dev} ahead of {@code then} (same
     * subnet): the kernel makes the first address of a subnet primary, and the
     * primary is the source of the host's ARP requests. If {@code then} is
     * already there without {@code first} (a host rejoining with a host address
     * it did not have before), {@code then} is removed so that {@code first}
     * becomes primary; the caller's next step adds {@code then} back.
     */
    Transaction.Undo ensureAddressAhead(String dev, IpPrefix first, IpPrefix then) throws NetlinkException {
        boolean haveThen = false;
        for (Address a : nl.addresses().list(dev)) {
            if (a.prefix().equals(first)) {
                return null;
            }
            haveThen |= a.prefix().equals(then);
        }
        Address t = Address.builder().link(dev).prefix(then).build();
        if (haveThen) {
            nl.addresses().delete(t);
            mutated("address " + then + " off " + dev + " to put " + first + " ahead of it");
        }
        Address a = Address.builder().link(dev).prefix(first).build();
        try {
            nl.addresses().add(a);
        } catch (NetlinkException | RuntimeException e) {
            if (haveThen) {
                try {
                    nl.addresses().add(t);
                } catch (NetlinkException | RuntimeException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
        mutated("address " + first + " on " + dev);
        boolean readd = haveThen;
        return () -> {
            nl.addresses().delete(a);
            if (readd && nl.addresses().list(dev).stream().noneMatch(x -> x.prefix().equals(then))) {
                nl.addresses().add(t);
            }
        };
    }

    Transaction.Undo ensureDefaultRoute(String dev, InetAddress gateway) throws NetlinkException {
        for (Route r : nl.routes().list(dev)) {
            if (r.isDefault() && gateway.equals(r.via())) {
                return null;
            }
        }
        Route r = Route.builder().dst("default").via(gateway).dev(dev).build();
        nl.routes().add(r);
        mutated("default route via " + Ip.text(gateway) + " dev " + dev);
        return () -> nl.routes().delete(r);
    }

    /**
     * Creates the container's veth pair with {@code mtu} on both ends (the vxlan's,
     * so frames fit), the host end in link group {@code group} from its first moment.
     */
    Transaction.Undo ensureVeth(ContainerSpec c, int mtu, long group) throws NetlinkException {
        Optional<Link> existing = nl.links().find(c.hostInterfaceName());
        if (existing.isPresent()) {
            if (!"veth".equals(existing.get().kind())) {
                throw new IllegalStateException(c.hostInterfaceName() + " exists and is a "
                        + existing.get().kind() + ", not a veth");
            }
            return null;
        }
        nl.links().add(Veth.builder().name(c.hostInterfaceName()).mtu(mtu).linkGroup(group)
                .peer(c.interfaceName()).peerNamespace(c.namespace()).peerAddress(c.mac()).peerMtu(mtu)
                .build());
        mutated("veth " + c.hostInterfaceName());
        return () -> nl.links().deleteIfExists(c.hostInterfaceName());
    }

    /**
     * Records the container on the host end of its veth ({@link ContainerRecord}),
     * reading its loopback's state first. A record of the same container that is
     * already there is kept: it holds the state from before the first attach.
     */
    Transaction.Undo ensureContainerRecord(ContainerSpec c, Netlink inside) throws NetlinkException {
        Optional<ContainerRecord> have = ContainerRecord.parse(nl.links().get(c.hostInterfaceName()).alias());
        if (have.isPresent() && have.get().ip().equals(c.ip())) {
            return null;
        }
        boolean down = !Boolean.TRUE.equals(inside.links().get("lo").up());
        List<IpPrefix> before = new ArrayList<>();
        if (down) {
            for (Address a : inside.addresses().list("lo")) {
                before.add(a.prefix());
            }
        }
        ContainerRecord r = new ContainerRecord(c.ip(), c.mac(), c.namespace().name(), down, before);
        return ensureAlias(c.hostInterfaceName(), r.alias());
    }

    /** The containers recorded on this overlay's veths, by host interface name, from one link dump. */
    Map<String, ContainerRecord> containerRecords(Overlay o) throws NetlinkException {
        Map<String, ContainerRecord> out = new LinkedHashMap<>();
        long group = ContainerRecord.linkGroup(o);
        for (Link l : nl.links().list()) {
            if (l.linkGroup() != null && l.linkGroup() == group) {
                ContainerRecord r = ContainerRecord.parse(l.alias()).orElse(null);
                out.put(l.name(), r);
            }
        }
        return out;
    }

    /** Puts a container's loopback back as {@code r} recorded it: down, without the addresses it gained. */
    static void restoreLoopback(ContainerRecord r, NetNs ns, StepObserver observer) throws NetlinkException {
        if (!r.loWasDown()) {
            return;
        }
        try (Netlink inside = Netlink.open(ns)) {
            if (Boolean.TRUE.equals(inside.links().get("lo").up())) {
                inside.links().down("lo");
            }
            for (Address a : inside.addresses().list("lo")) {
                if (!r.loAddressesBefore().contains(a.prefix())) {
                    inside.addresses().delete(a);
                }
            }
        }
        try {
            observer.mutated("restore lo in " + ns.name());
        } catch (RuntimeException e) {
            LOG.warn("step observer failed on mutated; ignored", e);
        }
    }

    /** The MTU of {@code dev}, or 1500 if the kernel did not say. */
    int mtu(String dev) throws NetlinkException {
        Integer m = nl.links().get(dev).mtu();
        return m != null ? m : 1500;
    }

    String sysctl(String key) throws IOException {
        return nl.sysctls().get(key);
    }

    void setSysctl(String key, String value) throws IOException {
        nl.sysctls().set(key, value);
        mutated("sysctl " + key + "=" + value);
    }

    Transaction.Undo ensureSysctl(String key, String value) throws IOException {
        String before = nl.sysctls().get(key);
        if (value.equals(before)) {
            return null;
        }
        setSysctl(key, value);
        return () -> nl.sysctls().set(key, before);
    }

    Transaction.Undo ensureMasquerade(Overlay o) throws NetlinkException {
        boolean tableExisted = nl.nftables().exists();
        NatRule r = Nat.masquerade(o.cidr().toString()).tag(o.tag()).build();
        if (nl.nftables().apply(r) == 0) {
            return null;
        }
        mutated("masquerade " + o.cidr());
        return () -> {
            nl.nftables().remove(o.tag());
            if (!tableExisted) {
                nl.nftables().deleteTable();
            }
        };
    }

    void removeMasquerade(Overlay o) throws NetlinkException {
        if (!nl.nftables().exists()) {
            return;
        }
        if (nl.nftables().remove(o.tag()) > 0) {
            mutated("remove masquerade " + o.cidr());
        }
        if (nl.nftables().rules().isEmpty()) {
            nl.nftables().deleteTable();
        }
    }

    void ensureFlood(String vxlan, InetAddress peer) throws NetlinkException {
        for (FdbEntry f : nl.fdb().list(vxlan)) {
            if (f.mac().isZero() && peer.equals(f.dst())) {
                return;
            }
        }
        nl.fdb().append(FdbEntry.flood(vxlan, Ip.text(peer)));
        mutated("flood entry " + vxlan + " dst " + Ip.text(peer));
    }

    void deleteFlood(String vxlan, InetAddress peer) throws NetlinkException {
        try {
            nl.fdb().delete(FdbEntry.flood(vxlan, Ip.text(peer)));
            mutated("delete flood entry " + vxlan + " dst " + Ip.text(peer));
        } catch (NetlinkException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    /**
     * Installs a remote endpoint: a permanent neighbour on the bridge and a
     * static FDB entry on the vxlan device. If the FDB part fails after the
     * neighbour was written, the neighbour is removed again before the
     * exception leaves, so a failed call leaves nothing behind. Its two parts
     * are not reported as steps: the caller's step is the whole remote.
     */
    Transaction.Undo ensureRemote(Overlay o, Endpoint e) throws IOException {
        if (e.host() == null) {
            throw new IllegalArgumentException("endpoint " + e + " has no host address");
        }
        Transaction tx = new Transaction(StepObserver.NONE);
        try {
            tx.step("neigh " + Ip.text(e.ip()), () -> ensureRemoteNeigh(o, e));
            tx.step("fdb " + e.mac(), () -> ensureRemoteFdb(o, e));
        } catch (IOException | RuntimeException x) {
            tx.rollback(x);
            throw x;
        }
        return tx.isEmpty() ? null : () -> deleteRemote(o, e);
    }

    /** The remote's neighbour on the bridge; the undo removes it. */
    private Transaction.Undo ensureRemoteNeigh(Overlay o, Endpoint e) throws NetlinkException {
        String ip = Ip.text(e.ip());
        Neighbour n = Neighbour.permanent(o.bridgeName(), ip, e.mac());
        Optional<Neighbour> have = nl.neighbours().get(o.bridgeName(), ip);
        if (have.isPresent() && e.mac().equals(have.get().lladdr()) && have.get().state().equals(n.state())) {
            return null;
        }
        nl.neighbours().replace(n);
        mutated("neigh " + ip + " " + e.mac());
        return () -> deleteNeigh(o, e);
    }

    /** The remote's FDB entry on the vxlan (the last part: its undo runs only from the caller's). */
    private Transaction.Undo ensureRemoteFdb(Overlay o, Endpoint e) throws NetlinkException {
        for (FdbEntry f : nl.fdb().list(o.vxlanName())) {
            if (e.mac().equals(f.mac()) && e.host().equals(f.dst())) {
                return null;
            }
        }
        nl.fdb().replace(FdbEntry.remote(o.vxlanName(), e.mac(), Ip.text(e.host())));
        mutated("fdb " + e.mac() + " dst " + Ip.text(e.host()));
        return () -> deleteRemote(o, e);
    }

    private void deleteNeigh(Overlay o, Endpoint e) throws NetlinkException {
        try {
            nl.neighbours().delete(o.bridgeName(), Ip.text(e.ip()));
        } catch (NetlinkException x) {
            if (!x.isNotFound()) {
                throw x;
            }
        }
    }

    void deleteRemote(Overlay o, Endpoint e) throws NetlinkException {
        deleteNeigh(o, e);
        if (e.host() != null) {
            try {
                nl.fdb().delete(FdbEntry.remote(o.vxlanName(), e.mac(), Ip.text(e.host())));
            } catch (NetlinkException x) {
                if (!x.isNotFound()) {
                    throw x;
                }
            }
        }
        mutated("delete remote " + e);
    }

    void deleteLinkIfExists(String name) throws NetlinkException {
        if (nl.links().deleteIfExists(name)) {
            mutated("delete " + name);
        }
    }
}
