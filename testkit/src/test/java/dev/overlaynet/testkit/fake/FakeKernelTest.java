package dev.overlaynet.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.internal.BatchResult;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/** The fake kernel's own contract, through a plain NetlinkSocket and raw messages. */
class FakeKernelTest {
    private static MessageWriter newBridge(String name) {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ifinfomsg(0, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "bridge");
        w.nestEnd(li).end(m);
        return w;
    }

    private static List<String> names(NetlinkSocket s) throws NetlinkException {
        MessageWriter w = new MessageWriter();
        int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
        w.ifinfomsg(0, 0, 0, 0, 0).end(m);
        List<String> out = new ArrayList<>();
        s.dump(w, msg -> {
            var a = msg.attrs(16);
            while (a.next()) {
                if (a.type() == Ifla.IFLA_IFNAME) {
                    out.add(a.string());
                }
            }
        });
        return out;
    }

    @Test
    void createsListsAndRefusesADuplicateWithEexist() throws Exception {
        FakeKernel k = new FakeKernel();
        try (NetlinkSocket s = NetlinkSocket.over(k.open(NetlinkProtocol.NETLINK_ROUTE), NetlinkSocketOptions.defaults())) {
            s.request(newBridge("br0"));
            assertThat(names(s)).containsExactly("lo", "br0");
            assertThat(s.interfaceIndex("br0")).isEqualTo(k.interfaceIndex("br0")).isPositive();
            NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.request(newBridge("br0")));
            assertThat(e.errnoName()).isEqualTo("EEXIST");
            assertThat(k.changes()).hasSize(2);
            assertThat(k.requests().get(0).toString()).isEqualTo("RTM_NEWLINK br0");
        }
    }

    @Test
    void anInjectedFailureCarriesErrnoAndExtAckAndChangesNothing() throws Exception {
        FakeKernel k = new FakeKernel();
        String before = k.snapshot();
        k.failChange(1, Errno.EPERM.intValue(), "not today");
        try (NetlinkSocket s = NetlinkSocket.over(k.open(NetlinkProtocol.NETLINK_ROUTE), NetlinkSocketOptions.defaults())) {
            NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.request(newBridge("br0")));
            assertThat(e.errnoName()).isEqualTo("EPERM");
            assertThat(e.extAckMessage()).isEqualTo("not today");
            assertThat(k.snapshot()).isEqualTo(before);
            s.request(newBridge("br0")); // one-shot
            assertThat(names(s)).contains("br0");
        }
    }

    @Test
    void aScriptAnswersInsteadOfTheModelAndUnmodelledRequestsSayWhatToDo() throws Exception {
        FakeKernel k = new FakeKernel();
        k.on(r -> r.type() == RtNetlink.RTM_NEWLINK, (r, reply) -> reply.error(Errno.EBUSY.intValue(), "scripted"));
        try (NetlinkSocket s = NetlinkSocket.over(k.open(NetlinkProtocol.NETLINK_ROUTE), NetlinkSocketOptions.defaults())) {
            BatchResult r = s.batch(newBridge("br0"), AckMode.EACH);
            assertThat(r.failure(0).extAckMessage()).isEqualTo("scripted");
            k.clearScripts();
            MessageWriter route = new MessageWriter();
            int m = route.begin(RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE);
            route.rtmsg(2, 0, 0, 0, 254, 4, 0, 1, 0).end(m);
            NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.request(route));
            assertThat(e.errnoName()).isIn("EOPNOTSUPP", "ENOTSUP");
            assertThat(e.extAckMessage()).contains("FakeKernel.on");
        }
    }

    @Test
    void sysctlsOfADeviceExistWithItAndWritesCanFail() throws Exception {
        FakeKernel k = new FakeKernel();
        assertThat(k.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(catchThrowableOfType(java.nio.file.NoSuchFileException.class,
                () -> k.sysctl("net.ipv4.conf.br0.arp_announce"))).isNotNull();
        k.addLink("br0", "bridge");
        assertThat(k.sysctl("net.ipv4.conf.br0.arp_announce")).isEqualTo("0");
        k.failChange(1, Errno.EACCES.intValue(), null);
        assertThat(catchThrowableOfType(java.io.IOException.class, () -> k.sysctl("net.ipv4.ip_forward", "1")))
                .hasMessageContaining("EACCES");
        k.sysctl("net.ipv4.ip_forward", "1");
        assertThat(k.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(k.sysctlWrites()).containsExactly("net.ipv4.ip_forward=1", "net.ipv4.ip_forward=1");
    }
}
