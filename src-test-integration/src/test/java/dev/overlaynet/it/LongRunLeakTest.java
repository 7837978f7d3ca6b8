package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Bridge;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reliability-anchors §7.23: 100,000 request/response cycles on one handle
 * (a neighbour added and deleted, a link looked up, a small dump) keep the
 * descriptor count and the direct (native) buffer memory where they were
 * after warm-up. Direct ByteBuffers are where overlaynet allocates native
 * memory (socket read buffers, writers, the recvmmsg slots), so the JVM's
 * "direct" buffer pool is the figure to watch. The figures are printed.
 */
@ExtendWith(NetnsExtension.class)
class LongRunLeakTest {
    private static final int CYCLES = 100_000;

    @Test
    void hundredThousandCyclesLeakNoDescriptorAndNoNativeBuffer(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("leak");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Bridge.builder().name("br0").build());
        Neighbour n = Neighbour.permanent("br0", "10.9.0.2", "02:00:00:00:09:02");
        for (int i = 0; i < 2_000; i++) { // warm up: writer pool, ack reader, read buffer growth
            cycle(nl, n, i);
        }
        long fds = openFds();
        long direct = directBytes();
        for (int i = 0; i < CYCLES; i++) {
            cycle(nl, n, i);
        }
        long fdsAfter = openFds();
        long directAfter = directBytes();
        System.out.printf("%d request/response cycles: fds %d -> %d, direct buffers %d -> %d bytes%n",
                CYCLES, fds, fdsAfter, direct, directAfter);
        assertThat(fdsAfter).isLessThanOrEqualTo(fds);
        assertThat(directAfter - direct).isLessThan(1 << 20);
        assertThat(RawAccess.socket(nl).droppedReplies()).isZero();
    }

    private static void cycle(Netlink nl, Neighbour n, int i) throws Exception {
        nl.neighbours().add(n);
        nl.neighbours().delete(n);
        if (i % 10 == 0) {
            nl.links().get("br0");
        }
        if (i % 100 == 0) {
            nl.addresses().list("br0");
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

    private static long directBytes() {
        long total = 0;
        for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (p.getName().equals("direct")) {
                total += p.getMemoryUsed();
            }
        }
        return total;
    }
}
