package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Bridge;
import dev.overlaynet.BulkResult;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dump of 100,000 neighbours through the streaming API keeps the live heap
 * small: the live heap (measured after a full GC every 10,000 entries, while
 * the dump is in progress) grows by at most 64 MB over the baseline. The
 * figure is printed. For contrast the list API's retained size is printed
 * too (it holds every object, by design), and the stream must retain less than a
 * quarter of it, so a stream that buffered the whole dump would fail here.
 */
@ExtendWith(NetnsExtension.class)
class StreamingDumpMemoryTest {
    static final int N = 100_000;
    static final long LIMIT = 64L << 20;

    @Test
    void streamingDumpOf100kNeighboursKeepsHeapGrowthUnder64MB(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("mem");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Bridge.builder().name("br0").build());
        nl.addresses().add("br0", "10.255.255.254/8");
        nl.links().up("br0");
        List<Neighbour> entries = new ArrayList<>(N);
        for (int i = 1; i <= N; i++) {
            entries.add(Neighbour.permanent("br0", "10." + ((i >>> 16) & 0xff) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff),
                    MacAddress.of(new byte[] {2, 0, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i})));
        }
        BulkResult<Neighbour> added = nl.neighbours().addAll(entries, AckMode.LAST);
        added.throwIfFailed();
        entries = null;
        added = null;

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long baseline = liveHeap(mem);
        long[] peak = {baseline};
        int[] count = {0};
        nl.neighbours().forEach("br0", n -> {
            if (!n.isV4() || !n.state().contains(NeighbourState.PERMANENT)) {
                return; // the kernel's own IPv6 entries on br0
            }
            if (++count[0] % 10_000 == 0) {
                peak[0] = Math.max(peak[0], liveHeap(mem));
            }
        });
        long growth = peak[0] - baseline;
        assertThat(count[0]).isEqualTo(N);

        List<Neighbour> all = nl.neighbours().list("br0");
        long retained = liveHeap(mem) - baseline;
        System.out.printf("streaming dump of %d neighbours: live heap growth %.1f MB (limit 64 MB); "
                + "list() of %d retains %.1f MB%n", count[0], growth / 1048576.0, all.size(), retained / 1048576.0);
        assertThat(growth).isLessThanOrEqualTo(LIMIT);
        // 100k neighbours as objects fit in 64 MB anyway; what shows streaming is that the
        // stream retains a small fraction of what the list does.
        assertThat(growth).isLessThan(retained / 4);
    }

    /**
     * reliability-anchors §7.12 for routes: 100,000 routes added in batches
     * (each with its own outcome), streamed back with an exact count and the
     * same heap bound, and counted by iproute2 as well.
     */
    @Test
    void streamingDumpOf100kRoutesIsExactAndKeepsHeapGrowthUnder64MB(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("rmem");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Bridge.builder().name("br0").build());
        nl.addresses().add("br0", "10.0.0.1/24");
        nl.links().up("br0");
        List<Route> routes = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            // consecutive /28s from 172.16.0.0, all via the bridge's neighbour 10.0.0.2, in table 100
            int net = (172 << 24) | (16 << 16) + (i << 4);
            String dst = ((net >>> 24) & 0xff) + "." + ((net >>> 16) & 0xff) + "." + ((net >>> 8) & 0xff) + "." + (net & 0xff) + "/28";
            routes.add(Route.builder().dst(dst).via("10.0.0.2").dev("br0").table(100).build());
        }
        BulkResult<Route> added = nl.routes().addAll(routes, AckMode.EACH);
        assertThat(added.failures()).isEmpty();
        routes = null;
        added = null;
        assertThat(Oracle.run("ip", "-n", nss.nameOf(ns), "route", "show", "table", "100").lines().count()).isEqualTo(N);

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long baseline = liveHeap(mem);
        long[] peak = {baseline};
        int[] count = {0};
        nl.routes().forEach("br0", 100, r -> {
            if (++count[0] % 10_000 == 0) {
                peak[0] = Math.max(peak[0], liveHeap(mem));
            }
        });
        long growth = peak[0] - baseline;
        System.out.printf("streaming dump of %d routes: live heap growth %.1f MB (limit 64 MB)%n",
                count[0], growth / 1048576.0);
        assertThat(count[0]).isEqualTo(N);
        assertThat(growth).isLessThanOrEqualTo(LIMIT);

        // A second addAll of the same routes: every one fails alone with EEXIST, none is dropped.
        List<Route> again = List.of(Route.builder().dst("172.16.0.0/28").via("10.0.0.2").dev("br0").table(100).build(),
                Route.builder().dst("192.168.77.0/24").via("10.0.0.2").dev("br0").table(100).build());
        BulkResult<Route> r = nl.routes().addAll(again, AckMode.LAST);
        assertThat(r.failures()).hasSize(1);
        assertThat(r.failures().get(0).error().isAlreadyExists()).isTrue();
        assertThat(Oracle.run("ip", "-n", nss.nameOf(ns), "route", "show", "table", "100", "192.168.77.0/24")).contains("via 10.0.0.2");
    }

    private static long liveHeap(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }
}
