package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.DumpInterruptedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkSocket;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NLM_F_DUMP_INTR under churn (reliability-anchors §6: flagged in 5/5 runs on
 * this kernel): a dump of 3,000 addresses on br0 while another thread adds and
 * deletes an address on br1. An interrupted dump is never returned as consistent.
 */
@ExtendWith(NetnsExtension.class)
class DumpInterruptedTest {
    private static final int ADDRESSES = 3000;

    /** Adds and deletes 10.99.0.1/32 on br1 until stopped, on its own socket. */
    private static Thread churner(Netlink nl, int br1, AtomicBoolean stop, AtomicReference<Throwable> failure,
                                  AtomicInteger changes) {
        Thread t = new Thread(() -> {
            byte[] ip = Raw.ipv4(10, 99, 0, 1);
            MessageWriter add = Raw.address(new MessageWriter(), RtNetlink.RTM_NEWADDR, br1, ip, 32);
            MessageWriter del = Raw.address(new MessageWriter(), RtNetlink.RTM_DELADDR, br1, ip, 32);
            try {
                while (!stop.get()) {
                    nl.socket().request(add);
                    nl.socket().request(del);
                    changes.addAndGet(2);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "churner");
        t.start();
        return t;
    }

    @Test
    void flaggedUnderChurnAndNeverReturnedAsConsistent(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = nss.netlink(ns);
        NetlinkSocket s = nl.socket();
        s.request(Raw.bridge(new MessageWriter(), "br0"));
        s.request(Raw.bridge(new MessageWriter(), "br1"));
        int br0 = nl.ifindex("br0");
        int br1 = nl.ifindex("br1");
        MessageWriter adds = new MessageWriter();
        for (int i = 0; i < ADDRESSES; i++) {
            Raw.address(adds, RtNetlink.RTM_NEWADDR, br0, Raw.ipv4(10, 50 + i / 65536, (i >> 8) & 0xff, i & 0xff), 32);
        }
        assertThat(s.batch(adds, AckMode.LAST).allSucceeded()).isTrue();

        // Without churn: consistent, exact.
        assertThat(s.dumpList(Raw.addrDump(new MessageWriter()), m -> m.i32(4), 1)).hasSize(ADDRESSES);

        Netlink churnHandle = nss.netlink(ns); // a second socket: the churn must not queue behind our dump
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> churnFailure = new AtomicReference<>();
        AtomicInteger changes = new AtomicInteger();
        Thread churn = churner(churnHandle, br1, stop, churnFailure, changes);
        int flagged = 0;
        int lowLevelThrows = 0;
        int listReturnedWhileFlagged = 0;
        try {
            while (changes.get() < 10) {
                Thread.onSpinWait(); // let the churn get going
            }
            for (int run = 0; run < 5; run++) {
                // Low level: dump() throws after reading to the end when the kernel flagged it.
                boolean[] sawFlag = {false};
                try {
                    s.dump(Raw.addrDump(new MessageWriter()), m -> sawFlag[0] |= (m.flags() & Nlmsg.NLM_F_DUMP_INTR) != 0);
                } catch (DumpInterruptedException e) {
                    lowLevelThrows++;
                    assertThat(e.attempts()).isEqualTo(1);
                }
                if (sawFlag[0]) {
                    flagged++;
                }
                // dumpList with one attempt: a result whose messages carried the flag must never come back.
                boolean[] listFlag = {false};
                try {
                    List<Integer> l = s.dumpList(Raw.addrDump(new MessageWriter()), m -> {
                        listFlag[0] |= (m.flags() & Nlmsg.NLM_F_DUMP_INTR) != 0;
                        return m.i32(4);
                    }, 1);
                    if (listFlag[0]) {
                        listReturnedWhileFlagged++;
                    }
                    assertThat(l.size()).isBetween(ADDRESSES, ADDRESSES + 1);
                } catch (DumpInterruptedException e) {
                    lowLevelThrows++;
                    assertThat(e.partialResults()).isNotEmpty();
                }
            }
            // Bounded retry: either a consistent list or, after exactly 3 attempts, the exception with partial results.
            try {
                List<Integer> l = s.dumpList(Raw.addrDump(new MessageWriter()), m -> m.i32(4), 3);
                assertThat(l.size()).isBetween(ADDRESSES, ADDRESSES + 1);
            } catch (DumpInterruptedException e) {
                assertThat(e.attempts()).isEqualTo(3);
                assertThat(e.partialResults()).isNotEmpty();
                assertThat(e.getMessage()).contains("RTM_GETADDR").contains("3 attempt(s)");
            }
        } finally {
            stop.set(true);
            churn.join();
        }
        assertThat(churnFailure.get()).isNull();
        assertThat(flagged).as("dumps whose messages carried NLM_F_DUMP_INTR, of 5").isGreaterThanOrEqualTo(1);
        assertThat(lowLevelThrows).isGreaterThanOrEqualTo(flagged);
        assertThat(listReturnedWhileFlagged).isZero();
        // The socket is still usable and nothing was dropped.
        assertThat(s.dumpList(Raw.addrDump(new MessageWriter()), m -> m.i32(4), 1)).hasSize(ADDRESSES);
        assertThat(s.droppedReplies()).isZero();
    }
}
