package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetNs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A subscription ignores datagrams that do not come from the kernel: another
 * socket in the namespace sends the subscription's event socket a forged
 * neighbour notification and forged barrier acks (every sequence number the
 * subscription could be waiting for). None becomes an event, none completes
 * a resync, and each is counted. Lives in this package for the raw libc binding.
 */
@ExtendWith(NetnsExtension.class)
class MonitorForgedSenderTest {

    @Test
    void forgedNotificationsAndAcksAreDroppedAndCounted(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("fg");
        String name = nss.nameOf(ns);
        Oracle.run("ip", "-n", name, "link", "add", "br0", "type", "bridge");
        Oracle.run("ip", "-n", name, "link", "set", "br0", "up");
        Netlink nl = nss.netlink(ns);
        int br0 = nl.ifindex("br0");
        int attacker = ns.call(UserSockets::open);
        try (Subscription s = nl.monitor().neighbours().subscribe()) {
            List<MonitorEvent> seen = new ArrayList<>();
            take(s, seen, MonitorEvent.Type.SYNCED, null);
            int port = s.eventPortId();
            assertThat(port).isNotZero();

            MessageWriter w = new MessageWriter();
            int m = w.begin(RtNetlink.RTM_NEWNEIGH, 0);
            w.ndmsg(AddressFamily.AF_INET, br0, 0x80, 0, 0)
                    .bytes(Nda.NDA_DST, Ip.parse("10.66.0.1").getAddress())
                    .bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, 0x66, 1}).end(m);
            send(attacker, port, w.buffer(), w.length());
            int forged = 1;
            for (int seq = 1; seq <= 20; seq++) { // acks for every barrier the subscription may await
                ByteBuffer ack = ByteBuffer.allocateDirect(36).order(ByteOrder.nativeOrder());
                ack.putInt(0, 36).putShort(4, (short) Nlmsg.NLMSG_ERROR).putInt(8, seq).putInt(12, port);
                ack.putInt(16, 0).putInt(20, 16).putShort(24, (short) Nlmsg.NLMSG_NOOP).putInt(28, seq);
                send(attacker, port, ack, 36);
                forged++;
            }
            Oracle.run("ip", "-n", name, "neigh", "add", "10.66.0.2", "lladdr", "02:00:00:00:66:02", "dev", "br0",
                    "nud", "permanent");
            take(s, seen, MonitorEvent.Type.ADDED, "10.66.0.2");
            assertThat(seen).noneMatch(e -> e.value() instanceof Neighbour n && Ip.text(n.ip()).equals("10.66.0.1"));
            assertThat(s.forgedDropped()).isEqualTo(forged);
            assertThat(s.resyncCount()).isEqualTo(1);
        } finally {
            Native.libc().close(attacker);
        }
    }

    private static void take(Subscription s, List<MonitorEvent> seen, MonitorEvent.Type type, String ip)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            MonitorEvent e = s.poll(200, TimeUnit.MILLISECONDS);
            if (e == null) {
                continue;
            }
            seen.add(e);
            if (e.type() == type && (ip == null || e.value() instanceof Neighbour n && Ip.text(n.ip()).equals(ip))) {
                return;
            }
        }
        throw new AssertionError("no " + type + " " + ip + " in " + seen);
    }

    private static void send(int fd, int port, ByteBuffer b, int len) {
        ByteBuffer direct = ByteBuffer.allocateDirect(len).order(ByteOrder.nativeOrder());
        for (int i = 0; i < len; i++) {
            direct.put(i, b.get(i));
        }
        ByteBuffer to = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
        to.putShort(0, (short) NativeSocketOpener.AF_NETLINK).putInt(4, port);
        long n = Native.libc().sendto(fd, direct, len, 0, to, 12);
        assertThat(n).as("forged sendto, errno %d", n < 0 ? Native.errno() : 0).isEqualTo(len);
    }
}
