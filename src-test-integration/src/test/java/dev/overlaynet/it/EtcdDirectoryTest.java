package dev.overlaynet.it;

import dev.overlaynet.etcd.EtcdDirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.DirectoryWatch;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The etcd directory against a real one-member etcd (the cluster cases are in EtcdClusterFailureTest). */
class EtcdDirectoryTest {
    private static EtcdCluster etcd;
    private static int overlays;

    private static final Overlay SPEC = Overlay.builder().cidr("10.233.0.0/20").vni(42).dstPort(4789).unicast().build();

    @BeforeAll
    static void start() throws Exception {
        etcd = EtcdCluster.start(1);
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    private static synchronized String newOverlay() {
        return "ov" + (++overlays);
    }

    private static EtcdDirectory connect(String overlay) {
        return EtcdDirectory.connect(etcd.endpoints(), overlay);
    }

    static HostRecord host(int i) {
        return new HostRecord("h" + i, Ip.parse("172.16.1." + (10 + i)),
                MacAddress.parse(String.format("0a:58:ac:10:01:%02x", i)));
    }

    @Test
    void recordsAreStoredAsCanonicalTextUnderTheVersionedPrefix() throws Exception {
        String ov = newOverlay();
        try (EtcdDirectory d = connect(ov)) {
            d.ensureSpec(SPEC);
            assertThatThrownBy(() -> d.ensureSpec(SPEC.toBuilder().vni(43).build()))
                    .isInstanceOf(DirectoryException.class).hasMessageContaining("different spec");
            HostLease h1 = d.register(host(1), Duration.ofSeconds(5));
            h1.publish(new EndpointRecord(Ip.parse("10.233.0.9"), MacAddress.parse("0a:58:0a:e9:00:09"), "h1"));
            String got = etcd.etcdctl("get", "--prefix", "/overlaynet/v1/" + ov + "/hosts/");
            assertThat(got).isEqualTo("/overlaynet/v1/" + ov + "/hosts/h1\n"
                    + "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\","
                    + "\"vtepMac\":\"0a:58:ac:10:01:01\"}\n");
            assertThat(etcd.etcdctl("get", "--print-value-only", "/overlaynet/v1/" + ov + "/endpoints/10.233.0.9"))
                    .isEqualTo("{\"format\":\"overlaynet.endpoint/v1\",\"ip\":\"10.233.0.9\","
                            + "\"mac\":\"0a:58:0a:e9:00:09\",\"host\":\"h1\"}\n");
            DirectoryView v = d.view();
            assertThat(v.hosts()).containsOnlyKeys("h1");
            assertThat(v.liveEndpoints()).extracting(EndpointRecord::ip).containsExactly(Ip.parse("10.233.0.9"));
            h1.close();
            assertThat(etcd.etcdctl("get", "--prefix", "--keys-only", "/overlaynet/v1/" + ov + "/hosts/")).isBlank();
            assertThat(d.view().endpoints()).isEmpty();
        }
    }

    @Test
    void aCrashedHostsRecordsExpireAfterItsTtl() throws Exception {
        String ov = newOverlay();
        try (EtcdDirectory observer = connect(ov)) {
            observer.ensureSpec(SPEC);
            AtomicReference<DirectoryView> latest = new AtomicReference<>();
            try (DirectoryWatch w = observer.watch(latest::set)) {
                EtcdDirectory crashing = connect(ov);
                HostLease lease = crashing.register(host(2), Duration.ofSeconds(2));
                lease.publish(new EndpointRecord(Ip.parse("10.233.0.20"), MacAddress.parse("0a:58:0a:e9:00:14"), "h2"));
                await(latest, v -> v.liveEndpoints().size() == 1, 5_000);
                crashing.close(); // the client dies without revoking: keep-alives stop
                long t0 = System.nanoTime();
                await(latest, v -> v.hosts().isEmpty() && v.endpoints().isEmpty(), 2_000 + 1_000 + 2_000);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("records of a crashed host disappeared after " + ms + " ms (TTL 2000 ms)");
                assertThat(ms).as("gone within TTL + 1 s").isLessThanOrEqualTo(3_000);
            }
        }
    }

    @Test
    void twoClientsAllocatingAThousandAddressesEachNeverCollide() throws Exception {
        String ov = newOverlay();
        try (EtcdDirectory a = connect(ov); EtcdDirectory b = connect(ov)) {
            a.ensureSpec(SPEC);
            Set<InetAddress> all = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                EtcdDirectory d = t % 2 == 0 ? a : b;
                String host = t % 2 == 0 ? "ha" : "hb";
                fs.add(pool.submit(() -> {
                    int dup = 0;
                    for (int i = 0; i < 500; i++) {
                        if (!all.add(d.allocate(host))) {
                            dup++;
                        }
                    }
                    return dup;
                }));
            }
            int dups = 0;
            for (Future<Integer> f : fs) {
                dups += f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(dups).isZero();
            assertThat(all).hasSize(2000);
            String keys = etcd.etcdctl("get", "--prefix", "--keys-only", "/overlaynet/v1/" + ov + "/ipam/");
            assertThat(keys.lines().filter(l -> !l.isBlank()).count()).isEqualTo(2000);
            DirectoryView v = a.view();
            assertThat(v.allocations().values().stream().filter("ha"::equals).count()).isEqualTo(1000);
            InetAddress one = v.allocations().entrySet().stream().filter(e -> e.getValue().equals("hb"))
                    .findFirst().orElseThrow().getKey();
            assertThat(a.release(one, "ha")).isFalse();
            assertThat(b.release(one, "hb")).isTrue();
            assertThat(a.claim(one, "ha")).isTrue();
            assertThat(b.claim(one, "hb")).isFalse();
        }
    }

    @Test
    void aMalformedRecordWrittenWithEtcdctlIsSkippedAndReported() throws Exception {
        String ov = newOverlay();
        try (EtcdDirectory d = connect(ov)) {
            d.ensureSpec(SPEC);
            HostLease h1 = d.register(host(1), Duration.ofSeconds(5));
            List<DirectoryView> views = new CopyOnWriteArrayList<>();
            AtomicReference<DirectoryView> latest = new AtomicReference<>();
            try (DirectoryWatch w = d.watch(v -> {
                views.add(v);
                latest.set(v);
            })) {
                String bad = "/overlaynet/v1/" + ov + "/endpoints/10.233.0.5";
                etcd.etcdctl("put", bad, "{\"format\":\"overlaynet.endpoint/v1\",\"ip\":\"10.233.0.5\"}");
                etcd.etcdctl("put", "/overlaynet/v1/" + ov + "/hosts/h7", "{\"format\":\"overlaynet.host/v9\"}");
                DirectoryView v = await(latest, x -> x.rejected().size() == 2, 5_000);
                assertThat(v.rejected()).containsKey(bad);
                assertThat(v.rejected().get(bad)).contains("missing field");
                assertThat(v.hosts()).containsOnlyKeys("h1");
                assertThat(v.endpoints()).isEmpty();
                // The next good change still arrives: a bad record does not stop the watch.
                h1.publish(new EndpointRecord(Ip.parse("10.233.0.6"), MacAddress.parse("0a:58:0a:e9:00:06"), "h1"));
                await(latest, x -> x.endpoints().size() == 1, 5_000);
                long[] revs = views.stream().mapToLong(DirectoryView::revision).toArray();
                for (int i = 1; i < revs.length; i++) {
                    assertThat(revs[i]).isGreaterThan(revs[i - 1]);
                }
            }
        }
    }

    @Test
    void anEndpointOfALiveHostCannotBeTakenOver() throws Exception {
        String ov = newOverlay();
        try (EtcdDirectory d = connect(ov)) {
            d.ensureSpec(SPEC);
            HostLease h1 = d.register(host(1), Duration.ofSeconds(5));
            HostLease h2 = d.register(host(2), Duration.ofSeconds(5));
            InetAddress ip = d.allocate("h1");
            h1.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:02"), "h1"));
            long rev = d.view().revision();
            h1.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:02"), "h1"));
            assertThat(d.view().revision()).as("republishing the same record writes nothing").isEqualTo(rev);
            assertThatThrownBy(() -> h2.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:03"), "h2")))
                    .isInstanceOf(DirectoryException.class).hasMessageContaining("published by host h1");
            h2.withdraw(ip); // not h2's: nothing happens
            assertThat(d.view().endpoints()).containsKey(ip);
            h1.withdraw(ip);
            assertThat(d.view().endpoints()).isEmpty();
            h1.close();
            h2.close();
        }
    }

    @Test
    void badArgumentsFailBeforeAnyRequest() {
        assertThatThrownBy(() -> EtcdDirectory.endpoints("localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://host:2379");
        assertThatThrownBy(() -> EtcdDirectory.connect(List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EtcdDirectory.connect(etcd.endpoints(), "bad name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlay");
    }

    static DirectoryView await(AtomicReference<DirectoryView> latest, Predicate<DirectoryView> p, long ms)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            DirectoryView v = latest.get();
            if (v != null && p.test(v)) {
                return v;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no view matched within " + ms + " ms; last: " + latest.get());
    }

}
