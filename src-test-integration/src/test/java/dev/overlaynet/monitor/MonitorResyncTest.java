package dev.overlaynet.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.Resync;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exact resync under load (issue 9 item 3): a subscriber with a small receive
 * buffer watches 100,000 neighbour and FDB adds and deletes made by two other
 * processes ({@code ip -batch} and {@code bridge -batch}, run in the
 * namespace at the same time). The kernel drops notifications (ENOBUFS); the
 * subscription re-dumps and delivers the difference. After the producers are
 * done, the copy a consumer built by applying the events must equal
 * {@code ip -j neigh show nud all} and {@code bridge -j fdb show} exactly, in
 * every run, and every run must have resynced after an overrun.
 *
 * <p>Runs: {@code -Doverlaynet.monitor.resyncRuns=20} (default 2, to keep CI
 * short); operations per run {@code -Doverlaynet.monitor.resyncOps} (default
 * 100000); seed {@code -Doverlaynet.monitor.seed} (printed).
 */
@ExtendWith(NetnsExtension.class)
class MonitorResyncTest {
    private static final int RUNS = Integer.getInteger("overlaynet.monitor.resyncRuns", 2);
    private static final int OPS = Integer.getInteger("overlaynet.monitor.resyncOps", 100_000);

    @Test
    void consumersCopyIsExactAfterOverrunsInEveryRun(TestNamespaces unused) throws Exception {
        long seed = Long.getLong("overlaynet.monitor.seed", System.nanoTime());
        System.out.printf("MonitorResyncTest: %d run(s) of %d operations, seed %d%n", RUNS, OPS, seed);
        int exact = 0;
        for (int run = 1; run <= RUNS; run++) {
            try (TestNamespaces nss = new TestNamespaces("monitor-resync")) {
                oneRun(nss, run, new Random(seed + run));
                exact++;
            }
        }
        System.out.printf("MonitorResyncTest: exact in %d of %d runs%n", exact, RUNS);
    }

    private static void oneRun(TestNamespaces nss, int run, Random rnd) throws Exception {
        NetNs ns = nss.create("rs");
        String name = nss.nameOf(ns);
        Oracle.run("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
        Oracle.run("ip", "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
        Oracle.run("ip", "-n", name, "link", "add", "br0", "type", "bridge");
        Oracle.run("ip", "-n", name, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789",
                "nolearning");
        Oracle.run("ip", "-n", name, "link", "set", "br0", "up");
        Oracle.run("ip", "-n", name, "link", "set", "vx0", "up");
        Netlink nl = nss.netlink(ns);

        MonitorCopy copy = new MonitorCopy();
        ExecutorService consumer = Executors.newSingleThreadExecutor();
        Subscription sub = nl.monitor().neighbours().fdb().receiveBufferBytes(16 << 10)
                .subscribe(consumer, copy::apply);
        try {
            assertThat(sub.awaitSynced(Duration.ofSeconds(60))).isTrue();
            Path neighFile = Files.createTempFile("monitor-neigh", ".batch");
            Path fdbFile = Files.createTempFile("monitor-fdb", ".batch");
            try {
                int half = OPS / 2;
                Files.write(neighFile, neighbourBatch(half, rnd));
                Files.write(fdbFile, fdbBatch(OPS - half, rnd));
                Process ip = new ProcessBuilder("ip", "-n", name, "-batch", neighFile.toString())
                        .redirectErrorStream(true).start();
                Process bridge = new ProcessBuilder("bridge", "-n", name, "-batch", fdbFile.toString())
                        .redirectErrorStream(true).start();
                String ipOut = new String(ip.getInputStream().readAllBytes());
                String brOut = new String(bridge.getInputStream().readAllBytes());
                assertThat(ip.waitFor()).as("ip -batch: %s", ipOut).isZero();
                assertThat(bridge.waitFor()).as("bridge -batch: %s", brOut).isZero();
            } finally {
                Files.deleteIfExists(neighFile);
                Files.deleteIfExists(fdbFile);
            }

            // Quiescence: the producers are done; wait until the copy has caught up (bounded).
            long t0 = System.nanoTime();
            Map<String, String> neighWant = null;
            Map<String, String> fdbWant = null;
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
                neighWant = MonitorCopy.neighOracle(json("ip", "-n", name, "-j", "neigh", "show", "nud", "all"));
                fdbWant = MonitorCopy.fdbOracle(json("bridge", "-n", name, "-j", "fdb", "show"));
                if (neighWant.equals(new TreeMap<>(copy.neigh)) && fdbWant.equals(new TreeMap<>(copy.fdb))) {
                    break;
                }
                Thread.sleep(250);
            }
            List<Resync> resyncs = sub.resyncs();
            System.out.printf("run %d: %d events, %d neigh + %d fdb in the copy, overruns %d, buffer drops %d, "
                            + "rcvbuf %d, resyncs %d: %s; exact after %d ms%n", run, copy.events.get(),
                    copy.neigh.size(), copy.fdb.size(), sub.overruns(), sub.bufferDrops(), sub.receiveBufferBytes(),
                    resyncs.size(), resyncs.size() > 4 ? resyncs.subList(resyncs.size() - 3, resyncs.size()) : resyncs,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(new TreeMap<>(copy.neigh)).as("run %d neighbours", run).isEqualTo(neighWant);
            assertThat(new TreeMap<>(copy.fdb)).as("run %d fdb", run).isEqualTo(fdbWant);
            assertThat(sub.overruns()).as("run %d overruns", run).isPositive();
            assertThat(resyncs).as("run %d resynced after an overrun", run)
                    .anyMatch(r -> r.reason() == Resync.Reason.KERNEL_OVERRUN);
            assertThat(sub.failure()).isNull();
        } finally {
            sub.close();
            consumer.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> json(String... cmd) throws Exception {
        String out = Oracle.run(cmd).strip();
        return out.isEmpty() ? List.of() : (List<Map<String, Object>>) Json.parse(out);
    }

    private static String mac(int prefix, int i) {
        return String.format("02:%02x:%02x:%02x:%02x:%02x", prefix, (i >> 24) & 0xff, (i >> 16) & 0xff,
                (i >> 8) & 0xff, i & 0xff);
    }

    /** Adds interleaved with deletes of random earlier entries (about 3 adds : 2 deletes). */
    private static List<String> neighbourBatch(int ops, Random rnd) {
        List<String> lines = new ArrayList<>();
        List<String> present = new ArrayList<>();
        int i = 0;
        while (lines.size() < ops) {
            if (present.size() > 100 && rnd.nextInt(5) < 2) {
                String ip = present.remove(rnd.nextInt(present.size()));
                lines.add("neigh del " + ip + " dev br0");
            } else {
                String ip = "10." + (50 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
                lines.add("neigh add " + ip + " lladdr " + mac(0x10, rnd.nextInt()) + " dev br0 nud permanent");
                present.add(ip);
                i++;
            }
        }
        return lines;
    }

    private static List<String> fdbBatch(int ops, Random rnd) {
        List<String> lines = new ArrayList<>();
        List<String> present = new ArrayList<>();
        int i = 0;
        while (lines.size() < ops) {
            if (present.size() > 100 && rnd.nextInt(5) < 2) {
                String entry = present.remove(rnd.nextInt(present.size()));
                lines.add("fdb del " + entry + " self");
            } else {
                String entry = mac(0x20, i) + " dev vx0 dst 172.16." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
                lines.add("fdb add " + entry + " self permanent");
                present.add(entry);
                i++;
            }
        }
        return lines;
    }
}
