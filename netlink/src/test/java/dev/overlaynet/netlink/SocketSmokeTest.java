package dev.overlaynet.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.Ifla;
import dev.overlaynet.netlink.route.RtNetlink;
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
}
