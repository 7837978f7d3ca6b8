package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.BulkResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bulk neighbour and FDB programming: 10,000 entries per call in batched
 * sendmsgs, counted with iproute2, in both ack modes; and per-entry
 * outcomes when some entries fail.
 */
@ExtendWith(NetnsExtension.class)
class BulkInteropTest {
    private static final int N = 10_000;

    private static MacAddress mac(int i) {
        return MacAddress.of(new byte[] {0x02, 0x42, 0x0a, (byte) 0xea, (byte) (i >>> 8), (byte) i});
    }

    private static String ip(int i) {
        return "10.234." + (i / 250) + "." + (i % 250 + 1);
    }

    private static List<Neighbour> neighbours(int from, int count) {
        List<Neighbour> out = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            out.add(Neighbour.permanent("br0", ip(i), mac(i)));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void tenThousandNeighbours(AckMode mode, TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "b");
        BulkResult<Neighbour> r = h.nl.neighbours().addAll(neighbours(0, N), mode);
        assertThat(r.size()).isEqualTo(N);
        assertThat(r.failures()).isEmpty();
        assertThat(HostFixture.lines(h.ip("neigh", "show", "dev", "br0", "nud", "permanent"))).isEqualTo(N);
        // spot-check content against iproute2
        assertThat(h.ip("neigh", "show", "dev", "br0", "to", ip(4321))).contains("lladdr " + mac(4321));

        AtomicInteger streamed = new AtomicInteger();
        h.nl.neighbours().forEach("br0", n -> {
            if (n.state().size() == 1 && n.lladdr() != null && n.ip().getHostAddress().startsWith("10.234.")) {
                streamed.incrementAndGet();
            }
        });
        assertThat(streamed.get()).isEqualTo(N);

        BulkResult<Neighbour> del = h.nl.neighbours().deleteAll(neighbours(0, N), mode);
        assertThat(del.failedCount()).isZero();
        assertThat(HostFixture.lines(h.ip("neigh", "show", "dev", "br0", "nud", "permanent"))).isZero();
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void tenThousandFdbAppends(AckMode mode, TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "b");
        List<FdbEntry> entries = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            entries.add(FdbEntry.remote("vx0", mac(i), "172.16." + (1 + i % 3) + ".12"));
        }
        BulkResult<FdbEntry> r = h.nl.fdb().appendAll(entries, mode);
        assertThat(r.failures()).isEmpty();
        assertThat(HostFixture.lines(h.bridge("fdb", "show", "dev", "vx0"))).isEqualTo(N);
        assertThat(h.bridge("fdb", "show", "dev", "vx0")).contains(mac(7777) + " dst 172.16." + (1 + 7777 % 3) + ".12 self permanent");
        AtomicInteger streamed = new AtomicInteger();
        h.nl.fdb().forEach("vx0", f -> streamed.incrementAndGet());
        assertThat(streamed.get()).isEqualTo(N);
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void failuresAreReportedPerEntry(AckMode mode, TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "b");
        h.ip("neigh", "add", ip(3), "lladdr", mac(3).toString(), "dev", "br0", "nud", "permanent");
        h.ip("neigh", "add", ip(7), "lladdr", mac(7).toString(), "dev", "br0", "nud", "permanent");
        List<Neighbour> batch = new ArrayList<>(neighbours(0, 10));
        batch.set(5, Neighbour.permanent("nosuch0", ip(5), mac(5)));

        BulkResult<Neighbour> r = h.nl.neighbours().addAll(batch, mode);
        assertThat(r.failures()).extracting(BulkResult.Failure::index).containsExactly(3, 5, 7);
        assertThat(r.error(3).errnoName()).isEqualTo("EEXIST");
        assertThat(r.error(7).errnoName()).isEqualTo("EEXIST");
        assertThat(r.error(7).getMessage()).contains("RTM_NEWNEIGH " + ip(7));
        assertThat(r.error(5).errnoName()).isEqualTo("ENODEV");
        assertThat(r.entry(5).dev()).isEqualTo("nosuch0");
        assertThat(r.succeededCount()).isEqualTo(7);
        // everything else went in: 7 new + the 2 that existed
        assertThat(HostFixture.lines(h.ip("neigh", "show", "dev", "br0", "nud", "permanent"))).isEqualTo(9);

        // FDB: add (exclusive) where two MACs already exist
        h.bridge("fdb", "add", mac(1).toString(), "dev", "vx0", "dst", "172.16.1.12");
        h.bridge("fdb", "add", mac(8).toString(), "dev", "vx0", "dst", "172.16.1.12");
        List<FdbEntry> fdb = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fdb.add(FdbEntry.remote("vx0", mac(i), "172.16.1.13"));
        }
        BulkResult<FdbEntry> f = h.nl.fdb().addAll(fdb, mode);
        assertThat(f.failures()).extracting(BulkResult.Failure::index).containsExactly(1, 8);
        assertThat(f.failures()).allSatisfy(x -> assertThat(x.error().isAlreadyExists()).isTrue());
        assertThat(HostFixture.lines(h.bridge("fdb", "show", "dev", "vx0"))).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void failuresAcrossSendmsgChunksMapToTheirEntries(AckMode mode, TestNamespaces nss) throws Exception {
        // 1,000 entries go out as several sendmsgs (256 per chunk): failures at chunk edges, a
        // device that does not exist (never sent, so later entries shift within the chunks),
        // and the last entry must each come back on the right index.
        HostFixture h = HostFixture.create(nss, "b");
        int[] existing = {0, 255, 256, 257, 511, 512, 700, 999};
        for (int i : existing) {
            h.ip("neigh", "add", ip(i), "lladdr", mac(i).toString(), "dev", "br0", "nud", "permanent");
        }
        List<Neighbour> batch = new ArrayList<>(neighbours(0, 1000));
        batch.set(300, Neighbour.permanent("nosuch0", ip(300), mac(300)));
        batch.set(301, Neighbour.permanent("nosuch0", ip(301), mac(301)));

        BulkResult<Neighbour> r = h.nl.neighbours().addAll(batch, mode);
        assertThat(r.failures()).extracting(BulkResult.Failure::index)
                .containsExactly(0, 255, 256, 257, 300, 301, 511, 512, 700, 999);
        for (int i : existing) {
            assertThat(r.error(i).errnoName()).isEqualTo("EEXIST");
            assertThat(r.error(i).getMessage()).contains("RTM_NEWNEIGH " + ip(i) + " ");
        }
        assertThat(r.error(300).errnoName()).isEqualTo("ENODEV");
        assertThat(r.succeededCount()).isEqualTo(990);
        // the 990 new ones and the 8 that existed; the two on nosuch0 never went out
        assertThat(HostFixture.lines(h.ip("neigh", "show", "dev", "br0", "nud", "permanent"))).isEqualTo(998);
        assertThat(h.ip("neigh", "show", "dev", "br0", "to", ip(302))).contains("lladdr " + mac(302));
    }
}
