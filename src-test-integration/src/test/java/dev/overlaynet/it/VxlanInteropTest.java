package dev.overlaynet.it;

import static dev.overlaynet.it.LinkOracle.info;
import static dev.overlaynet.it.LinkOracle.ip;
import static dev.overlaynet.it.LinkOracle.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.Netlink;
import dev.overlaynet.PortRange;
import dev.overlaynet.Vxlan;
import dev.overlaynet.VxlanDf;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** VXLAN both ways against iproute2: what we create ip reads back, what ip creates we decode. */
@ExtendWith(NetnsExtension.class)
class VxlanInteropTest {

    @Test
    void multicastVxlanReadsBackInIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        Vxlan vx = Vxlan.builder().name("vxlan0").vni(42).group("239.1.1.1").device("ul0").ttl(5)
                .learning(true).ageing(200).limit(50).tos(1).df(VxlanDf.SET).srcPortRange(1000, 2000)
                .mtu(1400).txQueueLength(500).address("02:00:00:00:00:42").build();
        nl.links().add(vx);

        Map<?, ?> j = show(n, "vxlan0");
        assertThat(Json.path(j, "mtu")).isEqualTo(1400L);
        assertThat(Json.path(j, "txqlen")).isEqualTo(500L);
        assertThat(Json.path(j, "address")).isEqualTo("02:00:00:00:00:42");
        assertThat(info(n, "vxlan0", "id")).isEqualTo(42L);
        assertThat(info(n, "vxlan0", "group")).isEqualTo("239.1.1.1");
        assertThat(info(n, "vxlan0", "link")).isEqualTo("ul0");
        assertThat(info(n, "vxlan0", "port")).isEqualTo(4789L);
        assertThat(info(n, "vxlan0", "ttl")).isEqualTo(5L);
        assertThat(info(n, "vxlan0", "learning")).isEqualTo(true);
        assertThat(info(n, "vxlan0", "ageing")).isEqualTo(200L);
        assertThat(info(n, "vxlan0", "limit")).isEqualTo(50L);
        assertThat(info(n, "vxlan0", "tos")).isEqualTo("0x1"); // ip -j prints tos 1 (inherit) raw
        assertThat(info(n, "vxlan0", "df")).isEqualTo("set");
        assertThat(Json.path(j, "linkinfo", "info_data", "port_range", "low")).isEqualTo(1000L);
        assertThat(Json.path(j, "linkinfo", "info_data", "port_range", "high")).isEqualTo(2000L);

