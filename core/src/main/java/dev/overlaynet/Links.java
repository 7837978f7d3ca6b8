package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.DumpInterruptedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.IfLink;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links of one namespace: add, get, list, change, ensure and delete typed
 * {@link Link}s. Every call is one or a few rtnetlink requests on the
 * handle's socket; names are resolved to ifindexes by the kernel.
 *
 * <pre>{@code
 * Links links = nl.links();
 * links.add(Bridge.builder().name("br0").build());
 * links.ensure(Vxlan.builder().name("vxlan0").vni(42).group("239.1.1.1").device("eth1").master("br0").build());
 * links.up("vxlan0", "br0");
 * Vxlan vx = (Vxlan) links.get("vxlan0");
 * links.deleteGroup(7);                  // every link in group 7, one request
 * }</pre>
 */
public final class Links {
    private static final Logger LOG = LoggerFactory.getLogger(Links.class);
    private static final int DUMP_ATTEMPTS = 5;

    private final Netlink nl;

    /** Drivers for kinds the library does not model; replaced as a whole, never changed in place. */
    private volatile LinkDrivers drivers = LinkDrivers.NONE;

    Links(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Registers a codec for a link kind the library does not model, on this
     * handle only: links of that kind then decode as {@link CustomLink}s with
     * the driver's data. Registering the same driver again does nothing.
     *
     * <pre>{@code
     * nl.links().register(LinkDriver.of("ifb", (d, out) -> { }, in -> Boolean.TRUE));
     * }</pre>
     *
     * @param driver the kind's codec
     * @return these links, for chaining
     * @throws IllegalArgumentException if the library models the kind, or
     *         another driver is registered for it
     */
    public Links register(LinkDriver<?> driver) {
        synchronized (this) {
            drivers = drivers.with(driver);
        }
        return this;
    }

    // ---- create / read ---------------------------------------------------------------

    /**
     * Adds {@code link}; EEXIST (as NetlinkException) if a link of that name
     * exists. The kernel ignores IFLA_IFALIAS on creation, so an alias is set
     * by a second request; if that fails the new link is deleted again.
     *
     * @param link the link to create; its kind's builder validated it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(Link link) throws NetlinkException {
        Objects.requireNonNull(link, "link");
        checkVxlanMtu(link, link);
        checkPassthruAddress(link, link);
        NetNs peerNs = link instanceof Veth v ? v.peerNamespace() : null;
        if (peerNs == null) {
            send(w -> LinkCodec.encodeNewLink(w, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, link, 0, resolver(), true));
        } else {
            // The peer's namespace travels as a descriptor number: keep it open until sent.
            peerNs.withFd(fd -> {
                send(w -> LinkCodec.encodeNewLink(w, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, link, 0, resolver(), true));
                return null;
            });
        }
        if (link.alias() != null) {
            try {
                setAlias(link.name(), link.alias());
            } catch (NetlinkException | RuntimeException e) {
                try {
                    delete(link.name());
                } catch (NetlinkException d) {
                    e.addSuppressed(d);
                }
                throw e;
            }
        }
    }

    /**
     * {@return the link named {@code name}; a NetlinkException with {@code isNotFound()} if there is none}
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @throws NetlinkException ENODEV if there is no such link
     */
    public Link get(String name) throws NetlinkException {
        LinkName.validate("name", name);
        return getOne(0, name);
    }

    /**
     * {@return the link with interface index {@code index}}
     *
     * @param index an interface index, greater than 0
     * @throws NetlinkException ENODEV if there is no such link
     */
    public Link get(int index) throws NetlinkException {
        if (index <= 0) {
            throw new IllegalArgumentException("index " + index + " must be positive");
        }
        return getOne(index, null);
    }

    /**
     * {@return the link named {@code name}, or empty}
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @throws NetlinkException if the kernel fails the lookup for another reason than absence
     */
    public Optional<Link> find(String name) throws NetlinkException {
        try {
            return Optional.of(get(name));
        } catch (NetlinkException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@return every link of the namespace, in ifindex order}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<Link> list() throws NetlinkException {
        MessageWriter w = nl.writer();
        try {
            int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0)
                    .u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS).end(m);
            for (int attempt = 1; ; attempt++) {
                DumpNames names = new DumpNames(drivers);
                List<Object> out = new ArrayList<>();
                try {
                    nl.socket().dump(w, msg -> out.add(names.decode(msg)));
                } catch (DumpInterruptedException e) {
                    if (attempt >= DUMP_ATTEMPTS) {
                        throw new DumpInterruptedException(e.request(), names.finish(out), attempt);
                    }
                    continue;
                }
                return names.finish(out);
            }
        } finally {
            nl.release(w);
        }
    }

