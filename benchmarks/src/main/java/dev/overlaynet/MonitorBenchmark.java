package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The event monitor's per-event work, without the kernel: one neighbour
 * notification (as the kernel sends it: ndmsg, NDA_DST, NDA_LLADDR,
 * NDA_CACHEINFO, NDA_PROBES) decoded into a typed {@link Neighbour} and its key,
 * then applied to the subscription's keyed view (compare, then put or
 * remove) producing the {@link MonitorEvent}. Alternates adds and removes of
 * 1,024 entries so every operation yields an event. Score: events per second.
 * In package {@code dev.overlaynet} for the package-private decoder and view.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(1)
public class MonitorBenchmark {
    static final int ENTRIES = 1024;
    byte[][] messages;
    MonitorView view;
    MonitorCodec codec;
    int next;
    Blackhole bh;

    @Setup
    public void setup(Blackhole bh) {
        this.bh = bh;
        messages = new byte[2 * ENTRIES][];
        for (int i = 0; i < ENTRIES; i++) {
            messages[i] = neighbour(RtNetlink.RTM_NEWNEIGH, i);
            messages[ENTRIES + i] = neighbour(RtNetlink.RTM_DELNEIGH, i);
        }
        view = new MonitorView();
        codec = MonitorCodec.create();
        // br0 (index 3) is known, as after the snapshot
        view.map(MonitorTopic.LINK).put(3, Bridge.builder().name("br0").build());
    }

    static byte[] neighbour(int type, int i) {
        MessageWriter w = new MessageWriter(128);
        int m = w.begin(type, 0);
        w.ndmsg(AddressFamily.AF_INET, 3, 0x80, 0, 1)
                .bytes(Nda.NDA_DST, new byte[] {10, (byte) 233, (byte) (i >> 8), (byte) i})
                .bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, (byte) (i >> 8), (byte) i})
                .bytes(Nda.NDA_CACHEINFO, new byte[16])
                .u32(Nda.NDA_PROBES, 0)
                .end(m);
        return w.toByteArray();
    }

    private final Consumer<MonitorEvent> sink = e -> bh.consume(e);

    /** Decode + key + compare with the view + event: what the engine thread does per notification. */
    @Benchmark
    public void decodeAndApply() {
        byte[] b = messages[next];
        next = (next + 1) & (2 * ENTRIES - 1);
        MessageReader m = MessageReader.of(b);
        m.next();
        Object d = codec.decode(m, view::name, view);
        view.apply((MonitorCodec.Item) d, sink);
    }

    /** Decode into the typed value and key only. */
    @Benchmark
    public Object decode() {
        byte[] b = messages[next];
        next = (next + 1) & (2 * ENTRIES - 1);
        MessageReader m = MessageReader.of(b);
        m.next();
        return codec.decode(m, view::name, view);
    }
}
