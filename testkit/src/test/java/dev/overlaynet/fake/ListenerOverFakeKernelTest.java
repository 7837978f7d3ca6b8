package dev.overlaynet.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.fake.FakeKernel;
import dev.overlaynet.testkit.fake.Request;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/**
 * A handle's listener sees, through the public {@link NetlinkMessage} view, every
 * request the fake kernel received (same type, flags and sequence), the acks
 * that answered them, and a refused change as a failure; a message kept after
 * the call keeps its header but no longer hands out bytes.
 */
class ListenerOverFakeKernelTest {
    private static final class Recorder implements NetlinkListener {
        final List<NetlinkMessage> sent = new ArrayList<>();
        final List<NetlinkMessage> replies = new ArrayList<>();
        final List<byte[]> sentBytes = new ArrayList<>();
        final List<Integer> replyErrnos = new ArrayList<>();
        final List<NetlinkException> failures = new ArrayList<>();

        @Override
        public void requestSent(NetlinkMessage m) {
            sent.add(m);
            sentBytes.add(m.bytes());
        }

        @Override
        public void replyReceived(NetlinkMessage m) {
            replies.add(m);
            if (m.type() == Nlmsg.NLMSG_ERROR) {
                replyErrnos.add(ByteBuffer.wrap(m.bytes()).order(ByteOrder.nativeOrder()).getInt(16));
            }
        }

        @Override
        public void requestFailed(NetlinkProtocol protocol, NetlinkException e) {
            failures.add(e);
        }
    }

    @Test
    void requestsRepliesAndFailuresAreSeen() throws Exception {
        FakeKernel kernel = new FakeKernel();
        Recorder r = new Recorder();
        try (Netlink nl = Netlink.builder().kernel(kernel).listener(r).open()) {
            nl.links().add(Bridge.builder().name("br0").build());
            kernel.failChange(1, Errno.EPERM.intValue(), "not today");
            assertThatThrownBy(() -> nl.links().add(Bridge.builder().name("br1").build()))
                    .isInstanceOf(NetlinkException.class);
        }
        List<Request> received = kernel.requests();
        assertThat(r.sent).extracting(NetlinkMessage::type).containsExactlyElementsOf(
                received.stream().map(Request::type).toList());
        assertThat(r.sent).extracting(NetlinkMessage::flags).containsExactlyElementsOf(
                received.stream().map(Request::flags).toList());
        assertThat(r.sent).extracting(NetlinkMessage::seq).containsExactlyElementsOf(
                received.stream().map(Request::seq).toList());
        assertThat(r.sent).allSatisfy(m -> {
            assertThat(m.protocol()).isEqualTo(NetlinkProtocol.NETLINK_ROUTE);
            assertThat(m.portId()).isZero();
        });
        assertThat(r.sent).filteredOn(m -> m.type() == RtNetlink.RTM_NEWLINK).hasSize(2);
        for (int i = 0; i < r.sent.size(); i++) {
            byte[] b = r.sentBytes.get(i);
            assertThat(b).hasSize(r.sent.get(i).length());
            ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
            assertThat(h.getInt(0)).isEqualTo(r.sent.get(i).length());
            assertThat(h.getShort(4) & 0xffff).isEqualTo(r.sent.get(i).type());
        }
        // Every reply names a request we sent; the two adds were acked, 0 then -EPERM.
        List<Integer> seqs = r.sent.stream().map(NetlinkMessage::seq).toList();
        assertThat(r.replies).isNotEmpty().allSatisfy(m -> assertThat(seqs).contains(m.seq()));
        assertThat(r.replyErrnos).contains(0).endsWith(-Errno.EPERM.intValue());
        assertThat(r.failures).singleElement().satisfies(e -> {
            assertThat(e.errnoName()).isEqualTo("EPERM");
            assertThat(e.extAckMessage()).isEqualTo("not today");
        });
    }

    @Test
    void aKeptMessageKeepsItsHeaderButNotItsBytes() throws Exception {
        FakeKernel kernel = new FakeKernel();
        Recorder r = new Recorder();
        try (Netlink nl = Netlink.builder().kernel(kernel).listener(r).open()) {
            nl.links().add(Bridge.builder().name("br0").build());
        }
        NetlinkMessage kept = r.sent.get(r.sent.size() - 1);
        assertThat(kept.type()).isEqualTo(RtNetlink.RTM_NEWLINK);
        assertThat(kept.toString()).contains("type=" + RtNetlink.RTM_NEWLINK);
        assertThatThrownBy(kept::bytes).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only during the listener call");
    }
}
