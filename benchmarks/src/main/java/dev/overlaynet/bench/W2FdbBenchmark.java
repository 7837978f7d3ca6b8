package dev.overlaynet.bench;

import dev.overlaynet.BulkResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
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
 * W2: 10,000 static VXLAN FDB entries appended (self, permanent, with a
 * remote dst), then dumped for the device and decoded into {@link FdbEntry}
 * objects. Score: microseconds per entry.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 40)
@Measurement(iterations = 20)
@Fork(1)
public class W2FdbBenchmark {
    static final int N = 10_000;

    /** The append workload. */
    @State(Scope.Benchmark)
    public static class Append extends FreshNamespace {
        @Param({Modes.PER_REQUEST, Modes.BATCH_EACH, Modes.BATCH_LAST})
        public String mode;
        List<FdbEntry> entries;

        @Setup(Level.Trial)
        public void trial() {
            entries = Fixtures.w2Entries(N);
        }

        @Override
        String label() {
            return "w2add";
        }

        @Override
        void build(Netlink nl) throws Exception {
            Fixtures.w2Underlay(nl);
            Fixtures.w2Vxlan(nl);
        }
    }

    /** The dump workload: the 10,000 entries are there already. */
    @State(Scope.Benchmark)
    public static class Dump {
        NetNs ns;
        Netlink nl;

        @Setup(Level.Trial)
        public void trial() throws Exception {
            ns = BenchNamespaces.create("w2dump");
            nl = Netlink.open(ns);
            Fixtures.w2Underlay(nl);
            Fixtures.w2Vxlan(nl);
            nl.fdb().appendAll(Fixtures.w2Entries(N), AckMode.EACH).throwIfFailed();
        }

        @TearDown(Level.Trial)
        public void done() throws Exception {
            BenchNamespaces.destroy(nl, ns);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int append(Append s) throws Exception {
        if (s.mode.equals(Modes.PER_REQUEST)) {
            for (FdbEntry f : s.entries) {
                s.nl.fdb().append(f);
            }
            return N;
        }
        BulkResult<FdbEntry> r = s.nl.fdb().appendAll(s.entries, Modes.ack(s.mode));
        r.throwIfFailed();
        return r.size();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 5, time = 2)
    @Measurement(iterations = 10, time = 2)
    @OperationsPerInvocation(N)
    public List<FdbEntry> dump(Dump s) throws Exception {
        List<FdbEntry> all = s.nl.fdb().list("vx0");
        if (all.size() < N) {
            throw new IllegalStateException("dump returned " + all.size() + " entries, expected " + N);
        }
        return all;
    }
}
