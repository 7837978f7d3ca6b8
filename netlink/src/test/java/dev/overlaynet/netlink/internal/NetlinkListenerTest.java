package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/** What a NetlinkListener sees: every request message (batches chunked), every reply message, every failure. */
class NetlinkListenerTest {
    private static final class Recorder implements NetlinkListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void requestSent(NetlinkMessage m) {
            // ifi_index: 4 bytes into the ifinfomsg after the 16-byte header
            int ifindex = ByteBuffer.wrap(m.bytes()).order(ByteOrder.nativeOrder()).getInt(16 + 4);
            events.add("sent " + m.type() + " seq " + m.seq() + " ifindex " + ifindex);
        }

        @Override
        public void replyReceived(NetlinkMessage m) {
            events.add("reply " + m.type() + " seq " + m.seq());
        }

        @Override
        public void requestFailed(NetlinkProtocol protocol, NetlinkException e) {
            events.add("failed " + e.errnoName());
        }
    }

    private static MessageWriter links(int n) {
        MessageWriter w = new MessageWriter(64);
        for (int i = 1; i <= n; i++) {
            int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
            w.ifinfomsg(0, 0, i, 0, 0).end(m);
        }
        return w;
    }

    @Test
    void everyMessageOfEveryChunkIsSeenOnceInWireOrder() throws Exception {
        Recorder r = new Recorder();
        // Link 5 is refused; chunks of 3 messages per sendmsg.
        ScriptedTransport t = new ScriptedTransport((m, k) -> k.queue(k.ack(m.seq(),
                m.i32(4) == 5 ? Errno.EPERM.intValue() : 0)));
        NetlinkSocketOptions o = NetlinkSocketOptions.builder().maxBatchMessages(3).listener(r).build();
        try (NetlinkSocket s = NetlinkSocket.over(t, o)) {
            BatchResult res = s.batch(links(7), AckMode.EACH);
            assertThat(res.failedCount()).isEqualTo(1);
        }
        List<String> sent = r.events.stream().filter(e -> e.startsWith("sent")).toList();
        assertThat(sent).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(sent.get(i)).endsWith("ifindex " + (i + 1));
        }
        assertThat(r.events.stream().filter(e -> e.startsWith("reply " + Nlmsg.NLMSG_ERROR))).hasSize(7);
        assertThat(r.events).filteredOn(e -> e.startsWith("failed")).containsExactly("failed EPERM");
    }

    @Test
    void aTimeoutIsReportedAsAFailure() throws Exception {
        Recorder r = new Recorder();
        ScriptedTransport silent = new ScriptedTransport((m, k) -> { });
        try (NetlinkSocket s = NetlinkSocket.over(silent, NetlinkSocketOptions.builder().listener(r).build())) {
            NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.request(links(1)));
            assertThat(e.errnoName()).isEqualTo("ETIMEDOUT");
        }
        assertThat(r.events).hasSize(2).last().isEqualTo("failed ETIMEDOUT");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheExchange() throws Exception {
        NetlinkListener bad = new NetlinkListener() {
            @Override
            public void replyReceived(NetlinkMessage reply) {
                throw new IllegalStateException("listener bug");
            }
        };
        ScriptedTransport t = new ScriptedTransport(ScriptedTransport::ackEach);
        try (NetlinkSocket s = NetlinkSocket.over(t, NetlinkSocketOptions.builder().listener(bad).build())) {
            s.request(links(3));
            s.request(links(2));
        }
    }
}
