package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dump abandoned half way (here: the handler throws an Error, which is not
 * caught like a RuntimeException) leaves the kernel's dump open; the socket
 * must finish it before the next exchange, or the next dump gets EBUSY and
 * stale replies are mistaken for drops.
 */
@ExtendWith(NetnsExtension.class)
class DumpRecoveryTest {
    @Test
    void abandonedDumpIsDrainedBeforeTheNextExchange(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = nss.netlink(ns);
        NetlinkSocket s = RawAccess.socket(nl);
        s.request(Raw.bridge(new MessageWriter(), "br0"));
        int br0 = nl.ifindex("br0");
        MessageWriter adds = new MessageWriter();
        for (int i = 0; i < 2000; i++) {
            Raw.address(adds, RtNetlink.RTM_NEWADDR, br0, Raw.ipv4(10, 70, i >> 8, i & 0xff), 32);
        }
        assertThat(s.batch(adds, AckMode.LAST).allSucceeded()).isTrue();

        AtomicInteger seen = new AtomicInteger();
        assertThatThrownBy(() -> s.dump(Raw.addrDump(new MessageWriter()), m -> {
            if (seen.incrementAndGet() == 10) {
                throw new AssertionError("handler gives up");
            }
        })).isInstanceOf(AssertionError.class);
        // Another dump right away: complete, no EBUSY.
        assertThat(s.dumpList(Raw.addrDump(new MessageWriter()), m -> m.i32(4), 1)).hasSize(2000);
        // And a plain request after another abandoned dump.
        seen.set(0);
        assertThatThrownBy(() -> s.dump(Raw.addrDump(new MessageWriter()), m -> {
            if (seen.incrementAndGet() == 10) {
                throw new AssertionError("again");
            }
        })).isInstanceOf(AssertionError.class);
        assertThat(nl.ifindex("br0")).isEqualTo(br0);
        assertThat(s.droppedReplies()).isZero();
    }

    @Test
    void runtimeExceptionInHandlerIsRethrownAfterTheDumpEnds(TestNamespaces nss) throws Exception {
        NetlinkSocket s = RawAccess.socket(nss.netlink(nss.create("a")));
        for (int i = 0; i < 20; i++) {
            s.request(Raw.bridge(new MessageWriter(), "b" + i));
        }
        AtomicInteger seen = new AtomicInteger();
        assertThatThrownBy(() -> s.dump(Raw.linkDump(new MessageWriter(), 0), m -> {
            seen.incrementAndGet();
            throw new IllegalStateException("bad decoder");
        })).isInstanceOf(IllegalStateException.class).hasMessage("bad decoder");
        assertThat(seen.get()).isEqualTo(1); // the handler is not called again after failing
        assertThat(s.dumpList(Raw.linkDump(new MessageWriter(), 0), m -> m.i32(4), 1)).hasSize(21);
    }
}
