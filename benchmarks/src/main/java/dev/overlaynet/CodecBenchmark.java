package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Codec cost without the kernel: encoding a neighbour, an FDB entry and a
 * vxlan link request into a reused writer (the bulk path's per-entry work;
 * run with {@code -prof gc} to see B/op, which should be 0 for neighbour and
 * FDB), and decoding reply messages into typed objects.
 *
 * <p>Lives in package {@code dev.overlaynet} to reach the package-private
 * codecs the services use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    private final MessageWriter w = new MessageWriter(4096);
    private final AttrReader attrs = new AttrReader();
    private final MessageReader reader = new MessageReader();
    private Neighbour neigh;
    private FdbEntry fdb;
    private Vxlan vxlan;
    private ByteBuffer neighReply;
    private int neighReplyLen;
    private ByteBuffer fdbReply;
    private int fdbReplyLen;
    private static final NameResolver NAMES = new NameResolver() {
        @Override
        public int ifindex(String name) {
            return 3;
        }

        @Override
        public String name(int index) {
            return "br0";
        }
    };

    @Setup
    public void setup() {
        neigh = Neighbour.permanent("br0", "10.233.1.2", "02:00:00:00:01:02");
        fdb = FdbEntry.remote("vx0", MacAddress.parse("02:fd:00:00:01:02"), "172.16.1.20");
        vxlan = Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).group("239.1.1.1").device("eth1").build();
        // Replies shaped as the kernel sends them: NDA_DST, NDA_LLADDR, NDA_PROBES, NDA_CACHEINFO.
        MessageWriter r = new MessageWriter(512);
        int m = r.begin(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_MULTI);
        r.ndmsg(AddressFamily.AF_INET, 3, Nda.NUD_PERMANENT, 0, 1)
                .bytes(Nda.NDA_DST, new byte[] {10, (byte) 233, 1, 2})
                .bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, 1, 2})
                .u32(Nda.NDA_PROBES, 0)
                .bytes(Nda.NDA_CACHEINFO, new byte[16])
                .end(m);
        neighReply = copy(r);
        neighReplyLen = r.length();
        r.clear();
        m = r.begin(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_MULTI);
        r.ndmsg(AddressFamily.AF_BRIDGE, 3, Nda.NUD_PERMANENT | Nda.NUD_NOARP, Nda.NTF_SELF, 0)
                .bytes(Nda.NDA_LLADDR, new byte[] {2, (byte) 0xfd, 0, 0, 1, 2})
                .bytes(Nda.NDA_DST, new byte[] {(byte) 172, 16, 1, 20})
                .bytes(Nda.NDA_CACHEINFO, new byte[16])
                .end(m);
        fdbReply = copy(r);
        fdbReplyLen = r.length();
    }

    private static ByteBuffer copy(MessageWriter r) {
        ByteBuffer b = ByteBuffer.allocateDirect(r.length()).order(ByteOrder.nativeOrder());
        b.put(0, r.toByteArray());
        return b;
    }

    @Benchmark
    public int encodeNeigh() {
        w.clear();
        NeighCodec.encode(w, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, neigh, 3);
        return w.length();
    }

    @Benchmark
    public int encodeFdb() {
        w.clear();
        FdbCodec.encode(w, RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND, fdb, 4);
        return w.length();
    }

    @Benchmark
    public int encodeVxlanLink() throws Exception {
        w.clear();
        LinkCodec.encodeNewLink(w, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, vxlan, 0, NAMES, true);
        return w.length();
    }

    @Benchmark
    public Neighbour decodeNeigh() {
        reader.reset(neighReply, 0, neighReplyLen).next();
        return NeighCodec.decode(reader, NAMES::name, attrs);
    }

    @Benchmark
    public FdbEntry decodeFdb() {
        reader.reset(fdbReply, 0, fdbReplyLen).next();
        return FdbCodec.decode(reader, NAMES::name, attrs);
    }
}
