package dev.overlaynet.bench;

import dev.overlaynet.internal.RawAccess;
import dev.overlaynet.GenericLink;
import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
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

    /**
     * The same dump walked like the C peer's callback (attributes visited, the
     * name read, nothing built): the transport and kernel share of {@link #dump}.
     */
    @Benchmark
    public int walk() throws Exception {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS).end(m);
        int[] count = {0};
        RawAccess.socket(nl).dump(w, msg -> {
            if (msg.type() == RtNetlink.RTM_NEWLINK) {
                AttrReader a = msg.attrs(16);
                while (a.next()) {
                    if (a.type() == Ifla.IFLA_IFNAME && a.payloadLength() > 1) {
                        count[0]++;
                    }
                }
            }
        });
        if (count[0] != LINKS + 1) {
            throw new IllegalStateException("walk saw " + count[0] + " links, expected " + (LINKS + 1));
        }
        return count[0];
    }

    @TearDown(Level.Trial)
    public void done() throws Exception {
        BenchNamespaces.destroy(nl, ns);
    }
}