    /**
     * Decodes a link dump in one pass, inside the reply handler: the names of
     * masters and lower devices come from the links already seen. A link that
     * refers to one not seen yet (a higher ifindex) is kept as its raw message
     * and decoded again once the dump is complete, so only those few are
     * copied and decoded twice.
     */
    private static final class DumpNames implements NameResolver {
        private final Map<Integer, String> byIndex = new HashMap<>();
        private final LinkDrivers drivers;
        private boolean complete;
        private boolean missed;

        DumpNames(LinkDrivers drivers) {
            this.drivers = drivers;
        }

        @Override
        public int ifindex(String name) {
            throw new IllegalStateException("not used for decoding");
        }

        @Override
        public String name(int index) {
            String n = byIndex.get(index);
            if (n == null && !complete) {
                missed = true;
            }
            return n;
        }

        /** A Link, a raw message (byte[]) to decode after the dump, or null for other messages. */
        Object decode(MessageReader msg) {
            if (msg.type() != RtNetlink.RTM_NEWLINK) {
                return null;
            }
            missed = false;
            Link l = LinkCodec.decode(msg, this, drivers);
            byIndex.put(l.index(), l.name());
            return missed ? copy(msg) : l;
        }

        List<Link> finish(List<Object> decoded) {
            complete = true;
            List<Link> out = new ArrayList<>(decoded.size());
            for (Object o : decoded) {
                if (o instanceof Link l) {
                    out.add(l);
                } else if (o instanceof byte[] raw) {
                    out.add(Links.decode(raw, this, drivers));
                }
            }
            return out;
        }
    }

