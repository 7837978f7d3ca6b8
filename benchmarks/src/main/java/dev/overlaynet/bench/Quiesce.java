package dev.overlaynet.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits, untimed, until the machine is idle, as the peer harness does before
 * each run: deleting the previous invocation's bridge or vxlan frees its
 * 10,000 entries asynchronously (RCU callbacks), and that work must not land
 * in the next measurement.
 */
public final class Quiesce {
    private Quiesce() {}

    /** Returns once CPU idle is at least 92% over a 250 ms window, or after 10 s. */
    public static void await() throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            long[] a = cpu();
            Thread.sleep(250);
            long[] b = cpu();
            long total = b[0] - a[0];
            long idle = b[1] - a[1];
            if (total > 0 && idle >= 0.92 * total) {
                return;
            }
        }
    }

    /** {total, idle+iowait} jiffies from the aggregate cpu line of /proc/stat. */
    private static long[] cpu() throws Exception {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }
}
