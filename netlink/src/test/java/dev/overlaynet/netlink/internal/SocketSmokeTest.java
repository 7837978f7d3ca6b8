package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Needs no privilege: any process may dump its own namespace's links. */
class SocketSmokeTest {
    @Test
    void dumpsLinksOfTheCurrentNamespace() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE)) {
            MessageWriter w = new MessageWriter();
            int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
            w.ifinfomsg(0, 0, 0, 0, 0).end(m);
            List<String> names = new ArrayList<>();
            s.dump(w, msg -> {
                AttrReader a = msg.attrs(16);
                while (a.next()) {
                    if (a.type() == Ifla.IFLA_IFNAME) {
                        names.add(a.string());
                    }
                }
            });
            assertThat(names).contains("lo");
            assertThat(s.portId()).isNotZero();
            assertThat(s.droppedReplies()).isZero();
            // The socket is reusable after a dump.
            List<String> again = s.dumpList(w, msg -> "x", 3);
            assertThat(again).hasSameSizeAs(names);
        }
    }

    @Test
    void batchLargerThanTheWritersInitialBufferIsSentWhole() throws Exception {
        // Regression: growing the writer left its direct buffer's position at the old
        // size, and jnr-ffi sends from address + position, so only the tail went out.
        // Each GET also queues a reply: keep chunks small so that an unprivileged socket
        // (receive buffer capped by net.core.rmem_max) holds a chunk's replies and acks.
        NetlinkSocketOptions o = NetlinkSocketOptions.builder().maxBatchMessages(32).build();
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE, o)) {
            MessageWriter w = new MessageWriter(64);
            for (int i = 0; i < 300; i++) {
                int m = w.begin(RtNetlink.RTM_GETLINK, 0);
                w.ifinfomsg(0, 0, 0, 0, 0).u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS)
                        .string(Ifla.IFLA_IFNAME, "lo").end(m);
            }
            assertThat(w.buffer().position()).isZero();
            int[] replies = {0};
            BatchResult r = s.batch(w, AckMode.EACH);
            assertThat(r.size()).isEqualTo(300);
            assertThat(r.allSucceeded()).isTrue();
            s.request(w, msg -> replies[0]++);
            assertThat(replies[0]).isEqualTo(300);
        }
    }

    @Test
    void unknownLinkIsEnodevWithTheRequestInTheMessage() throws Exception {
        try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE,
                NetlinkSocketOptions.builder().describer(dev.overlaynet.netlink.internal.route.RouteDescriber.INSTANCE).build())) {
            MessageWriter w = new MessageWriter();
            int m = w.begin(RtNetlink.RTM_GETLINK, 0);
            w.ifinfomsg(0, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, "no-such-link0").end(m);
            NetlinkException e = org.assertj.core.api.Assertions.catchThrowableOfType(NetlinkException.class, () -> s.request(w));
            assertThat(e.errnoName()).isEqualTo("ENODEV");
            assertThat(e.isNotFound()).isTrue();
            assertThat(e.getMessage()).startsWith("RTM_GETLINK no-such-link0: ENODEV");
        }
    }
}
