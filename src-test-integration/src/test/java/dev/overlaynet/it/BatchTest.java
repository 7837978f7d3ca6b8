package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.internal.BatchResult;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.route.RouteDescriber;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,024 neighbour adds in one batch() call, each outcome reported, with the
 * default socket options and with a receive buffer far too small for 1,024
 * acks at once (each capped ack costs 832 bytes of receive buffer on this
 * kernel, measured via /proc/net/netlink Rmem), which the chunking must absorb.
 */
@ExtendWith(NetnsExtension.class)
class BatchTest {
    private static final int N = 1024;

    private static int neighbours(String ns) throws Exception {
        return Raw.count(Oracle.json("ip", "-n", ns, "-j", "neigh", "show", "dev", "br0", "nud", "permanent"));
    }

    private static MessageWriter adds(int ifindex, int subnet, int from, int count) {
        MessageWriter w = new MessageWriter();
        for (int i = from; i < from + count; i++) {
            Raw.neighbour(w, ifindex, Raw.ipv4(10, subnet, i >> 8, i & 0xff), i);
        }
        return w;
    }

    private static Netlink setUp(TestNamespaces nss, NetNs ns, NetlinkSocketOptions options) throws Exception {
        Netlink nl = options == null ? nss.netlink(ns) : nss.closeLater(Netlink.open(ns, options));
        RawAccess.socket(nl).request(Raw.bridge(new MessageWriter(), "br0"));
        return nl;
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void thousandTwentyFourAddsWithDefaultOptions(AckMode mode, TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = setUp(nss, ns, null);
        int br0 = nl.ifindex("br0");
        BatchResult r = RawAccess.socket(nl).batch(adds(br0, 1, 0, N), mode);
        assertThat(r.size()).isEqualTo(N);
        assertThat(r.allSucceeded()).isTrue();
        assertThat(neighbours(ns.name())).isEqualTo(N);
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void duplicatesFailIndividuallyWithEexist(AckMode mode, TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = setUp(nss, ns, null);
        int br0 = nl.ifindex("br0");
        // Pre-existing: every 7th address of the batch below.
        MessageWriter pre = new MessageWriter();
        List<Integer> dups = new ArrayList<>();
        for (int i = 3; i < N; i += 7) {
            Raw.neighbour(pre, br0, Raw.ipv4(10, 2, i >> 8, i & 0xff), i);
            dups.add(i);
        }
        assertThat(RawAccess.socket(nl).batch(pre, AckMode.EACH).allSucceeded()).isTrue();
        BatchResult r = RawAccess.socket(nl).batch(adds(br0, 2, 0, N), mode);
        assertThat(r.failedCount()).isEqualTo(dups.size());
        for (int i = 0; i < N; i++) {
            if (dups.contains(i)) {
                assertThat(r.succeeded(i)).as("request %d", i).isFalse();
                assertThat(r.failure(i).errnoName()).isEqualTo("EEXIST");
                assertThat(r.failure(i).getMessage()).contains("RTM_NEWNEIGH 10.2." + (i >> 8) + "." + (i & 0xff));
            } else {
                assertThat(r.succeeded(i)).as("request %d", i).isTrue();
            }
        }
        assertThat(neighbours(ns.name())).isEqualTo(N);
    }

    @ParameterizedTest
    @EnumSource(AckMode.class)
    void smallReceiveBufferIsChunkedInsteadOfOverflowing(AckMode mode, TestNamespaces nss) throws Exception {
        // 64 KiB asked, 128 KiB granted: room for ~157 acks of 832 bytes, not 1,024.
        NetlinkSocketOptions small = NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE)
                .receiveBufferBytes(64 << 10).maxBatchMessages(4096).build();
        NetNs ns = nss.create("a");
        Netlink nl = setUp(nss, ns, small);
        NetlinkSocket s = RawAccess.socket(nl);
        assertThat(s.receiveBufferBytes()).isEqualTo(128 << 10);
        assertThat(s.batchChunkMessages()).isLessThan(157);
        int br0 = nl.ifindex("br0");
        // Half of them fail (pre-existing), so error acks are in the mix too.
        MessageWriter pre = new MessageWriter();
        for (int i = 0; i < N; i += 2) {
            Raw.neighbour(pre, br0, Raw.ipv4(10, 3, i >> 8, i & 0xff), i);
        }
        assertThat(s.batch(pre, mode).allSucceeded()).isTrue();
        BatchResult r = s.batch(adds(br0, 3, 0, N), mode);
        assertThat(r.size()).isEqualTo(N);
        assertThat(r.failedCount()).isEqualTo(N / 2);
        for (int i = 0; i < N; i++) {
            assertThat(r.succeeded(i)).as("request %d", i).isEqualTo(i % 2 == 1);
        }
        assertThat(neighbours(ns.name())).isEqualTo(N);
    }

    @Test
    void defaultChunkFitsTheGrantedBuffer(TestNamespaces nss) throws Exception {
        NetlinkSocket s = RawAccess.socket(nss.netlink(nss.create("a")));
        // 832 bytes of truesize per capped ack, measured; the chunk must fit with room to spare.
        assertThat((long) s.batchChunkMessages() * 832).isLessThan(s.receiveBufferBytes() / 2);
    }
}
