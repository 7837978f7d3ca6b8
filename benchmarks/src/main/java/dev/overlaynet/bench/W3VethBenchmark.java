package dev.overlaynet.bench;

import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W3: 500 veth pairs va<i>/vb<i>. {@code add} creates them (in link group
 * 77, so the untimed teardown can remove them at once); {@code deleteEach}
 * removes them one RTM_DELLINK at a time (kernel-bound: an RCU grace period
 * per delete); {@code deleteGroup} removes all with one request. Score:
 * microseconds per pair.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class W3VethBenchmark {
    static final int N = 500;
    static final int GROUP = 77;

    /** A namespace with no pairs before each invocation. */
    @State(Scope.Benchmark)
    public static class Empty {
        NetNs ns;
        Netlink nl;

        @Setup(Level.Trial)
        public void trial() throws Exception {
            ns = BenchNamespaces.create("w3add");
            nl = Netlink.open(ns);
        }

        @TearDown(Level.Invocation)
        public void clear() throws Exception {
            nl.links().deleteGroup(GROUP);
            Quiesce.await();
        }

        @TearDown(Level.Trial)
        public void done() throws Exception {
            BenchNamespaces.destroy(nl, ns);
        }
    }

    /** A namespace holding the 500 pairs before each invocation. */
    @State(Scope.Benchmark)
    public static class Full {
        NetNs ns;
        Netlink nl;

        @Setup(Level.Trial)
        public void trial() throws Exception {
            ns = BenchNamespaces.create("w3del");
            nl = Netlink.open(ns);
        }

        @Setup(Level.Invocation)
        public void fill() throws Exception {
            addPairs(nl);
            Quiesce.await();
        }

        @TearDown(Level.Trial)
        public void done() throws Exception {
            BenchNamespaces.destroy(nl, ns);
        }
    }

    static void addPairs(Netlink nl) throws Exception {
        for (int i = 0; i < N; i++) {
            nl.links().add(Veth.builder().name("va" + i).peer("vb" + i).linkGroup(GROUP).build());
        }
    }

    @Benchmark
    @Warmup(iterations = 3)
    @Measurement(iterations = 8)
    @OperationsPerInvocation(N)
    public int add(Empty s) throws Exception {
        addPairs(s.nl);
        return N;
    }

    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 2)
    @OperationsPerInvocation(N)
    public int deleteEach(Full s) throws Exception {
        for (int i = 0; i < N; i++) {
            s.nl.links().delete("va" + i);
        }
        return N;
    }

    @Benchmark
    @Warmup(iterations = 2)
    @Measurement(iterations = 6)
    @OperationsPerInvocation(N)
    public int deleteGroup(Full s) throws Exception {
        s.nl.links().deleteGroup(GROUP);
        return N;
    }
}
