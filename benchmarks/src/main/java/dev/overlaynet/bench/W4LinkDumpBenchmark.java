package dev.overlaynet.bench;

import dev.overlaynet.GenericLink;
import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
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
 * W4: a dump of 1,001 links (1,000 ifb devices plus lo) decoded into typed
 * {@link Link} objects. Score: microseconds per full dump.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class W4LinkDumpBenchmark {
    static final int LINKS = 1000;
    NetNs ns;
    Netlink nl;

    @Setup(Level.Trial)
    public void trial() throws Exception {
        ns = BenchNamespaces.create("w4");
        nl = Netlink.open(ns);
        for (int i = 0; i < LINKS; i++) {
            nl.links().add(GenericLink.builder().name("d" + i).kind("ifb").build());
        }
    }

    @Benchmark
    public List<Link> dump() throws Exception {
        List<Link> all = nl.links().list();
        if (all.size() != LINKS + 1) {
            throw new IllegalStateException("dump returned " + all.size() + " links, expected " + (LINKS + 1));
        }
        return all;
    }

    @TearDown(Level.Trial)
    public void done() throws Exception {
        BenchNamespaces.destroy(nl, ns);
    }
}
