package dev.overlaynet.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InMemoryDirectoryTest {
    private static final Overlay SPEC = Overlay.builder().cidr("10.233.0.0/22").vni(42).dstPort(4789).unicast().build();

    private static HostRecord host(int i) {
        return new HostRecord("h" + i, Ip.parse("172.16.1." + (10 + i)), MacAddress.parse("0a:58:ac:10:01:" + String.format("%02x", i)));
    }

    @Test
    void specIsPublishedOnceAndADifferentOneIsRefused() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t1")) {
            d.ensureSpec(SPEC);
            d.ensureSpec(SPEC);
            Overlay other = SPEC.toBuilder().vni(43).build();
            assertThatThrownBy(() -> d.ensureSpec(other)).isInstanceOf(DirectoryException.class)
                    .hasMessageContaining("different spec");
            assertThat(d.view().spec()).isPresent();
        }
    }

    @Test
    void allocationNeverHandsOutTheSameAddressTwiceUnderConcurrency() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t2")) {
            d.ensureSpec(SPEC);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            Set<InetAddress> got = ConcurrentHashMap.newKeySet();
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String h = "h" + t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        InetAddress ip = d.allocate(h);
                        assertThat(got.add(ip)).as("duplicate %s", ip).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(got).hasSize(1000).doesNotContain(Ip.parse("10.233.0.0"), Ip.parse("10.233.0.1"),
                    Ip.parse("10.233.3.255"));
            assertThat(d.view().allocations()).hasSize(1000);
        }
    }

    @Test
    void poolExhaustionIsAClearError() throws Exception {
        Overlay tiny = Overlay.builder().cidr("10.1.0.0/29").vni(5).dstPort(4789).unicast().build();
        try (InMemoryDirectory d = new InMemoryDirectory("t3")) {
            d.ensureSpec(tiny);
            // /29: 6 usable, one is the gateway
            for (int i = 0; i < 5; i++) {
                d.allocate("h1");
            }
            assertThatThrownBy(() -> d.allocate("h1")).isInstanceOf(DirectoryException.class)
                    .hasMessageContaining("no free address");
            InetAddress someone = d.view().allocations().keySet().iterator().next();
            assertThat(d.release(someone, "h2")).isFalse();
            assertThat(d.release(someone, "h1")).isTrue();
            assertThat(d.claim(someone, "h2")).isTrue();
            assertThat(d.claim(someone, "h1")).isFalse();
            assertThatThrownBy(() -> d.claim(Ip.parse("10.1.0.1"), "h1")).isInstanceOf(DirectoryException.class);
        }
    }

    @Test
    void watchDeliversTheListThenEveryChangeAndALeaseTakesItsRecordsAlong() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t4")) {
            d.ensureSpec(SPEC);
            LinkedBlockingQueue<DirectoryView> views = new LinkedBlockingQueue<>();
            HostLease h1 = d.register(host(1), Duration.ofSeconds(5));
            try (DirectoryWatch w = d.watch(views::add)) {
                DirectoryView first = views.poll(5, TimeUnit.SECONDS);
                assertThat(first.hosts()).containsOnlyKeys("h1");
                HostLease h2 = d.register(host(2), Duration.ofSeconds(5));
                InetAddress ip = d.allocate("h2");
                h2.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:09"), "h2"));
                DirectoryView v = last(views, x -> x.endpoints().size() == 1);
                assertThat(v.remoteEndpoints("h1")).extracting(EndpointRecord::ip).containsExactly(ip);
                assertThat(v.peers("h1")).extracting(HostRecord::name).containsExactly("h2");
                d.expire("h2");
                DirectoryView after = last(views, x -> x.hosts().size() == 1);
                assertThat(after.endpoints()).isEmpty();
                assertThat(after.allocations()).containsKey(ip); // allocations outlive the lease
                assertThat(h2.isAlive()).isFalse();
                assertThatThrownBy(() -> h2.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:09"), "h2")))
                        .isInstanceOf(DirectoryException.class);
                assertThat(w.revision()).isEqualTo(after.revision());
            }
            h1.close();
            assertThat(d.view().hosts()).isEmpty();
        }
    }

    @Test
    void aForeignOrMalformedRecordIsSkippedAndReportedNotApplied() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t5")) {
            d.ensureSpec(SPEC);
            d.register(host(1), Duration.ofSeconds(5));
            KeyLayout k = d.keys();
            d.putRaw(k.host("h9"), "{\"format\":\"overlaynet.host/v1\",\"name\":\"h8\",\"underlay\":\"172.16.1.18\",\"vtepMac\":\"0a:58:ac:10:01:08\"}");
            d.putRaw(k.prefix() + "endpoints/10.233.0.7", "not json");
            d.putRaw(k.prefix() + "endpoints/010.233.0.8", RecordFormat.encode(
                    new EndpointRecord(Ip.parse("10.233.0.8"), MacAddress.parse("0a:58:0a:e9:00:08"), "h1")));
            d.putRaw(k.prefix() + "surprise", "x");
            DirectoryView v = d.view();
            assertThat(v.hosts()).containsOnlyKeys("h1");
            assertThat(v.endpoints()).isEmpty();
            assertThat(v.rejected()).containsOnlyKeys(k.host("h9"), k.prefix() + "endpoints/10.233.0.7",
                    k.prefix() + "endpoints/010.233.0.8", k.prefix() + "surprise");
        }
    }

    @Test
    void anEndpointPublishedByALiveHostCannotBeTakenByAnother() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t6")) {
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
            assertThatThrownBy(() -> h2.publish(new EndpointRecord(ip, MacAddress.parse("0a:58:0a:e9:00:03"), "h1")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closingAWatchFromItsOwnListenerDoesNotHang() throws Exception {
        try (InMemoryDirectory d = new InMemoryDirectory("t7")) {
            CountDownLatch done = new CountDownLatch(1);
            DirectoryWatch[] w = new DirectoryWatch[1];
            Set<Long> seen = new HashSet<>();
            w[0] = d.watch(v -> {
                seen.add(v.revision());
                if (w[0] != null) {
                    w[0].close();
                    done.countDown();
                }
            });
            d.ensureSpec(SPEC);
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static DirectoryView last(LinkedBlockingQueue<DirectoryView> q,
            java.util.function.Predicate<DirectoryView> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            DirectoryView v = q.poll(100, TimeUnit.MILLISECONDS);
            if (v != null && until.test(v)) {
                return v;
            }
        }
        throw new AssertionError("no view matched in 5 s");
    }
}
