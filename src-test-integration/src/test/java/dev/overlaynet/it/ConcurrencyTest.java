package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** 8 threads x 200 mixed requests and dumps on one handle: no crossed replies, no EBUSY. */
@ExtendWith(NetnsExtension.class)
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPS = 200;

    @Test
    void sharedHandleNeverCrossesReplies(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = nss.netlink(ns);
        NetlinkSocket s = RawAccess.socket(nl);
        int[] index = new int[THREADS];
        for (int t = 0; t < THREADS; t++) {
            s.request(Raw.bridge(new MessageWriter(), "br" + t));
            index[t] = nl.ifindex("br" + t);
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < OPS; i++) {
                        switch (i % 4) {
                            case 0 -> assertThat(nl.ifindex("br" + me)).isEqualTo(index[me]);
                            case 1 -> {
                                // A GET of our own link: the reply must name our link.
                                MessageWriter w = new MessageWriter();
                                int m = w.begin(RtNetlink.RTM_GETLINK, 0);
                                w.ifinfomsg(0, 0, index[me], 0, 0).u32(Ifla.IFLA_EXT_MASK, 1).end(m);
                                List<String> names = new ArrayList<>();
                                s.request(w, msg -> {
                                    AttrReader a = msg.attrs(16);
                                    while (a.next()) {
                                        if (a.type() == Ifla.IFLA_IFNAME) {
                                            names.add(a.string());
                                        }
                                    }
                                });
                                assertThat(names).containsExactly("br" + me);
                            }
                            case 2 -> assertThat(s.dumpList(Raw.linkDump(new MessageWriter(), 0), msg -> msg.i32(4), 1))
                                    .hasSize(THREADS + 1);
                            default -> {
                                byte[] ip = Raw.ipv4(10, 60 + me, 0, 1 + i % 200);
                                s.request(Raw.address(new MessageWriter(), RtNetlink.RTM_NEWADDR, index[me], ip, 32));
                                s.request(Raw.address(new MessageWriter(), RtNetlink.RTM_DELADDR, index[me], ip, 32));
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "caller-" + t);
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(failures).isEmpty();
        assertThat(s.droppedReplies()).isZero();
    }
}
