package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.etcd.EtcdDirectory;
import dev.overlaynet.overlay.Overlay;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address allocation by two hosts that are separate processes, each with its
 * own etcd client connected to a different member of a three-member cluster,
 * started at the same moment (both wait for a line on stdin): no address is
 * handed out twice, every one is inside the pool, and etcd's {@code ipam/}
 * keys (read with etcdctl) are exactly the addresses the two printed, each
 * recorded for the host that got it. On a pool smaller than the demand, the
 * two together get exactly the whole pool and every other attempt fails with
 * the pool-exhausted error. The overlay's subnet is drawn from a printed seed
 * ({@code -Dallocation.seed=N} repeats a run).
 */
class AllocationProcessesTest {
    private static final Pattern HOST = Pattern.compile("\"host\":\"([^\"]+)\"");
    private static EtcdCluster etcd;
    private static Random random;
    /** The allocators' java.io.tmpdir: they must leave it empty. */
    @TempDir
    static Path childTmp;

    @BeforeAll
    static void start() throws Exception {
        long seed = Long.getLong("allocation.seed", System.nanoTime());
        System.out.println("AllocationProcessesTest seed " + seed);
        random = new Random(seed);
        etcd = EtcdCluster.start(3);
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
    }

    /** One allocating host process and what it printed. */
    private static final class Allocator implements AutoCloseable {
        final String host;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        final Thread reader;

        Allocator(String endpoint, String overlay, String host, int count) throws Exception {
            this.host = host;
            List<String> cmd = ChildJvm.command(childTmp, AllocateMain.class.getName(), List.of(),
                    List.of(endpoint, overlay, host, Integer.toString(count), "4"));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                        if (l.equals("READY")) {
                            ready.countDown();
                        }
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError(host + " not READY:\n" + String.join("\n", lines));
            }
        }

        void go() throws Exception {
            OutputStream in = process.getOutputStream();
            in.write("GO\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        void awaitDone() throws Exception {
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                throw new AssertionError(host + " did not finish:\n" + String.join("\n", lines));
            }
            reader.join(10_000);
            assertThat(process.exitValue()).as("%s exit; output:%n%s", host, String.join("\n", lines)).isZero();
            assertThat(lines).as(host).contains("DONE");
        }

        List<String> got() {
            return lines.stream().filter(l -> l.startsWith("GOT ")).map(l -> l.substring(4)).toList();
        }

        long exhausted() {
            return lines.stream().filter(l -> l.startsWith("EXHAUSTED ")).count();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Runs host "ha" on member 0 and host "hb" on member 1, each making {@code count}
     * allocations, started together; returns the addresses each got.
     */
    private static List<Allocator> race(String overlay, int count) throws Exception {
        List<Allocator> all = new ArrayList<>();
        try {
            all.add(new Allocator(etcd.members().get(0).clientUrl().toString(), overlay, "ha", count));
            all.add(new Allocator(etcd.members().get(1).clientUrl().toString(), overlay, "hb", count));
            for (Allocator a : all) {
                a.awaitReady();
            }
            long t0 = System.nanoTime();
            for (Allocator a : all) {
                a.go();
            }
            for (Allocator a : all) {
                a.awaitDone();
            }
            System.out.printf("%s: %d + %d allocations by two processes in %d ms%n", overlay, count, count,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            ChildJvm.assertLeftNothing(childTmp, "by the allocators of " + overlay);
            return all;
        } finally {
            for (Allocator a : all) {
                a.close();
            }
        }
    }

    /** The addresses of {@code cidr} that may be handed out: not network, broadcast or gateway (the first). */
    private static Set<String> pool(String base, int length) {
        long b = ipValue(base);
        long size = 1L << (32 - length);
        Set<String> out = new HashSet<>();
        for (long v = b + 2; v < b + size - 1; v++) { // b: network, b + 1: gateway, b + size - 1: broadcast
            out.add(((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255));
        }
        return out;
    }

    private static long ipValue(String ip) {
        long v = 0;
        for (String p : ip.split("\\.")) {
            v = (v << 8) | Integer.parseInt(p);
        }
        return v;
    }

    /** The ipam keys of {@code overlay} as etcdctl reads them: address to the host recorded in the value. */
    private static Map<String, String> ipam(String overlay) throws Exception {
        String prefix = "/overlaynet/v1/" + overlay + "/ipam/";
        List<String> lines = etcd.etcdctl("get", "--prefix", prefix).lines().toList();
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            Matcher m = HOST.matcher(lines.get(i + 1));
            assertThat(m.find()).as("value of %s: %s", lines.get(i), lines.get(i + 1)).isTrue();
            assertThat(out.put(lines.get(i).substring(prefix.length()), m.group(1))).isNull();
        }
        return out;
    }

    /** Checks what the two printed against each other, the pool and etcd; returns how many they got. */
    private static int check(String overlay, List<Allocator> all, Set<String> pool) throws Exception {
        Map<String, String> printed = new HashMap<>();
        int total = 0;
        for (Allocator a : all) {
            for (String ip : a.got()) {
                total++;
                String before = printed.put(ip, a.host);
                assertThat(before).as("%s handed out to %s and %s", ip, before, a.host).isNull();
            }
        }
        assertThat(printed).hasSize(total);
        assertThat(pool).containsAll(printed.keySet());
        assertThat(ipam(overlay)).isEqualTo(printed);
        return total;
    }

    /** A random 10.x.y.0 network address for a prefix of {@code length} (20 to 24). */
    private static String subnet(int length) {
        int third = random.nextInt(256 >> (24 - length)) << (24 - length); // a /20 starts at a multiple of 16
        return "10." + (1 + random.nextInt(250)) + "." + third + ".0";
    }

    @Test
    void twoHostProcessesAllocatingAThousandAddressesEachNeverCollide() throws Exception {
        String base = subnet(20);
        String overlay = "alloc-big";
        System.out.println(overlay + ": pool " + base + "/20");
        try (EtcdDirectory d = EtcdDirectory.connect(etcd.endpoints(), overlay)) {
            d.ensureSpec(Overlay.builder().cidr(base + "/20").vni(42).dstPort(4789).unicast().build());
        }
        List<Allocator> all = race(overlay, 1000);
        for (Allocator a : all) {
            assertThat(a.got()).as(a.host).hasSize(1000);
            assertThat(a.exhausted()).as(a.host).isZero();
        }
        assertThat(check(overlay, all, pool(base, 20))).isEqualTo(2000);
    }

    @Test
    void twoHostProcessesExhaustingASmallPoolGetItAllExactlyOnce() throws Exception {
        String base = subnet(24);
        String overlay = "alloc-small";
        System.out.println(overlay + ": pool " + base + "/24");
        try (EtcdDirectory d = EtcdDirectory.connect(etcd.endpoints(), overlay)) {
            d.ensureSpec(Overlay.builder().cidr(base + "/24").vni(42).dstPort(4789).unicast().build());
        }
        Set<String> pool = pool(base, 24);
        assertThat(pool).hasSize(253);
        List<Allocator> all = race(overlay, 200);
        int got = check(overlay, all, pool);
        long exhausted = all.stream().mapToLong(Allocator::exhausted).sum();
        System.out.printf("%s: ha got %d, hb got %d, %d attempts refused as exhausted%n", overlay,
                all.get(0).got().size(), all.get(1).got().size(), exhausted);
        assertThat(got).as("the whole pool, once").isEqualTo(253);
        assertThat(exhausted).as("every other attempt").isEqualTo(400 - 253);
        assertThat(ipam(overlay).keySet()).isEqualTo(pool);
    }
}
