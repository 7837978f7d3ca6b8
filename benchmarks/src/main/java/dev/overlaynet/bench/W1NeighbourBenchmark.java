package dev.overlaynet.bench;

import dev.overlaynet.BulkResult;
import dev.overlaynet.Neighbour;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1: 10,000 permanent IPv4 neighbours on a bridge, added through the typed
 * API (one request per ack, or batched), then dumped and decoded into
 * {@link Neighbour} objects. Score: microseconds per neighbour.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 40)
@Measurement(iterations = 20)
@Fork(1)
public class W1NeighbourBenchmark {
    static final int N = 10_000;

    /** The add workload. */
    @State(Scope.Benchmark)
    public static class Add extends FreshNamespace {
        @Param({Modes.PER_REQUEST, Modes.BATCH_EACH, Modes.BATCH_LAST})
        public String mode;
        List<Neighbour> entries;

        @Setup(Level.Trial)
        public void trial() {
            entries = Fixtures.w1Neighbours(N);
        }

        @Override
        String label() {
            return "w1add";
        }

        @Override
        void build(Netlink nl) throws Exception {
            Fixtures.w1Bridge(nl);
        }
    }

    /** The dump workload: the 10,000 neighbours are there already. */
    @State(Scope.Benchmark)
    public static class Dump {
        NetNs ns;
        Netlink nl;

        @Setup(Level.Trial)
        public void trial() throws Exception {
            ns = BenchNamespaces.create("w1dump");
            nl = Netlink.open(ns);
            Fixtures.w1Bridge(nl);
            nl.neighbours().addAll(Fixtures.w1Neighbours(N), dev.overlaynet.netlink.AckMode.EACH).throwIfFailed();
        }

        @TearDown(Level.Trial)
        public void done() throws Exception {
            BenchNamespaces.destroy(nl, ns);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int add(Add s) throws Exception {
        if (s.mode.equals(Modes.PER_REQUEST)) {
            for (Neighbour n : s.entries) {
                s.nl.neighbours().add(n);
            }
            return N;
        }
        BulkResult<Neighbour> r = s.nl.neighbours().addAll(s.entries, Modes.ack(s.mode));
        r.throwIfFailed();
        return r.size();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 10, time = 2)
    @OperationsPerInvocation(N)
    public List<Neighbour> dump(Dump s) throws Exception {
        List<Neighbour> all = s.nl.neighbours().list("br0");
        if (all.size() < N) {
            throw new IllegalStateException("dump returned " + all.size() + " neighbours, expected " + N);
        }
        return all;
    }
}