    /**
     * Links of one kind ({@code vxlan}, {@code bridge}, ...).
     *
     * @param kind the IFLA_INFO_KIND
     * @return the links of that kind, in ifindex order
     * @throws NetlinkException if the dump fails
     */
    public List<Link> list(String kind) throws NetlinkException {
        Objects.requireNonNull(kind, "kind");
        List<Link> out = new ArrayList<>();
        for (Link l : list()) {
            if (l.kind().equals(kind)) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Links of one type, e.g. {@code list(Vxlan.class)}.
     *
     * @param <L> the link type
     * @param type the link class, e.g. {@code Bridge.class}
     * @return the links of that type
     * @throws NetlinkException if the dump fails
     */
    public <L extends Link> List<L> list(Class<L> type) throws NetlinkException {
        Objects.requireNonNull(type, "type must not be null");
        List<L> out = new ArrayList<>();
        for (Link l : list()) {
            if (type.isInstance(l)) {
                out.add(type.cast(l));
            }
        }
        return out;
    }

    /**
     * Links enslaved to {@code master}.
     *
     * @param master the master's name, e.g. {@code br0}
     * @return the enslaved links
     * @throws NetlinkException if the dump fails
     */
    public List<Link> listByMaster(String master) throws NetlinkException {
        LinkName.validate("master", master);
        List<Link> out = new ArrayList<>();
        for (Link l : list()) {
            if (master.equals(l.master())) {
                out.add(l);
            }
        }
        return out;
    }

    // ---- delete ---------------------------------------------------------------------

    /**
     * Deletes {@code name} (a veth takes its peer with it); ENODEV if absent.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(String name) throws NetlinkException {
        LinkName.validate("name", name);
        send(w -> {
            int m = w.begin(RtNetlink.RTM_DELLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name).end(m);
        });
    }

    /**
     * Deletes {@code name} if it exists; true if it did.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @return true if it existed and is now deleted
     * @throws NetlinkException if the kernel refuses for another reason than absence
     */
    public boolean deleteIfExists(String name) throws NetlinkException {
        try {
            delete(name);
            return true;
        } catch (NetlinkException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes every link in link group {@code group} in one request (the
     * kernel's group delete: far cheaper than one request per link). Group 0
     * (default, holds lo and every untagged link) is refused.
     *
     * @param group the link group, 1..4294967295 (IFLA_GROUP is a u32)
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void deleteGroup(long group) throws NetlinkException {
        if (group == 0) {
            throw new IllegalArgumentException("group 0 is the default group of every link; refusing to delete it");
        }
        Attrs.requireU32("group", group);
        send(w -> {
            int m = w.begin(RtNetlink.RTM_DELLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).u32(Ifla.IFLA_GROUP, (int) group).end(m);
        });
    }

    // ---- ensure ----------------------------------------------------------------------

    /**
     * {@link #ensure(Link, Recreate)} with {@link Recreate#FORBIDDEN}.
     *
     * @param link the wanted link; only the fields it sets are compared
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(Link link) throws NetlinkException {
        return ensure(link, Recreate.FORBIDDEN);
    }

    /**
     * Makes the kernel's link look like {@code link} on every field
     * {@code link} sets. Absent: added (CREATED). Already so: nothing is sent
     * (UNCHANGED). Changeable fields differ: one RTM_NEWLINK without
     * NLM_F_CREATE carrying only those fields (CHANGED, same ifindex). A field
     * the kernel can not change differs (vxlan VNI, port, ...; kind; parent or
     * peer): with {@link Recreate#ALLOWED} the link is deleted and added
     * (RECREATED), otherwise an IllegalStateException names the fields. A
     * recreated link gets back what lived on it, unless {@code link} sets it
     * itself: its master, up state, addresses, permanent neighbours and, for
     * a vxlan, its static FDB entries (not the kernel's default entry for the
     * old group or remote, nor IPv6 link-local addresses).
     *
     * @param link the wanted link; only the fields it sets are compared
     * @param recreate whether an unchangeable difference may delete and re-add the link
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(Link link, Recreate recreate) throws NetlinkException {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(recreate, "recreate");
        Optional<Link> found = find(link.name());
        if (found.isEmpty()) {
            add(link);
            return EnsureResult.CREATED;
        }
        Link actual = found.get();
        List<String> diffs = link.differences(actual);
        if (diffs.isEmpty()) {
            return EnsureResult.UNCHANGED;
        }
        List<String> fixed = new ArrayList<>();
        for (String f : diffs) {
            if (link.kindCodec().isImmutable(f)) {
                fixed.add(f);
            }
        }
        if (!fixed.isEmpty()) {
            if (recreate != Recreate.ALLOWED) {
                throw new IllegalStateException(link.name() + ": " + String.join(", ", fixed)
                        + (fixed.size() == 1 ? " differs" : " differ") + " from the existing " + actual.kind()
                        + " and cannot be changed in place (" + describeFixed(fixed, link, actual)
                        + "); delete the link or call ensure(link, Recreate.ALLOWED)");
            }
            LOG.debug("recreating {}: {} differ", link.name(), fixed);
            Carried carried = carry(actual);
            delete(link.name());
            add(link);
            restore(link, carried);
            return EnsureResult.RECREATED;
        }
        if (diffs.contains("mtu")) {
            checkVxlanMtu(link, actual);
        }
        if (diffs.contains("address")) {
            checkPassthruAddress(link, actual);
        }
        LOG.debug("changing {}: {}", link.name(), diffs);
        change(link, actual, diffs);
        return EnsureResult.CHANGED;
    }

    /**
     * What lives on a link and would die with it when it is recreated: its
     * master and up state, its addresses, its permanent neighbours and, for a
     * vxlan, its static FDB entries (the remotes a unicast overlay installs).
     * Kernel-made state is left to the kernel: IPv6 link-local addresses, and
     * the vxlan's default entry for its group or remote.
     */
    private record Carried(Link actual, List<Address> addresses, List<Neighbour> neighbours, List<FdbEntry> fdb) {}

    private Carried carry(Link actual) throws NetlinkException {
        String name = actual.name();
        List<Address> addresses = new ArrayList<>();
        for (Address a : nl.addresses().list(name)) {
            if (!a.prefix().address().isLinkLocalAddress()) {
                addresses.add(a.toBuilder().index(null).link(name).build());
            }
        }
        List<Neighbour> neighbours = new ArrayList<>();
        for (Neighbour n : nl.neighbours().list(name)) {
            if (n.state().contains(NeighbourState.PERMANENT)) {
                neighbours.add(n.toBuilder().index(null).dev(name).build());
            }
        }
        List<FdbEntry> fdb = new ArrayList<>();
        if (actual instanceof Vxlan vx) {
            java.net.InetAddress kernelDefault = vx.group() != null ? vx.group() : vx.remote();
            for (FdbEntry f : nl.fdb().list(name)) {
                boolean userMade = f.flags().contains(NeighbourFlag.SELF) && f.state() != FdbEntryState.DYNAMIC;
                boolean kernelMade = f.mac().isZero() && f.dst() != null && f.dst().equals(kernelDefault);
                if (userMade && !kernelMade) {
                    fdb.add(f.toBuilder().index(null).dev(name).build());
                }
            }
        }
        return new Carried(actual, addresses, neighbours, fdb);
    }

    /** Puts {@code c} back on the recreated link, except what {@code want} itself sets. */
    private void restore(Link want, Carried c) throws NetlinkException {
        String name = want.name();
        if (want.master() == null && c.actual().master() != null) {
            setMaster(name, c.actual().master());
        }
        for (Address a : c.addresses()) {
            nl.addresses().replace(a);
        }
        if (!c.neighbours().isEmpty()) {
            nl.neighbours().replaceAll(c.neighbours(), AckMode.EACH).throwIfFailed();
        }
        if (!c.fdb().isEmpty()) {
            nl.fdb().appendAll(c.fdb(), AckMode.EACH).throwIfFailed();
        }
        if (want.up() == null && Boolean.TRUE.equals(c.actual().up())) {
            up(name);
        }
    }

    private static String describeFixed(List<String> fixed, Link want, Link have) {
        if (fixed.contains("kind")) {
            return "kind " + have.kind() + ", want " + want.kind();
        }
        Map<String, Object> w = want.data.asMap(want.kindCodec().specs());
        Map<String, Object> h = have.data.asMap(have.kindCodec().specs());
        List<String> parts = new ArrayList<>();
        for (String f : fixed) {
            Object wv = f.equals(want.kindCodec().linkRefName()) ? want.linkRef : w.get(f);
            Object hv = f.equals(want.kindCodec().linkRefName()) ? have.linkRef : h.get(f);
            parts.add(f + " is " + hv + ", want " + wv);
        }
        return String.join("; ", parts);
    }

    /**
     * A vxlan over a device can carry at most the device's mtu minus the
     * encapsulation (50 bytes over IPv4, 70 over IPv6): vxlan_config_apply
     * silently clamps a larger mtu when the link is created, and
     * vxlan_change_mtu refuses it with a bare EINVAL later. Refused here,
     * naming the limit, before anything is sent. {@code shape} is the vxlan
     * whose device and addresses count (the existing one when changing).
     */
    private void checkVxlanMtu(Link want, Link shape) throws NetlinkException {
        if (!(shape instanceof Vxlan v) || want.mtu() == null) {
            return;
        }
        String device = want instanceof Vxlan w && w.device() != null ? w.device() : v.device();
        if (device == null) {
            return;
        }
        Optional<Link> lower = find(device);
        if (lower.isEmpty() || lower.get().mtu() == null) {
            return; // the kernel reports the missing device
        }
        boolean v6 = v.group() instanceof java.net.Inet6Address || v.remote() instanceof java.net.Inet6Address
                || v.local() instanceof java.net.Inet6Address;
        int headroom = v6 ? 70 : 50;
        int max = lower.get().mtu() - headroom;
        if (want.mtu() > max) {
            throw new IllegalArgumentException(want.name() + ": mtu " + want.mtu() + " is above " + max
                    + ", the most a vxlan over " + device + " can carry (its mtu " + lower.get().mtu() + " minus "
                    + headroom + " bytes of " + (v6 ? "IPv6" : "IPv4") + " VXLAN headroom); the kernel would "
                    + (want == shape ? "silently lower it to " + max : "refuse it (EINVAL)"));
        }
    }

    /**
     * A passthru macvlan takes its parent's address: macvlan_newlink ignores
     * IFLA_ADDRESS, and a later change of it changes the parent's instead.
     * Any other address is refused here, naming the parent's, before
     * anything is sent. {@code shape} is the macvlan whose mode and parent
     * count (the existing one when changing).
     */
    private void checkPassthruAddress(Link want, Link shape) throws NetlinkException {
        if (!(shape instanceof Macvlan m) || m.mode() != MacvlanMode.PASSTHRU || want.address() == null) {
            return;
        }
        String parent = want instanceof Macvlan w && w.parent() != null ? w.parent() : m.parent();
        Optional<Link> lower = parent == null ? Optional.empty() : find(parent);
        if (lower.isEmpty() || want.address().equals(lower.get().address())) {
            return; // the kernel reports a missing parent
        }
        throw new IllegalArgumentException("address " + want.address() + " cannot be set on a passthru macvlan: "
                + "it takes its parent's address, " + lower.get().address() + " of " + parent
                + " (set that on the parent instead)");
    }

    /** A changelink carrying only the differing fields. */
    private void change(Link want, Link actual, List<String> diffs) throws NetlinkException {
        Link.Builder<?, ?> b = want.kindCodec().newBuilder();
        if (b instanceof GenericLink.Builder g) {
            g.kind(want.kind());
        }
        b.name = want.name();
        b.mtu = diffs.contains("mtu") ? want.mtu() : null;
        b.address = diffs.contains("address") ? want.address() : null;
        b.master = diffs.contains("master") ? want.master() : null;
        b.group = diffs.contains("linkGroup") ? want.linkGroup() : null;
        b.txQueueLength = diffs.contains("txQueueLength") ? want.txQueueLength() : null;
        b.alias = diffs.contains("alias") ? want.alias() : null;
        b.up = diffs.contains("up") ? want.up() : null;
        List<AttrSpec<?>> dataDiffs = new ArrayList<>();
        for (AttrSpec<?> s : want.kindCodec().specs()) {
            if (diffs.contains(s.name())) {
                dataDiffs.add(s);
            }
        }
        Link common = b.create();
        Link.Builder<?, ?> kindOnly = want.kindCodec().newBuilder();
        if (kindOnly instanceof GenericLink.Builder g) {
            g.kind(want.kind());
        }
        kindOnly.name = want.name();
        kindOnly.data = want.data.only(dataDiffs);
        Link kindDelta = kindOnly.create();
        int index = actual.index();
        // Two messages: the kernel refuses common changes such as IFLA_MTU in the same
        // changelink as IFLA_LINKINFO ("Cannot change mtu."). Kind data first, then the
        // common fields, so "up" comes last.
        send(w -> {
            if (!dataDiffs.isEmpty()) {
                LinkCodec.encodeNewLink(w, 0, kindDelta, index, resolver(), true);
            }
            if (dataDiffs.size() < diffs.size()) {
                LinkCodec.encodeNewLink(w, 0, common, index, resolver(), false);
            }
        });
    }

    // ---- set ------------------------------------------------------------------------

    /**
     * Sets every named link administratively up, in one batch; links already
     * up are left alone, so a second call sends nothing.
     *
     * @param names the links' names
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void up(String... names) throws NetlinkException {
        setFlags(true, names);
    }

    /**
     * Sets every named link administratively down, in one batch; links already down are left alone.
     *
     * @param names the links' names
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void down(String... names) throws NetlinkException {
        setFlags(false, names);
    }

    private void setFlags(boolean up, String... names) throws NetlinkException {
        if (names == null) {
            throw new IllegalArgumentException("names must not be null");
        }
        for (String n : names) {
            LinkName.validate("name", n);
        }
        List<String> todo = new ArrayList<>();
        for (String n : names) {
            if (!Boolean.valueOf(up).equals(get(n).up()) && !todo.contains(n)) {
                todo.add(n);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        send(w -> {
            for (String n : todo) {
                int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
                w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, up ? IfLink.IFF_UP : 0, IfLink.IFF_UP)
                        .string(Ifla.IFLA_IFNAME, n).end(m);
            }
        });
    }

    /**
     * Sets the MTU (IFLA_MTU) of {@code name}.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @param mtu 68..65535; the kernel may refuse more than the device or its lower device allows
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setMtu(String name, int mtu) throws NetlinkException {
        Link.Builder.range("mtu", mtu, 68, 65535);
        setU32(name, Ifla.IFLA_MTU, mtu);
    }

    /**
     * Enslaves {@code name} to {@code master} (a bridge); sends nothing if it already is.
     *
     * @param name the link to enslave
     * @param master the bridge's name
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setMaster(String name, String master) throws NetlinkException {
        LinkName.validate("name", name);
        LinkName.validate("master", master);
        if (master.equals(get(name).master())) {
            return;
        }
        setU32(name, Ifla.IFLA_MASTER, nl.ifindex(master));
    }

    /**
     * Releases {@code name} from its master (IFLA_MASTER 0); sends nothing if it has none.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void noMaster(String name) throws NetlinkException {
        LinkName.validate("name", name);
        if (get(name).master() == null) {
            return;
        }
        setU32(name, Ifla.IFLA_MASTER, 0);
    }

    /**
     * Puts {@code name} in link group {@code group}.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @param group the link group, 0..4294967295 (IFLA_GROUP is a u32; 0 is "default")
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setGroup(String name, long group) throws NetlinkException {
        Attrs.requireU32("group", group);
        setU32(name, Ifla.IFLA_GROUP, (int) group);
    }

    /**
     * Moves {@code name} into {@code ns} (IFLA_NET_NS_FD); it keeps its name there.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @param ns the target namespace; stays owned by the caller
     * @throws NetlinkException if the kernel refuses, or {@code ns} is closed
     */
    public void moveToNamespace(String name, NetNs ns) throws NetlinkException {
        Objects.requireNonNull(ns, "ns");
        // Held open until sent: a concurrent close must not let the number name another namespace.
        ns.withFd(fd -> {
            setU32(name, Ifla.IFLA_NET_NS_FD, fd);
            return null;
        });
    }

    /**
     * Renames {@code oldName} to {@code newName}; the kernel refuses while the link is up (EBUSY).
     *
     * @param oldName the link's current name
     * @param newName its new name
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void rename(String oldName, String newName) throws NetlinkException {
        LinkName.validate("name", oldName);
        LinkName.validate("newName", newName);
        int index = nl.ifindex(oldName);
        send(w -> {
            int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, index, 0, 0).string(Ifla.IFLA_IFNAME, newName).end(m);
        });
    }

    /**
     * Sets the interface alias (IFLA_IFALIAS); the empty string removes it.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @param alias the alias; empty removes it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setAlias(String name, String alias) throws NetlinkException {
        LinkName.validate("name", name);
        Objects.requireNonNull(alias, "alias");
        Text.requireKernelString("alias", alias, 255, "IFALIASZ - 1");
        send(w -> {
            int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0)
                    .string(Ifla.IFLA_IFALIAS, alias).string(Ifla.IFLA_IFNAME, name).end(m);
        });
    }

    /**
     * Sets the MAC address (IFLA_ADDRESS) of {@code name}.
     *
     * @param name the link's name, e.g. {@code vxlan0}
     * @param address a unicast MAC
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setAddress(String name, MacAddress address) throws NetlinkException {
        Objects.requireNonNull(address, "address");
        if (address.isMulticast()) {
            throw new IllegalArgumentException("address " + address + " is a multicast MAC; a link needs a unicast one");
        }
        LinkName.validate("name", name);
        send(w -> {
            int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0)
                    .bytes(Ifla.IFLA_ADDRESS, address.bytesUnsafe()).string(Ifla.IFLA_IFNAME, name).end(m);
        });
    }

    private void setU32(String name, int attr, int value) throws NetlinkException {
        LinkName.validate("name", name);
        send(w -> {
            int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).u32(attr, value).string(Ifla.IFLA_IFNAME, name).end(m);
        });
    }

    // ---- bridge ports ----------------------------------------------------------------

    /**
     * Sets port options of {@code name}, which must be enslaved to a bridge. Unset options are not sent.
     *
     * @param name the port's name
     * @param port the options to set
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setBridgePort(String name, BridgePort port) throws NetlinkException {
        LinkName.validate("name", name);
        Objects.requireNonNull(port, "port");
        send(w -> encodeBridgePort(w, name, port));
    }

    /** Writes the RTM_NEWLINK that sets bridge port options (also used by golden-bytes tests). */
    static void encodeBridgePort(MessageWriter w, String name, BridgePort port) throws NetlinkException {
        int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        // No IFLA_INFO_KIND: iproute2 sends "bridge_slave", which no rtnl_link_ops carries, so the
        // kernel tries request_module("rtnl-link-bridge_slave") on every call. The slave data alone
        // is routed to the master's slave_changelink.
        int info = w.nestStart(Ifla.IFLA_LINKINFO);
        int data = w.nestStart(Ifla.IFLA_INFO_SLAVE_DATA);
        port.data.encode(w, BridgePortCodec.SPECS, NameResolver.NONE);
        w.nestEnd(data);
        w.nestEnd(info);
        w.end(m);
    }

    /**
     * {@return the bridge port options of {@code name}; IllegalStateException if it is not a bridge port}
     *
     * @param name the port's name
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public BridgePort bridgePort(String name) throws NetlinkException {
        LinkName.validate("name", name);
        byte[] raw = getRaw(0, name);
        BridgePort p = decodeBridgePort(raw);
        if (p == null) {
            throw new IllegalStateException(name + " is not a bridge port");
        }
        return p;
    }

    static BridgePort decodeBridgePort(byte[] message) {
        MessageReader m = MessageReader.of(message);
        if (!m.next()) {
            return null;
        }
        try {
            return decodeBridgePort(m);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWLINK (bridge port)", e);
        }
    }

    private static BridgePort decodeBridgePort(MessageReader m) {
        AttrReader a = m.attrs(16);
        while (a.next()) {
            if (a.type() != Ifla.IFLA_LINKINFO) {
                continue;
            }
            AttrReader li = a.nested();
            String slaveKind = null;
            AttrReader data = null;
            while (li.next()) {
                if (li.type() == Ifla.IFLA_INFO_SLAVE_KIND) {
                    slaveKind = li.string();
                } else if (li.type() == Ifla.IFLA_INFO_SLAVE_DATA) {
                    data = li.nested();
                }
            }
            if ("bridge".equals(slaveKind) && data != null) {
                return BridgePort.of(AttrValues.decode(data, BridgePortCodec.SPECS, NameResolver.NONE));
            }
        }
        return null;
    }

    // ---- plumbing --------------------------------------------------------------------

    @FunctionalInterface
    private interface Encoder {
        void encode(MessageWriter w) throws NetlinkException;
    }

    private void send(Encoder e) throws NetlinkException {
        MessageWriter w = nl.writer();
        try {
            e.encode(w);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    private Link getOne(int index, String name) throws NetlinkException {
        byte[] raw = getRaw(index, name);
        return decode(raw, resolver(), drivers);
    }

    /** One RTM_GETLINK; the reply is copied out so decoding may send further requests. */
    private byte[] getRaw(int index, String name) throws NetlinkException {
        MessageWriter w = nl.writer();
        try {
            int m = w.begin(RtNetlink.RTM_GETLINK, 0);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, index, 0, 0)
                    .u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS);
            if (name != null) {
                w.string(Ifla.IFLA_IFNAME, name);
            }
            w.end(m);
            byte[][] out = new byte[1][];
            nl.socket().request(w, msg -> {
                if (msg.type() == RtNetlink.RTM_NEWLINK) {
                    out[0] = copy(msg);
                }
            });
            if (out[0] == null) {
                throw new NetlinkException("RTM_GETLINK " + (name != null ? name : "ifindex " + index),
                        "kernel acknowledged without a link");
            }
            return out[0];
        } finally {
            nl.release(w);
        }
    }

    private static byte[] copy(MessageReader msg) {
        byte[] b = new byte[msg.length()];
        msg.buffer().get(msg.offset(), b, 0, b.length);
        return b;
    }

    static Link decode(byte[] message, NameResolver names) {
        return decode(message, names, LinkDrivers.NONE);
    }

    static Link decode(byte[] message, NameResolver names, LinkDrivers drivers) {
        MessageReader m = MessageReader.of(message);
        return m.next() ? LinkCodec.decode(m, names, drivers) : null;
    }

    /** Resolves names with RTM_GETLINK requests (never from inside a reply handler). */
    private NameResolver resolver() {
        return new NameResolver() {
            @Override
            public int ifindex(String name) throws NetlinkException {
                LinkName.validate("link name", name);
                return nl.ifindex(name);
            }

            @Override
            public String name(int index) {
                try {
                    Link l = decode(getRaw(index, null), NameResolver.NONE);
                    return l == null ? null : l.name();
                } catch (NetlinkException e) {
                    return null;
                }
            }
        };
    }
}
