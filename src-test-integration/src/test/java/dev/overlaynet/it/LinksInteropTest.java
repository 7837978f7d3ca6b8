package dev.overlaynet.it;

import static dev.overlaynet.it.LinkOracle.info;
import static dev.overlaynet.it.LinkOracle.ip;
import static dev.overlaynet.it.LinkOracle.show;
import static dev.overlaynet.it.LinkOracle.slave;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.BridgePort;
import dev.overlaynet.GenericLink;
import dev.overlaynet.Link;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Macvlan;
import dev.overlaynet.MacvlanMode;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bridge, bridge port, veth, macvlan and the link operations, checked against iproute2. */
@ExtendWith(NetnsExtension.class)
@SuppressWarnings("unchecked")
class LinksInteropTest {

    /**
     * A dump is decoded in one pass; masters and peers with a higher ifindex
     * than the link naming them are resolved after the dump. Both orders are
     * built here with iproute2 and compared with what {@code ip -j} reports.
     */
    @Test
    void listResolvesReferencesInBothIndexOrders(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        ip(n, "link", "add", "brlow", "type", "bridge");           // lower index than its port
        ip(n, "link", "add", "va", "type", "veth", "peer", "name", "vb"); // va's peer vb comes after it
        ip(n, "link", "add", "brhigh", "type", "bridge");          // higher index than its port
        ip(n, "link", "set", "va", "master", "brhigh");
        ip(n, "link", "set", "vb", "master", "brlow");
        ip(n, "link", "add", "mv0", "link", "brlow", "type", "macvlan", "mode", "bridge");
        ip(n, "link", "add", "vx0", "type", "vxlan", "id", "7", "dstport", "4789", "dev", "brhigh");

        Map<String, Link> byName = new java.util.HashMap<>();
        for (Link l : nl.links().list()) {
            byName.put(l.name(), l);
        }
        List<Map<String, Object>> ipLinks = (List<Map<String, Object>>) Oracle.json("ip", "-n", n, "-d", "-j", "link", "show");
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(
                ipLinks.stream().map(m -> (String) m.get("ifname")).toList());
        for (Map<String, Object> m : ipLinks) {
            Link l = byName.get((String) m.get("ifname"));
            assertThat(l.index()).isEqualTo(((Number) m.get("ifindex")).intValue());
            assertThat(l.master()).as("master of %s", l.name()).isEqualTo(m.get("master"));
        }
        assertThat(byName.get("va").index()).isLessThan(byName.get("brhigh").index());
        assertThat(byName.get("va").master()).isEqualTo("brhigh");
        assertThat(((Veth) byName.get("va")).peer()).isEqualTo("vb");
        assertThat(((Veth) byName.get("vb")).peer()).isEqualTo("va");
        assertThat(((Macvlan) byName.get("mv0")).parent()).isEqualTo("brlow");
        assertThat(((dev.overlaynet.Vxlan) byName.get("vx0")).device()).isEqualTo("brhigh");
        // The single-link path agrees with the dump.
        assertThat(nl.links().get("va")).isEqualTo(byName.get("va"));
    }

    @Test
    void bridgeOptionsReadBackInIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        Bridge br = Bridge.builder().name("br1").forwardDelay(Duration.ofSeconds(15)).helloTime(Duration.ofSeconds(2))
                .maxAge(Duration.ofSeconds(20)).ageingTime(Duration.ofSeconds(300)).stp(true).priority(100)
                .groupFwdMask(0x8).mcastSnooping(false).mcastQuerier(true)
                .alias("the bridge").linkGroup(7).build();
        nl.links().add(br);
        Map<?, ?> j = show(n, "br1");
        // ip prints the clock_t values raw (centiseconds)
        assertThat(info(n, "br1", "forward_delay")).isEqualTo(1500L);
        assertThat(info(n, "br1", "hello_time")).isEqualTo(200L);
        assertThat(info(n, "br1", "max_age")).isEqualTo(2000L);
        assertThat(info(n, "br1", "ageing_time")).isEqualTo(30000L);
        assertThat(info(n, "br1", "stp_state")).isEqualTo(1L);
        assertThat(info(n, "br1", "priority")).isEqualTo(100L);
        // vlanProtocol and vlanFiltering: this kernel lacks CONFIG_BRIDGE_VLAN_FILTERING (EOPNOTSUPP,
        // and no IFLA_BR_VLAN_PROTOCOL in dumps), so they are covered by golden bytes only.
        assertThat(info(n, "br1", "group_fwd_mask")).isEqualTo("0x8");
        assertThat(info(n, "br1", "mcast_snooping")).isEqualTo(0L);
        assertThat(info(n, "br1", "mcast_querier")).isEqualTo(1L);
        assertThat(Json.path(j, "ifalias")).isEqualTo("the bridge");
        assertThat(Json.path(j, "group")).isEqualTo("7");
        Bridge back = (Bridge) nl.links().get("br1");
        assertThat(br.differences(back)).isEmpty();
        assertThat(back.forwardDelay()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void decodesBridgeIpCreates(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        ip(n, "link", "add", "br0", "type", "bridge", "forward_delay", "400", "ageing_time", "1000", "stp_state", "0",
                "mcast_snooping", "0", "priority", "7");
        Bridge b = (Bridge) nl.links().get("br0");
        assertThat(b.forwardDelay()).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.ageingTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.stp()).isFalse();
        assertThat(b.mcastSnooping()).isFalse();
        assertThat(b.priority()).isEqualTo(7);
    }