        Vxlan back = (Vxlan) nl.links().get("vxlan0");
        assertThat(vx.differences(back)).isEmpty();
        assertThat(back.srcPortRange()).isEqualTo(new PortRange(1000, 2000));
        assertThat(back.index()).isPositive();
        assertThat(back.udpCsum()).isTrue(); // kernel-filled default is readable
    }

    @Test
    void unicastFlagsReadBackInIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        Vxlan vx = Vxlan.builder().name("vx1").vni(100).remote("10.0.0.2").local("10.0.0.1").dstPort(4790)
                .learning(false).proxy(true).rsc(true).l2miss(true).l3miss(true).udpCsum(false)
                .udp6ZeroCsumTx(true).udp6ZeroCsumRx(true).remcsumTx(true).remcsumRx(true).build();
        nl.links().add(vx);
        assertThat(info(n, "vx1", "remote")).isEqualTo("10.0.0.2");
        assertThat(info(n, "vx1", "local")).isEqualTo("10.0.0.1");
        assertThat(info(n, "vx1", "port")).isEqualTo(4790L);
        for (String k : new String[] {"proxy", "rsc", "l2miss", "l3miss", "udp_zero_csum6_tx", "udp_zero_csum6_rx",
            "remcsum_tx", "remcsum_rx"}) {
            assertThat(info(n, "vx1", k)).as(k).isEqualTo(true);
        }
        assertThat(info(n, "vx1", "learning")).isEqualTo(false);
        assertThat(info(n, "vx1", "udp_csum")).isEqualTo(false);
        Vxlan back = (Vxlan) nl.links().get("vx1");
        assertThat(vx.differences(back)).isEmpty();
        assertThat(back.remote()).isEqualTo(InetAddress.getByName("10.0.0.2"));
        assertThat(back.group()).isNull();
    }

    @Test
    void ipv6AndExtensionsReadBackInIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        Vxlan vx = Vxlan.builder().name("vx6").vni(101).group("ff05::1").device("ul0").local("fd00::1")
                .label(5).ttlInherit(true).gbp(true).dstPort(4791).build();
        nl.links().add(vx);
        assertThat(info(n, "vx6", "group6")).isEqualTo("ff05::1");
        assertThat(info(n, "vx6", "local6")).isEqualTo("fd00::1");
        assertThat(info(n, "vx6", "label")).isEqualTo("0x5");
        assertThat(info(n, "vx6", "gbp")).isEqualTo(true);
        // ip -j has no key for ttl inherit (it leaves "ttl" out); the text form says it.
        assertThat(info(n, "vx6", "ttl")).isNull();
        assertThat(Oracle.run("ip", "-n", n, "-d", "link", "show", "vx6")).contains(" ttl inherit ");
        Vxlan back = (Vxlan) nl.links().get("vx6");
        assertThat(vx.differences(back)).isEmpty();

        Vxlan gpe = Vxlan.builder().name("vx8").external(true).gpe(true).learning(false).dstPort(4793).build();
        nl.links().add(gpe);
        assertThat(info(n, "vx8", "external")).isEqualTo(true);
        assertThat(info(n, "vx8", "gpe")).isEqualTo(true);
        Vxlan back8 = (Vxlan) nl.links().get("vx8");
        assertThat(gpe.differences(back8)).isEmpty();
        assertThat(back8.vni()).isZero();

        Vxlan vf = Vxlan.builder().name("vx7").external(true).vnifilter(true).dstPort(4792).build();
        nl.links().add(vf);
        assertThat(info(n, "vx7", "vnifilter")).isEqualTo(true);
        assertThat(vf.differences(nl.links().get("vx7"))).isEmpty();
    }

    @Test
    void decodesWhatIpCreates(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        ip(n, "link", "add", "ul0", "type", "bridge");
        ip(n, "link", "add", "vxlan0", "type", "vxlan", "id", "42", "dstport", "4789", "group", "239.1.1.1",
                "dev", "ul0", "ttl", "5", "nolearning", "ageing", "100", "srcport", "2000", "3000", "l2miss");
        Vxlan vx = (Vxlan) nl.links().get("vxlan0");
        assertThat(vx.vni()).isEqualTo(42);
        assertThat(vx.dstPort()).isEqualTo(4789);
        assertThat(vx.group()).isEqualTo(InetAddress.getByName("239.1.1.1"));
        assertThat(vx.device()).isEqualTo("ul0");
        assertThat(vx.ttl()).isEqualTo(5);
        assertThat(vx.learning()).isFalse();
        assertThat(vx.ageing()).isEqualTo(100);
        assertThat(vx.srcPortRange()).isEqualTo(new PortRange(2000, 3000));
        assertThat(vx.l2miss()).isTrue();
        assertThat(vx.l3miss()).isFalse();
        assertThat(vx.gbp()).isFalse();

        ip(n, "link", "add", "vx1", "type", "vxlan", "id", "7", "remote", "10.1.1.1", "local", "10.1.1.2",
                "dstport", "8472", "noudpcsum", "tos", "inherit", "df", "inherit");
        Vxlan v1 = (Vxlan) nl.links().get("vx1");
        assertThat(v1.remote()).isEqualTo(InetAddress.getByName("10.1.1.1"));
        assertThat(v1.local()).isEqualTo(InetAddress.getByName("10.1.1.2"));
        assertThat(v1.dstPort()).isEqualTo(Vxlan.KERNEL_DEFAULT_PORT);
        assertThat(v1.udpCsum()).isFalse();
        assertThat(v1.tos()).isEqualTo(1);
        assertThat(v1.df()).isEqualTo(VxlanDf.INHERIT);
    }

    @Test
    void kernelTextReachesCaller(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Vxlan.builder().name("vxa").vni(42).remote("10.0.0.2").build());
        assertThatThrownBy(() -> nl.links().add(Vxlan.builder().name("vxb").vni(42).remote("10.0.0.3").build()))
                .isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).isAlreadyExists()).isTrue())
                .hasMessageContaining("EEXIST")
                .hasMessageContaining("A VXLAN device with the specified VNI already exists");
    }
}
