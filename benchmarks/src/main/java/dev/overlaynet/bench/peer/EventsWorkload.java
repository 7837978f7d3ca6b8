package dev.overlaynet.bench.peer;

import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.Netlink;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.AckMode;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * W5 ({@code overlaynet-sub}): the library's own subscription with its default
 * settings ({@code nl.monitor().neighbours()}, 32 MiB receive buffer, resync on
 * loss) listens while the harness's C producer adds N neighbours on br0. Counts,
 * as {@code peer_mnl W5} does, each 10.233.0.1 + i (i < N) once when it arrives
 * as a permanent IPv4 neighbour of br0, live or in a resync's difference, until
 * it has N or QUIET_MS pass without one (60 s before the first). Prints READY
 * once subscribed (its snapshot done), then one JSON line with the C peer's
 * fields plus {@code resyncs} (after the initial list) and {@code buffer_drops}.
 * Kernel drops are this subscription's socket's {@code /proc/net/netlink} Drops.
 *
 * <p>Warm-up rounds run the same loop in a scratch namespace against the
 * library's own bulk adds, and print nothing.
 */
final class EventsWorkload implements Workload {
    private final int n;
    private final long quietMs;
    private final boolean warmup;

    EventsWorkload(int n, long quietMs) {
        this(n, quietMs, false);
    }

    private EventsWorkload(int n, long quietMs, boolean warmup) {
        this.n = n;
        this.quietMs = quietMs;
        this.warmup = warmup;
    }

    @Override
    public void setUp(Netlink nl) throws Exception {
        new NeighbourWorkload(null, n).setUp(nl);
    }

    @Override
    public Workload forWarmup() {
        return new EventsWorkload(Math.min(n, 20_000), 500, true);
    }

    @Override
    public void run(Netlink nl, Phases out) throws Exception {
        int br = nl.ifindex("br0");
        BitSet seen = new BitSet(n);
        long count = 0;
        long dups = 0;
        long other = 0;
        long tFirst = 0;
        long tLast = 0;
        try (Subscription s = nl.monitor().neighbours().snapshot(false).subscribe()) {
            if (!s.awaitSynced(Duration.ofSeconds(60))) {
                throw new IllegalStateException("subscription did not sync");
            }
            Thread producer = null;
            if (warmup) {
                List<Neighbour> entries = NeighbourWorkload.entries(n);
                producer = new Thread(() -> {
                    try {
                        nl.neighbours().addAll(entries, AckMode.EACH);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                producer.start();
            } else {
                System.out.println("READY");
                System.out.flush();
            }
            while (count < n) {
                MonitorEvent e = s.poll(count == 0 ? 60_000 : quietMs, TimeUnit.MILLISECONDS);
                if (e == null) {
                    break; // quiet
                }
                long t = System.nanoTime();
                if (e.type() == MonitorEvent.Type.SYNCED || e.type() == MonitorEvent.Type.REMOVED) {
                    continue;
                }
                if (!(e.value() instanceof Neighbour nb) || nb.index() == null || nb.index() != br
                        || !(nb.ip() instanceof Inet4Address) || !nb.state().contains(NeighbourState.PERMANENT)) {
                    other++;
                    continue;
                }
                byte[] a = nb.ip().getAddress();
                long ip = ((a[0] & 0xffL) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
                long i = ip - 0x0ae90001L;
                if (i < 0 || i >= n) {
                    other++;
                    continue;
                }
                if (seen.get((int) i)) {
                    dups++;
                    continue;
                }
                seen.set((int) i);
                if (count++ == 0) {
                    tFirst = t;
                }
                tLast = t;
            }
            if (producer != null) {
                producer.join();
            }
            long kernelDrops = warmup ? -1 : kernelDrops(s.eventPortId());
            if (warmup) {
                return;
            }
            long ns = tLast - tFirst;
            System.out.printf(Locale.ROOT, "{\"phase\":\"events\",\"ops\":%d,\"ns\":%d,\"count\":%d,\"expect\":%d,"
                            + "\"errors\":0,\"enobufs\":%d,\"kernel_drops\":%d,\"dups\":%d,\"other\":%d,\"rcvbuf\":%d,"
                            + "\"t_first_ns\":%d,\"t_last_ns\":%d,\"rate\":%.1f,\"resyncs\":%d,\"buffer_drops\":%d}%n",
                    count, ns, count, n, s.overruns(), kernelDrops, dups, other, s.receiveBufferBytes(), tFirst, tLast,
                    ns > 0 ? count / (ns / 1e9) : 0.0, s.resyncCount() - 1, s.bufferDrops());
            System.out.flush();
        }
    }

    /** The Drops column of /proc/net/netlink for the socket with port {@code port} (this process's namespace). */
    static long kernelDrops(int port) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/netlink"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 9 && !f[0].equals("sk") && Long.parseLong(f[2]) == Integer.toUnsignedLong(port)) {
                    return Long.parseLong(f[8]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
