package dev.overlaynet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.Ifla;
import dev.overlaynet.netlink.route.RouteDescriber;
import dev.overlaynet.netlink.route.RtNetlink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ScratchRootTest {
    @Test
    void extAckReachesCaller() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")));
        NetNs.deleteIfExists("scratch-t1");
        try (NetNs ns = NetNs.create("scratch-t1")) {
            NetlinkSocket s = ns.call(() -> NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE,
                    NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE).build()));
            try (s) {
                MessageWriter w = new MessageWriter();
                int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
                w.ifinfomsg(0, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, "vxlan0");
                int li = w.nestStart(Ifla.IFLA_LINKINFO);
                w.string(Ifla.IFLA_INFO_KIND, "vxlan");
                int d = w.nestStart(Ifla.IFLA_INFO_DATA);
                w.u32(Ifla.IFLA_VXLAN_ID, 16777216).be16(Ifla.IFLA_VXLAN_PORT, 4789);
                w.nestEnd(d).nestEnd(li).end(m);
                NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.request(w));
                System.err.println(e.getMessage());
                assertThat(e.errnoName()).isEqualTo("ERANGE");
                assertThat(e.extAckMessage()).isEqualTo("VXLAN ID must be lower than 16777216");
            }
            assertThat(ns.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
            ns.sysctl("net.ipv4.ip_forward", "1");
            assertThat(ns.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
            Process p = ns.start(new ProcessBuilder("ip", "-o", "link").redirectErrorStream(true));
            String out = new String(p.getInputStream().readAllBytes());
            System.err.println(out);
            assertThat(out).contains("lo:").doesNotContain("eth");
        } finally {
            NetNs.delete("scratch-t1");
        }
    }
}
