package dev.overlaynet.bench;

import dev.overlaynet.Bridge;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetNs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long a subscription takes to resync with 100,000 neighbours: barrier,
 * dump of 100,000 entries decoded into typed values, barrier, merge, and the
 * comparison with the 100,000 entries the consumer already has (no change,
 * so no event but SYNCED). Also the initial list (100,000 ADDED events
 * queued). Needs root. Score: milliseconds per resync.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class MonitorResyncBenchmark {
    static final int ENTRIES = 100_000;
    NetNs ns;
    Netlink nl;
    Subscription sub;

    @Setup(Level.Trial)
    public void trial() throws Exception {
        ns = BenchNamespaces.create("mres");
        nl = Netlink.open(ns);
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().up("br0");
        List<Neighbour> entries = new ArrayList<>(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(Neighbour.permanent("br0", "10." + (i >> 16) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff),
                    String.format("02:00:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff)));
        }
        nl.neighbours().addAll(entries, AckMode.LAST).throwIfFailed();
        sub = nl.monitor().neighbours().eventCapacity(ENTRIES + 16).subscribe();
        awaitSynced(sub);
    }

    private static MonitorEvent awaitSynced(Subscription s) throws InterruptedException {
        for (;;) {
            MonitorEvent e = s.poll(60, TimeUnit.SECONDS);
            if (e == null) {
                throw new IllegalStateException("no SYNCED within 60 s");
            }
            if (e.type() == MonitorEvent.Type.SYNCED) {
                return e;
            }
        }
    }

    /** A requested resync against an unchanged table of 100,000 entries. */
    @Benchmark
    public MonitorEvent resync() throws Exception {
        sub.resync();
        MonitorEvent e = awaitSynced(sub);
        if (e.resync().entries() < ENTRIES) {
            throw new IllegalStateException("resync saw " + e.resync().entries() + " entries: " + e.resync()
                    + "; the kernel lists " + nl.neighbours().list().size());
        }
        return e;
    }

    /** A new subscription's initial list: 100,000 ADDED events queued, then SYNCED. */
    @Benchmark
    public MonitorEvent initialList() throws Exception {
        try (Subscription s = nl.monitor().neighbours().eventCapacity(ENTRIES + 16).subscribe()) {
            return awaitSynced(s);
        }
    }

    @TearDown(Level.Trial)
    public void done() throws Exception {
        sub.close();
        BenchNamespaces.destroy(nl, ns);
    }
}
