package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Using a socket from inside its own dump or reply callback (forbidden by the
 * javadoc) must fail fast with IllegalStateException. Before, the nested
 * exchange read the rest of the dump as foreign replies and dropped them: the
 * dump was truncated after one entry, then waited for a DONE that had
 * already been consumed (30 s on a real socket; here the scripted kernel
 * times out at once).
 */
class SocketReentryTest {
    private static final int ENTRIES = 2_000;

    /** Answers a dump with ENTRIES links in datagrams of 50, then DONE; acks anything else. */
    private static ScriptedTransport kernel() {
        return new ScriptedTransport((m, t) -> {
            if ((m.flags() & Nlmsg.NLM_F_DUMP) == Nlmsg.NLM_F_DUMP) {
                int seq = m.seq();
                for (int first = 1; first <= ENTRIES; first += 50) {
                    byte[][] d = new byte[Math.min(50, ENTRIES - first + 1)][];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = t.message(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_MULTI, seq, first + i);
                    }
                    t.queue(d);
                }
                t.queue(t.done(seq));
            } else {
                ScriptedTransport.ackEach(m, t);
            }
        });
    }

    private static MessageWriter dumpLinks() {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(0, 0, 0, 0, 0).end(m);
        return w;
    }

    private static MessageWriter setLink(int index) {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
        w.ifinfomsg(0, 0, index, 0, 0).end(m);
        return w;
    }

    @Test
    void requestFromInsideOwnDumpCallbackFailsFastAndTheDumpIsReadToItsEnd() throws Exception {
        ScriptedTransport t = kernel();
        try (NetlinkSocket s = NetlinkSocket.over(t, NetlinkSocketOptions.defaults())) {
            List<Integer> seen = new ArrayList<>();
            Throwable thrown = catchThrowable(() -> s.dump(dumpLinks(), msg -> {
                seen.add(msg.payloadLength());
                if (seen.size() == 1) {
                    try {
                        s.request(setLink(1));
                    } catch (NetlinkException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
            assertThat(thrown).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a callback of its own request or dump");
            // Nothing nested was sent; the dump itself was consumed to NLMSG_DONE.
            assertThat(t.sentTypes).containsExactly(RtNetlink.RTM_GETLINK);
            // The socket still works: the next dump sees every entry.
            List<Integer> again = new ArrayList<>();
            s.dump(dumpLinks(), msg -> again.add(1));
            assertThat(again).hasSize(ENTRIES);
        }
    }

    @Test
    void everyExchangeKindIsRefusedFromInsideAReplyCallback() throws Exception {
        ScriptedTransport t = kernel();
        try (NetlinkSocket s = NetlinkSocket.over(t, NetlinkSocketOptions.defaults())) {
            List<Throwable> refused = new ArrayList<>();
            s.dump(dumpLinks(), msg -> {
                if (refused.isEmpty()) {
                    refused.add(catchThrowable(() -> s.dump(dumpLinks(), x -> { })));
                    refused.add(catchThrowable(() -> s.dumpList(dumpLinks(), x -> x, 1)));
                    refused.add(catchThrowable(() -> s.batch(setLink(2), AckMode.EACH)));
                    MessageWriter tx = setLink(3);
                    int m = tx.begin(RtNetlink.RTM_NEWLINK, 0);
                    tx.ifinfomsg(0, 0, 4, 0, 0).end(m);
                    refused.add(catchThrowable(() -> s.transaction(tx)));
                }
            });
            assertThat(refused).hasSize(4).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class));
            // An interface index lookup does not disturb the stream and stays allowed.
            s.dump(dumpLinks(), msg -> {
                try {
                    assertThat(s.interfaceIndex("lo")).isEqualTo(-1);
                } catch (NetlinkException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }
}