    @Test
    void bridgePortOptionsBothWays(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("br0").build());
        nl.links().add(Veth.builder().name("veth0").peer("veth1").master("br0").build());
        nl.links().setBridgePort("veth0", BridgePort.builder().learning(false).hairpin(true).flood(false)
                .neighSuppress(true).isolated(true).mcastFlood(false).bcastFlood(false).proxyArp(true).build());
        assertThat(slave(n, "veth0", "learning")).isEqualTo(false);
        assertThat(slave(n, "veth0", "hairpin")).isEqualTo(true);
        assertThat(slave(n, "veth0", "flood")).isEqualTo(false);
        assertThat(slave(n, "veth0", "neigh_suppress")).isEqualTo(true);
        assertThat(slave(n, "veth0", "isolated")).isEqualTo(true);
        assertThat(slave(n, "veth0", "mcast_flood")).isEqualTo(false);
        assertThat(slave(n, "veth0", "bcast_flood")).isEqualTo(false);
        assertThat(slave(n, "veth0", "proxy_arp")).isEqualTo(true);
        List<?> br = (List<?>) Oracle.json("bridge", "-n", n, "-d", "-j", "link", "show", "dev", "veth0");
        assertThat(Json.path(br, 0, "learning")).isEqualTo(false);
        assertThat(Json.path(br, 0, "neigh_suppress")).isEqualTo(true);
        assertThat(Json.path(br, 0, "master")).isEqualTo("br0");

