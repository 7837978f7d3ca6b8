package dev.overlaynet.bench;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.BatchResult;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkSocket;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.AddressFamily;
import dev.overlaynet.netlink.route.Ifla;
import dev.overlaynet.netlink.route.Nda;
import dev.overlaynet.netlink.route.RtNetlink;
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
 * Transport-level neighbour adds: raw messages through NetlinkSocket, no
 * typed objects. Isolates the socket's cost from the typed API's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(1)
public class RawNeighbourBenchmark {
    static final int N = 10_000;

    @Param({"PER_REQUEST", "BATCH_EACH", "BATCH_LAST"})
    public String mode;

    private NetNs ns;
    private Netlink nl;
    private NetlinkSocket s;
    private final MessageWriter w = new MessageWriter(1 << 20);
    private int br0;

    @Setup(Level.Trial)
    public void trial() throws Exception {
        ns = BenchNamespaces.create("rawneigh");
        nl = Netlink.open(ns);
        s = nl.socket();
    }

    @Setup(Level.Invocation)
    public void freshBridge() throws Exception {
        // A fresh bridge per invocation: deleting the old one flushes its neighbours.
        RawLinks.deleteIfExists(s, "br0");
        RawLinks.addBridge(s, "br0");
        br0 = nl.ifindex("br0");
        RawLinks.up(s, br0);
        RawLinks.addIpv4(s, br0, new byte[] {10, (byte) 233, (byte) 255, (byte) 254}, 16);
    }

    private void neigh(MessageWriter w, int i, byte[] ip, byte[] mac) {
        ip[0] = 10;
        ip[1] = (byte) 233;
        ip[2] = (byte) (i >>> 8);
        ip[3] = (byte) i;
        mac[0] = 2;
        mac[3] = (byte) (i >>> 16);
        mac[4] = (byte) (i >>> 8);
        mac[5] = (byte) i;
        int m = w.begin(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ndmsg(AddressFamily.AF_INET, br0, Nda.NUD_PERMANENT, 0, 0)
                .bytes(Nda.NDA_DST, ip)
                .bytes(Nda.NDA_LLADDR, mac)
                .end(m);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int add() throws Exception {
        byte[] ip = new byte[4];
        byte[] mac = new byte[6];
        if (mode.equals("PER_REQUEST")) {
            for (int i = 1; i <= N; i++) {
                w.clear();
                neigh(w, i, ip, mac);
                s.request(w);
            }
            return N;
        }
        w.clear();
        for (int i = 1; i <= N; i++) {
            neigh(w, i, ip, mac);
        }
        BatchResult r = s.batch(w, mode.equals("BATCH_EACH") ? AckMode.EACH : AckMode.LAST);
        if (!r.allSucceeded()) {
            throw new IllegalStateException(r.failedCount() + " failed: " + r.failures().get(0));
        }
        return r.size();
    }

    @TearDown(Level.Trial)
    public void done() throws Exception {
        BenchNamespaces.destroy(nl, ns);
    }
}
