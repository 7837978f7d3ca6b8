package dev.overlaynet.bench.peer;

import dev.overlaynet.Addresses;
import dev.overlaynet.BulkResult;
import dev.overlaynet.Bridge;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.LinkCache;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.List;

/**
 * W1: add N permanent IPv4 neighbours on br0 (10.233.0.1... with MACs 02:00:00:xx:xx:xx,
 * exactly the C peer's), then dump the neighbours of br0 once into typed {@link Neighbour}
 * objects and count the permanent IPv4 ones with a MAC.
 */
final class NeighbourWorkload implements Workload {
    private final PeerOptions o;
    private final int n;

    NeighbourWorkload(PeerOptions o, int n) {
        this.o = o;
        this.n = n;
    }

    @Override
    public int warmupRounds() {
        return Workload.roundsFor(n);
    }

    @Override
    public void setUp(Netlink nl) throws Exception {
        nl.links().add(Bridge.builder().name("br0").build());
        Addresses a = nl.addresses();
        a.add("br0", "10.233.255.254/16");
        nl.links().up("br0");
    }

    /** Entry i: 10.233.0.0 + i + 1, 02:00:00:(i >> 16):(i >> 8):i, as peer_mnl's build_neigh. */
    static List<Neighbour> entries(int n) {
        List<Neighbour> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int ip = 0x0ae90000 + i + 1;
            String text = "10.233." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
            MacAddress mac = MacAddress.of(new byte[] {2, 0, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            out.add(Neighbour.permanent("br0", text, mac));
        }
        return out;
    }

    @Override
    public void clearScratch(Netlink nl) throws Exception {
        nl.neighbours().deleteAll(entries(n), AckMode.LAST);
    }

    @Override
    public void run(Netlink nl, Phases out) throws Exception {
        LinkCache cache = Peer.startLinkCacheIfPerRequest(nl, o);
        long hits0 = cache == null ? 0 : cache.hits();
        long fallbacks0 = cache == null ? 0 : cache.fallbacks();
        List<Neighbour> entries = entries(n);
        long t0 = System.nanoTime();
        long errors = add(nl, entries);
        long t1 = System.nanoTime();
        out.record("add", n, t0, t1, n - errors, n, errors, Peer.cacheNote(cache, hits0, fallbacks0));

        t0 = System.nanoTime();
        List<Neighbour> all = nl.neighbours().list("br0");
        long count = 0;
        for (Neighbour e : all) {
            if (e.isV4() && e.lladdr() != null && e.state().contains(NeighbourState.PERMANENT)) {
                count++;
            }
        }
        t1 = System.nanoTime();
        out.record("dump", count, t0, t1, count, n, 0);
    }

    private long add(Netlink nl, List<Neighbour> entries) throws NetlinkException {
        if (!o.perRequest()) {
            BulkResult<Neighbour> r = nl.neighbours().addAll(entries, o.ack());
            Failures.report(r);
            return r.failedCount();
        }
        long errors = 0;
        for (Neighbour e : entries) {
            try {
                nl.neighbours().add(e);
            } catch (NetlinkException ex) {
                errors++;
                Failures.report(errors, ex);
            }
        }
        return errors;
    }
}