        // the other way: ip sets, we read
        ip(n, "link", "set", "veth0", "type", "bridge_slave", "learning", "on", "isolated", "off", "cost", "42");
        BridgePort p = nl.links().bridgePort("veth0");
        assertThat(p.learning()).isTrue();
        assertThat(p.isolated()).isFalse();
        assertThat(p.neighSuppress()).isTrue();
        assertThat(p.cost()).isEqualTo(42);
        assertThatThrownBy(() -> nl.links().bridgePort("veth1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("veth1 is not a bridge port");
    }

    @Test
    void vethWithPeerOptionsAndNamespace(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        NetNs c1 = nss.create("c1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        Veth v = Veth.builder().name("ve2").address("02:00:00:00:00:02").mtu(1400).peer("ve3")
                .peerAddress("02:00:00:00:00:03").peerMtu(1300).build();
        nl.links().add(v);
        assertThat(Json.path(show(n, "ve3"), "address")).isEqualTo("02:00:00:00:00:03");
        assertThat(Json.path(show(n, "ve3"), "mtu")).isEqualTo(1300L);
        assertThat(Json.path(show(n, "ve2"), "mtu")).isEqualTo(1400L);
        Veth back = (Veth) nl.links().get("ve2");
        assertThat(back.peer()).isEqualTo("ve3");
        assertThat(v.differences(back)).isEmpty();

        nl.links().add(Veth.builder().name("veth0").peer("eth0").peerNamespace(c1).build());
        Map<?, ?> inC1 = show(nss.nameOf(c1), "eth0");
        assertThat(Json.path(inC1, "linkinfo", "info_kind")).isEqualTo("veth");
        Veth host = (Veth) nl.links().get("veth0");
        assertThat(host.peer()).isNull(); // the peer lives in another namespace
        Veth c1view = (Veth) nss.netlink(c1).links().get("eth0");
        assertThat(c1view.peer()).isNull();
    }

    @Test
    void decodesVethIpCreates(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        ip(nss.nameOf(ns), "link", "add", "a0", "type", "veth", "peer", "name", "b0");
        Veth a = (Veth) nl.links().get("a0");
        assertThat(a.peer()).isEqualTo("b0");
        assertThat(((Veth) nl.links().get("b0")).peer()).isEqualTo("a0");
    }

    @Test
    void macvlanBothWays(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Veth.builder().name("ve0").peer("ve1").build());
        Macvlan mv = Macvlan.builder().name("mv0").parent("ve0").mode(MacvlanMode.BRIDGE).build();
        nl.links().add(mv);
        assertThat(info(n, "mv0", "mode")).isEqualTo("bridge");
        assertThat(Json.path(show(n, "mv0"), "link")).isEqualTo("ve0");
        Macvlan back = (Macvlan) nl.links().get("mv0");
        assertThat(mv.differences(back)).isEmpty();

        ip(n, "link", "add", "mv1", "link", "ve0", "type", "macvlan", "mode", "private");
        Macvlan m1 = (Macvlan) nl.links().get("mv1");
        assertThat(m1.mode()).isEqualTo(MacvlanMode.PRIVATE);
        assertThat(m1.parent()).isEqualTo("ve0");
        assertThat(nl.links().list(Macvlan.class)).extracting(Link::name).containsExactlyInAnyOrder("mv0", "mv1");
    }

    @Test
    void operationsAgreeWithIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        NetNs other = nss.create("h2");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("br0").up(true).build());
        assertThat(Json.path(show(n, "br0"), "flags").toString()).contains("UP"); // IFF_UP applied at creation
        nl.links().add(Veth.builder().name("va").peer("vb").build());
        nl.links().setMaster("va", "br0");
        assertThat(Json.path(show(n, "va"), "master")).isEqualTo("br0");
        assertThat(nl.links().listByMaster("br0")).extracting(Link::name).containsExactly("va");
        nl.links().up("va", "vb", "br0");
        assertThat((List<Object>) Json.path(show(n, "vb"), "flags")).contains("UP");
        assertThat(nl.links().get("va").up()).isTrue();
        nl.links().down("va");
        assertThat((List<Object>) Json.path(show(n, "va"), "flags")).doesNotContain("UP");
        nl.links().setMtu("va", 1234);
        assertThat(Json.path(show(n, "va"), "mtu")).isEqualTo(1234L);
        nl.links().setAddress("va", MacAddress.parse("02:11:22:33:44:55"));
        assertThat(Json.path(show(n, "va"), "address")).isEqualTo("02:11:22:33:44:55");
        nl.links().setGroup("va", 9);
        assertThat(Json.path(show(n, "va"), "group")).isEqualTo("9");
        nl.links().noMaster("va");
        assertThat(Json.path(show(n, "va"), "master")).isNull();
        nl.links().rename("va", "vc");
        assertThat(nl.links().find("va")).isEmpty();
        assertThat(nl.links().get("vc").kind()).isEqualTo("veth");
        nl.links().moveToNamespace("vb", other);
        assertThat(nl.links().find("vb")).isEmpty();
        assertThat(show(nss.nameOf(other), "vb")).isNotNull();
        assertThat(nl.links().deleteIfExists("vc")).isTrue();
        assertThat(nl.links().deleteIfExists("vc")).isFalse();
        assertThatThrownBy(() -> nl.links().get("nope")).isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).isNotFound()).isTrue());
        Link lo = nl.links().get("lo");
        assertThat(lo).isInstanceOf(GenericLink.class);
        assertThat(nl.links().get(lo.index()).name()).isEqualTo("lo");
        assertThat(lo.unknownAttributes()).isNotEmpty();
    }

    @Test
    void deleteGroupRemovesExactlyThatGroup(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        for (int i = 0; i < 5; i++) {
            nl.links().add(Bridge.builder().name("g" + i).linkGroup(i < 3 ? 42 : 43).build());
        }
        nl.links().deleteGroup(42);
        List<?> left = (List<?>) Oracle.json("ip", "-n", n, "-j", "link", "show");
        assertThat(left).extracting(m -> (Object) ((Map<?, ?>) m).get("ifname")).containsExactlyInAnyOrder("lo", "g3", "g4");
        assertThatThrownBy(() -> nl.links().deleteGroup(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
