package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.route.RouteDescriber;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sender check (reliability-anchors §7.5): another NETLINK_ROUTE socket in the
 * same namespace sends our port a forged NLMSG_ERROR whose header carries our
 * port id and the sequence number we are about to use. An unconnected socket
 * would be given it (verified in §1), and only the sender address (nl_pid != 0)
 * would give it away; our sockets are connected to the kernel, so the kernel
 * refuses the forgery with ECONNREFUSED and it never reaches the queue.
 *
 * <p>Lives in package {@code dev.overlaynet.netlink} (split across the test
 * classpath) so that the attacker can use the package-private libc binding
 * and the socket's sequence hook without any public testing API.
 */
@ExtendWith(NetnsExtension.class)
class ForgedReplyTest {
    private static final NetlinkSocketOptions OPTIONS =
            NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE).timeoutMillis(10_000).build();

    /** Tries to send {@code NLMSG_ERROR(error)} "for" {@code seq} with header pid = the victim's port: refused. */
    private static void forge(int fd, int victimPort, int seq, int error) {
        ByteBuffer m = ByteBuffer.allocateDirect(36).order(ByteOrder.nativeOrder());
        m.putInt(0, 36).putShort(4, (short) Nlmsg.NLMSG_ERROR).putShort(6, (short) Nlmsg.NLM_F_CAPPED)
                .putInt(8, seq).putInt(12, victimPort);
        m.putInt(16, error);
        m.putInt(20, 16).putShort(24, (short) RtNetlink.RTM_NEWLINK).putInt(28, seq).putInt(32, victimPort);
        ByteBuffer to = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
        to.putShort(0, (short) NativeSocketOpener.AF_NETLINK).putInt(4, victimPort);
        refused(Native.libc().sendto(fd, m, 36, 0x40 /* MSG_DONTWAIT */, to, 12));
    }

    private static void refused(long sent) {
        assertThat(sent).as("a forged reply to a connected socket is refused").isNegative();
        assertThat(Native.errno()).isEqualTo(jnr.constants.platform.Errno.ECONNREFUSED.intValue());
    }

    private static MessageWriter bridge(String name) {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "bridge");
        w.nestEnd(li).end(m);
        return w;
    }

    @Test
    void forgedAckAndErrorAreRefusedAndTheKernelsAnswerWins(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        NetlinkSocket victim = nss.closeLater(ns.call(() -> NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE, OPTIONS)));
        int attacker = ns.call(UserSockets::open);
        try {
            // 1. A forged ACK and a forged EPERM for the next request; the kernel's ack must win.
            int seq = victim.nextSequence();
            forge(attacker, victim.portId(), seq, 0);
            forge(attacker, victim.portId(), seq, -1);
            victim.request(bridge("fbr0"));
            assertThat(victim.droppedReplies()).isZero();
            assertThat(Oracle.run("ip", "-n", ns.name(), "-o", "link", "show", "fbr0")).contains("fbr0");

            // 2. A forged ACK for a request the kernel refuses: the caller must see the real EEXIST.
            seq = victim.nextSequence();
            forge(attacker, victim.portId(), seq, 0);
            NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> victim.request(bridge("fbr0")));
            assertThat(e).isNotNull();
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(e.getMessage()).contains("RTM_NEWLINK fbr0");
            assertThat(victim.droppedReplies()).isZero();

            // 3. The same during a dump: a forged DONE must not end it early.
            seq = victim.nextSequence();
            ByteBuffer done = ByteBuffer.allocateDirect(20).order(ByteOrder.nativeOrder());
            done.putInt(0, 20).putShort(4, (short) Nlmsg.NLMSG_DONE).putShort(6, (short) Nlmsg.NLM_F_MULTI)
                    .putInt(8, seq).putInt(12, victim.portId());
            ByteBuffer to = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
            to.putShort(0, (short) NativeSocketOpener.AF_NETLINK).putInt(4, victim.portId());
            refused(Native.libc().sendto(attacker, done, 20, 0x40, to, 12));
            MessageWriter w = new MessageWriter();
            int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
            w.ifinfomsg(0, 0, 0, 0, 0).end(m);
            assertThat(victim.dumpList(w, msg -> msg.i32(4), 1)).hasSize(2); // lo and fbr0
            assertThat(victim.droppedReplies()).isZero();
        } finally {
            Native.libc().close(attacker);
        }
    }

    @Test
    void sequenceNumbersWrapWithoutConfusingReplies(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        NetlinkSocket s = nss.closeLater(ns.call(() -> NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE, OPTIONS)));
        // A batch that would cross 0 restarts at 1; each of its outcomes still lands on its own request.
        s.nextSequence(-3); // 0xfffffffd
        MessageWriter w = new MessageWriter();
        for (int i = 0; i < 6; i++) {
            String name = i == 3 ? "wrap1" : "wrap" + i; // the 4th duplicates the 2nd
            int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
            w.ifinfomsg(0, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
            int li = w.nestStart(Ifla.IFLA_LINKINFO);
            w.string(Ifla.IFLA_INFO_KIND, "bridge");
            w.nestEnd(li).end(m);
        }
        BatchResult r = s.batch(w, AckMode.EACH);
        assertThat(r.failedCount()).isEqualTo(1);
        assertThat(r.errno(3)).isEqualTo(17); // EEXIST
        assertThat(r.failure(3).getMessage()).contains("RTM_NEWLINK wrap1");
        assertThat(s.nextSequence()).isEqualTo(7);
        // A single request may use 0xffffffff; the one after skips 0.
        s.nextSequence(-1);
        s.request(bridge("wrapA"));
        assertThat(s.nextSequence()).isEqualTo(1);
        s.request(bridge("wrapB"));
        assertThat(s.droppedReplies()).isZero();
    }
}
