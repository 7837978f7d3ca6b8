package dev.overlaynet.agent;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.BulkResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.Netlink;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.netlink.NetlinkException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one host's FDB and neighbour tables to a {@link DesiredRemotes}:
 * one dump of the vxlan device's FDB, one dump of the bridge's neighbours,
 * then bulk requests (thousands per sendmsg) for exactly the difference.
 * A kernel that is already right costs two dumps and sends nothing.
 *
 * <p>What it owns: on the overlay's vxlan device, the FDB entries of its own
 * table ({@code self}) that have a remote destination and do not age
 * (permanent or static); on the overlay's bridge, the permanent neighbour
 * entries. The overlay's devices are the overlay's, so nothing else is
 * expected there; learned entries are never touched.
 *
 * <pre>{@code
 * ConvergeReport r = Converger.converge(nl, overlay, DesiredRemotes.of(view, "h1"));
 * }</pre>
 */
public final class Converger {
    private static final Logger log = LoggerFactory.getLogger(Converger.class);

    private Converger() {}

    /**
     * {@return one pass; throws only if a dump fails (per-entry refusals are counted and logged)}
     *
     * @param nl the handle on the host's namespace
     * @param o the overlay
     * @param want the remote peers and endpoints the kernel should have
     * @throws NetlinkException if a dump fails
     */
    public static ConvergeReport converge(Netlink nl, Overlay o, DesiredRemotes want) throws NetlinkException {
        long t0 = System.nanoTime();
        String vx = o.vxlanName();
        String br = o.bridgeName();

        // What is there (owned entries only).
        Set<InetAddress> floods = new HashSet<>();
        Map<MacAddress, InetAddress> remotes = new HashMap<>();
        List<FdbEntry> staleFdb = new ArrayList<>();
        int fdbSeen = 0;
        for (FdbEntry f : nl.fdb().list(vx)) {
            if (!owned(f)) {
                continue;
            }
            fdbSeen++;
            if (MacAddress.ZERO.equals(f.mac())) {
                if (want.peers().contains(f.dst())) {
                    floods.add(f.dst());
                } else {
                    staleFdb.add(FdbEntry.flood(vx, Ip.text(f.dst())));
                }
            } else {
                remotes.put(f.mac(), f.dst());
            }
        }
        Map<InetAddress, MacAddress> neighs = new HashMap<>();
        List<Neighbour> staleNeigh = new ArrayList<>();
        int neighSeen = 0;
        for (Neighbour n : nl.neighbours().list(br)) {
            if (!n.state().contains(NeighbourState.PERMANENT) || n.flags().contains(NeighbourFlag.PROXY)) {
                continue;
            }
            neighSeen++;
            Endpoint e = want.endpoints().get(n.ip());
            if (e == null) {
                staleNeigh.add(Neighbour.builder().dev(br).ip(n.ip()).build());
            } else {
                neighs.put(n.ip(), n.lladdr());
            }
        }

        // What must be sent.
        List<FdbEntry> floodAdds = new ArrayList<>();
        for (InetAddress p : want.peers()) {
            if (!floods.contains(p)) {
                floodAdds.add(FdbEntry.flood(vx, Ip.text(p)));
            }
        }
        Set<MacAddress> wantedMacs = new HashSet<>();
        List<FdbEntry> fdbPuts = new ArrayList<>();
        List<Neighbour> neighPuts = new ArrayList<>();
        int added = floodAdds.size();
        int changed = 0;
        for (Endpoint e : want.endpoints().values()) {
            wantedMacs.add(e.mac());
            InetAddress have = remotes.get(e.mac());
            if (!e.host().equals(have)) {
                fdbPuts.add(FdbEntry.remote(vx, e.mac(), Ip.text(e.host())));
                if (have == null) {
                    added++;
                } else {
                    changed++;
                }
            }
            MacAddress mac = neighs.get(e.ip());
            if (!e.mac().equals(mac)) {
                neighPuts.add(Neighbour.permanent(br, Ip.text(e.ip()), e.mac()));
                if (mac == null) {
                    added++;
                } else {
                    changed++;
                }
            }
        }
        for (Map.Entry<MacAddress, InetAddress> r : remotes.entrySet()) {
            if (!wantedMacs.contains(r.getKey())) {
                staleFdb.add(FdbEntry.remote(vx, r.getKey(), Ip.text(r.getValue())));
            }
        }

        // Send: removals of neighbours first (a neighbour without its FDB entry is
        // harmless for a moment, the reverse sends frames to a stale VTEP), then puts.
        int failed = 0;
        if (!staleNeigh.isEmpty()) {
            failed += failures(nl.neighbours().deleteAll(staleNeigh, AckMode.EACH), true);
        }
        if (!staleFdb.isEmpty()) {
            failed += failures(nl.fdb().deleteAll(staleFdb, AckMode.EACH), true);
        }
        if (!floodAdds.isEmpty()) {
            failed += failures(nl.fdb().appendAll(floodAdds, AckMode.EACH), false);
        }
        if (!fdbPuts.isEmpty()) {
            failed += failures(nl.fdb().replaceAll(fdbPuts, AckMode.EACH), false);
        }
        if (!neighPuts.isEmpty()) {
            failed += failures(nl.neighbours().replaceAll(neighPuts, AckMode.EACH), false);
        }
        int removed = staleNeigh.size() + staleFdb.size();
        ConvergeReport r = new ConvergeReport(fdbSeen, neighSeen, added, changed, removed, failed,
                System.nanoTime() - t0);
        if (!r.unchanged()) {
            log.info("{} on {}: converged {}", o.tag(), vx, r);
        }
        return r;
    }

    private static boolean owned(FdbEntry f) {
        return f.flags().contains(NeighbourFlag.SELF) && f.dst() != null && f.state() != FdbEntryState.DYNAMIC;
    }

    private static <T> int failures(BulkResult<T> r, boolean deleting) {
        int n = 0;
        for (BulkResult.Failure<T> f : r.failures()) {
            if (deleting && f.error().isNotFound()) {
                continue; // already gone: the goal is reached
            }
            log.warn("converge: {} refused: {}", f.entry(), f.error().getMessage());
            n++;
        }
        return n;
    }
}
