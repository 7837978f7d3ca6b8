package dev.overlaynet.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Netlink;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Closing under load, and subscribe/close cycles that must not leak descriptors or threads. */
@ExtendWith(NetnsExtension.class)
class MonitorLifecycleTest {
    private static final int CYCLES = Integer.getInteger("overlaynet.monitor.cycles", 10_000);

    private static NetNs bridgeNamespace(TestNamespaces nss, String label) throws Exception {
        NetNs ns = nss.create(label);
        String name = nss.nameOf(ns);
        Oracle.run("ip", "-n", name, "link", "add", "br0", "type", "bridge");
        Oracle.run("ip", "-n", name, "link", "set", "br0", "up");
        return ns;
    }

    private static Process neighbourFlood(String ns, int n) throws IOException {
        Path file = Files.createTempFile("flood", ".batch");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("neigh replace 10.77.").append((i >> 8) & 0xff).append('.').append(i & 0xff)
                    .append(" lladdr 02:00:00:77:").append(String.format("%02x:%02x", (i >> 8) & 0xff, i & 0xff))
                    .append(" dev br0 nud permanent\n");
        }
        Files.writeString(file, sb);
        file.toFile().deleteOnExit();
        return new ProcessBuilder("ip", "-n", ns, "-batch", file.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static long monitorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("overlaynet-monitor-") && t.isAlive()).count();
    }

    @Test
    void closeStopsDeliveryPromptlyUnderLoad(TestNamespaces nss) throws Exception {
        NetNs ns = bridgeNamespace(nss, "cl");
        Netlink nl = nss.netlink(ns);
        long threadsBefore = monitorThreads();
        ExecutorService exec = Executors.newSingleThreadExecutor();
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean closedReturned = new AtomicBoolean();
        AtomicInteger startedAfterClose = new AtomicInteger();
        CountDownLatch busy = new CountDownLatch(100);
        Subscription cb = nl.monitor().neighbours().subscribe(exec, e -> {
            if (closedReturned.get()) {
                startedAfterClose.incrementAndGet();
            }
            calls.incrementAndGet();
            busy.countDown();
            try {
                Thread.sleep(1); // a slow consumer
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
        });
        Subscription it = nl.monitor().neighbours().subscribe();
        AtomicReference<Object> iteratorEnd = new AtomicReference<>();
        AtomicInteger iterated = new AtomicInteger();
        Thread reader = new Thread(() -> {
            for (MonitorEvent e : it) {
                iterated.incrementAndGet();
            }
            iteratorEnd.set("ended");
        });
        reader.start();
        Process flood = neighbourFlood(nss.nameOf(ns), 50_000);
        try {
            assertThat(busy.await(60, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                cb.close();
                closedReturned.set(true);
                it.close();
                reader.join();
            });
            assertThat(iteratorEnd.get()).isEqualTo("ended");
            exec.shutdown();
            assertThat(exec.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            // At most the callback already running when close() returned may finish; no new one starts.
            assertThat(startedAfterClose.get()).isLessThanOrEqualTo(1);
            assertThat(flood.isAlive()).as("closed while the producer was still running").isTrue();
            assertThat(monitorThreads()).isEqualTo(threadsBefore);
            System.out.printf("closed under load after %d callbacks and %d iterated events%n", calls.get(),
                    iterated.get());
        } finally {
            flood.waitFor();
        }
    }

    @Test
    void subscribeCloseCyclesLeakNoDescriptorAndNoThread(TestNamespaces nss) throws Exception {
        NetNs ns = bridgeNamespace(nss, "cy");
        Netlink nl = nss.netlink(ns);
        for (int i = 0; i < 50; i++) { // warm up: class loading, jnr stubs
            cycle(nl);
        }
        System.gc();
        long fds = openFds();
        long threads = monitorThreads();
        int liveThreads = Thread.activeCount();
        for (int i = 0; i < CYCLES; i++) {
            cycle(nl);
        }
        long fdsAfter = openFds();
        System.out.printf("%d subscribe/close cycles: fds %d -> %d, monitor threads %d -> %d, threads %d -> %d%n",
                CYCLES, fds, fdsAfter, threads, monitorThreads(), liveThreads, Thread.activeCount());
        assertThat(fdsAfter).isLessThanOrEqualTo(fds);
        assertThat(monitorThreads()).isEqualTo(threads);
    }

    private static void cycle(Netlink nl) throws Exception {
        try (Subscription s = nl.monitor().neighbours().links().subscribe()) {
            assertThat(s.awaitSynced(Duration.ofSeconds(30))).isTrue();
        }
    }

    private static long openFds() throws IOException {
        long c = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path ignored : ds) {
                c++;
            }
        }
        return c;
    }
}
