package dev.overlaynet.bench.peer;

import dev.overlaynet.Bridge;
import dev.overlaynet.BulkResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.MacAddress;
import dev.overlaynet.LinkCache;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.List;

/**
 * W2: append N static FDB entries on vx0 (02:fd:00:xx:xx:xx dst 172.16.1.(20 + i % 200),
 * self, permanent: the C peer's), then dump vx0's FDB once into typed {@link FdbEntry} objects
 * and count the permanent ones with a destination.
 */
final class FdbWorkload implements Workload {
    private final PeerOptions o;
    private final int n;

    FdbWorkload(PeerOptions o, int n) {
        this.o = o;
        this.n = n;
    }

    @Override
    public int warmupRounds() {
        return Workload.roundsFor(n);
    }

    @Override
    public void setUp(Netlink nl) throws Exception {
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.addresses().add("ul0", "172.16.1.11/24");
        nl.links().up("ul0");
        nl.links().add(Vxlan.builder().name("vx0").vni(42).dstPort(4789).learning(false).local("172.16.1.11")
                .device("ul0").build());
        nl.links().up("vx0");
    }

    static List<FdbEntry> entries(int n) {
        List<FdbEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MacAddress mac = MacAddress.of(new byte[] {2, (byte) 0xfd, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            out.add(FdbEntry.remote("vx0", mac, "172.16.1." + (20 + i % 200)));
        }
        return out;
    }

    @Override
    public void clearScratch(Netlink nl) throws Exception {
        nl.fdb().deleteAll(entries(n), AckMode.LAST);
    }

    @Override
    public void run(Netlink nl, Phases out) throws Exception {
        LinkCache cache = Peer.startLinkCacheIfPerRequest(nl, o);
        long hits0 = cache == null ? 0 : cache.hits();
        long fallbacks0 = cache == null ? 0 : cache.fallbacks();
        List<FdbEntry> entries = entries(n);
        long t0 = System.nanoTime();
        long errors = append(nl, entries);
        long t1 = System.nanoTime();
        out.record("add", n, t0, t1, n - errors, n, errors, Peer.cacheNote(cache, hits0, fallbacks0));

        t0 = System.nanoTime();
        List<FdbEntry> all = nl.fdb().list("vx0");
        long count = 0;
        for (FdbEntry f : all) {
            if (f.state() == FdbEntryState.PERMANENT && f.dst() != null) {
                count++;
            }
        }
        t1 = System.nanoTime();
        out.record("dump", count, t0, t1, count, n, 0);
    }

    private long append(Netlink nl, List<FdbEntry> entries) throws NetlinkException {
        if (!o.perRequest()) {
            BulkResult<FdbEntry> r = nl.fdb().appendAll(entries, o.ack());
            Failures.report(r);
            return r.failedCount();
        }
        long errors = 0;
        for (FdbEntry f : entries) {
            try {
                nl.fdb().append(f);
            } catch (NetlinkException ex) {
                errors++;
                Failures.report(errors, ex);
            }
        }
        return errors;
    }
}
