package dev.overlaynet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code ensure} compares for addresses, routes, neighbours and FDB
 * entries: the fields the caller set, as the kernel keeps them. Fields the
 * kernel fills in itself when they are not given (a route's protocol and
 * scope, an address's label) are compared only when set; what the kernel
 * drops or rewrites (IPv4 HOMEADDRESS/NODAD, IPv6 address scope, NUD_DELAY
 * read back as PROBE, the remaining lifetime counting down) is compared the
 * way the kernel keeps it, so an identical second {@code ensure} finds
 * nothing to do.
 */
final class EnsureDiffs {
    private EnsureDiffs() {}

    /** Address flags the kernel stores as given, per family (others it sets itself or drops). */
    private static final Set<AddressFlag> V4_KEPT = EnumSet.of(AddressFlag.NOPREFIXROUTE, AddressFlag.MCAUTOJOIN);
    private static final Set<AddressFlag> V6_KEPT = EnumSet.of(AddressFlag.NODAD, AddressFlag.HOMEADDRESS,
            AddressFlag.MANAGETEMPADDR, AddressFlag.NOPREFIXROUTE, AddressFlag.MCAUTOJOIN);

    /** Neighbour and FDB flags a request sets (SELF/MASTER say where an FDB entry lives; the rest are kernel state). */
    private static final Set<NeighbourFlag> NEIGH_SET = EnumSet.of(NeighbourFlag.ROUTER, NeighbourFlag.EXT_LEARNED, NeighbourFlag.PROXY);
    private static final Set<NeighbourFlag> FDB_SET = EnumSet.of(NeighbourFlag.STICKY, NeighbourFlag.EXT_LEARNED, NeighbourFlag.ROUTER);

    /** Same kernel key: local address, prefix length and (IPv4) peer. */
    static boolean sameKey(Address want, Address have) {
        return want.prefix().address().equals(have.prefix().address())
                && want.prefix().length() == have.prefix().length()
                && (want.peer() == null || want.peer().equals(have.peer()));
    }

    static List<String> differences(Address want, Address have) {
        List<String> out = new ArrayList<>();
        boolean v4 = want.prefix().isV4();
        for (AddressFlag f : v4 ? V4_KEPT : V6_KEPT) {
            if (want.flags().contains(f) != have.flags().contains(f)) {
                out.add("flags");
                break;
            }
        }
        if (v4) {
            diff(out, "scope", want.scope(), have.scope());
            diff(out, "label", want.label(), have.label());
            diff(out, "broadcast", want.broadcast(), have.broadcast());
        }
        // The kernel reports the remaining lifetime, which counts down: compare finite against forever only.
        if (finite(want.validLifetime()) != finite(have.validLifetime())) {
            out.add("validLifetime");
        }
        if (finite(want.preferredLifetime()) != finite(have.preferredLifetime())) {
            out.add("preferredLifetime");
        }
        return out;
    }

    private static boolean finite(Long lifetime) {
        return lifetime != null && lifetime != Address.FOREVER;
    }

    /** Same kernel key: destination, table and metric (IPv6's default metric is 1024, IPv4's 0). */
    static boolean sameKey(Route want, Route have) {
        if (!want.dst().equals(have.dst())) {
            return false;
        }
        long wantTable = want.table() == null ? 254 : want.table();
        long haveTable = have.table() == null ? 254 : have.table();
        if (wantTable != haveTable) {
            return false;
        }
        return keptMetric(want) == keptMetric(have);
    }

    /** The metric as the kernel keeps it: IPv6 stores 0 (and no metric) as 1024, IP6_RT_PRIO_USER. */
    private static long keptMetric(Route r) {
        long m = r.metric() == null ? 0 : r.metric();
        return m == 0 && !r.dst().isV4() ? 1024 : m;
    }

    static List<String> differences(Route want, Route have, int wantIndex) {
        List<String> out = new ArrayList<>();
        diff(out, "via", want.via(), have.via());
        if (wantIndex != 0 && !Objects.equals(wantIndex, have.index())) {
            out.add(want.dev() != null ? "dev" : "index");
        }
        if (Boolean.TRUE.equals(want.onlink()) != Boolean.TRUE.equals(have.onlink())) {
            out.add("onlink");
        }
        if (want.dst().isV4()) {
            diff(out, "scope", want.scope(), have.scope());
        }
        diff(out, "src", want.src(), have.src());
        RouteProtocol proto = want.protocol() == null ? RouteProtocol.BOOT : want.protocol();
        diff(out, "protocol", proto, have.protocol());
        RouteType type = want.type() == null ? RouteType.UNICAST : want.type();
        diff(out, "type", type, have.type() == null ? RouteType.UNICAST : have.type());
        return out;
    }

    static List<String> differences(Neighbour want, Neighbour have) {
        List<String> out = new ArrayList<>();
        if (want.flags().contains(NeighbourFlag.PROXY)) {
            // A proxy entry has neither address nor state (pneigh_fill_info reports NUD_NONE).
            if (!kept(want.flags(), NEIGH_SET).equals(kept(have.flags(), NEIGH_SET))) {
                out.add("flags");
            }
            return out;
        }
        diff(out, "lladdr", want.lladdr(), have.lladdr());
        Set<NeighbourState> ws = want.state() == null ? EnumSet.of(NeighbourState.PERMANENT) : want.state();
        if (!normalised(ws).equals(normalised(have.state()))) {
            out.add("state");
        }
        if (!kept(want.flags(), NEIGH_SET).equals(kept(have.flags(), NEIGH_SET))) {
            out.add("flags");
        }
        return out;
    }

    /** The kernel moves a NUD_DELAY entry to PROBE at once; both mean "being confirmed". */
    private static Set<NeighbourState> normalised(Set<NeighbourState> s) {
        EnumSet<NeighbourState> out = s.isEmpty() ? EnumSet.noneOf(NeighbourState.class) : EnumSet.copyOf(s);
        if (out.remove(NeighbourState.PROBE)) {
            out.add(NeighbourState.DELAY);
        }
        return out;
    }

    /**
     * Same kernel key: MAC, VLAN and VNI; for the zero or a multicast MAC, whose
     * remotes are a list, also the remote (vxlan_fdb_find_rdst: address, port, VNI).
     */
    static boolean sameKey(FdbEntry want, FdbEntry have) {
        boolean list = want.mac().isZero() || want.mac().isMulticast();
        return want.mac().equals(have.mac())
                && Objects.equals(want.vlan(), have.vlan())
                && (want.vni() == null || Objects.equals(want.vni(), have.vni()))
                && (!list || Objects.equals(want.dst(), have.dst())
                        && (want.port() == null || Objects.equals(want.port(), have.port())));
    }

    static List<String> differences(FdbEntry want, FdbEntry have) {
        List<String> out = new ArrayList<>();
        diff(out, "dst", want.dst(), have.dst());
        diff(out, "port", want.port(), have.port());
        diff(out, "vni", want.vni(), have.vni());
        diff(out, "srcVni", want.srcVni(), have.srcVni());
        // A bridge entry with extern_learn is learned as dynamic and not sticky, whatever the request
        // says (br_fdb_external_learn_add): its state and STICKY are not kept, so not compared.
        boolean learned = want.flags().contains(NeighbourFlag.MASTER) && want.flags().contains(NeighbourFlag.EXT_LEARNED);
        if (!learned) {
            FdbEntryState state = want.state() == null ? FdbEntryState.PERMANENT : want.state();
            diff(out, "state", state, have.state());
        }
        Set<NeighbourFlag> compared = learned ? EnumSet.of(NeighbourFlag.EXT_LEARNED, NeighbourFlag.ROUTER) : FDB_SET;
        if (!kept(want.flags(), compared).equals(kept(have.flags(), compared))) {
            out.add("flags");
        }
        return out;
    }

    /**
     * Whether {@code have} lives in a bridge's FDB as a port's entry (MASTER).
     * The bridge's own entries, made with SELF on the bridge device, are
     * dumped with MASTER too but name the bridge itself as their master: they
     * are the device's own, as a SELF request asks.
     */
    static boolean onMaster(FdbEntry have) {
        return have.flags().contains(NeighbourFlag.MASTER)
                && !(have.master() != null && have.master().equals(have.index()));
    }

    private static Set<NeighbourFlag> kept(Set<NeighbourFlag> flags, Set<NeighbourFlag> compared) {
        EnumSet<NeighbourFlag> out = EnumSet.noneOf(NeighbourFlag.class);
        for (NeighbourFlag f : flags) {
            if (compared.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static void diff(List<String> out, String field, Object want, Object have) {
        if (want == null) {
            return;
        }
        boolean same = want instanceof InetAddress a && have instanceof InetAddress b ? a.equals(b) : want.equals(have);
        if (!same) {
            out.add(field);
        }
    }
}
