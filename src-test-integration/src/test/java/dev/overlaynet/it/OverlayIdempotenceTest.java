package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Applying what is already there sends nothing; reapply() repairs what was
 * deleted out of band, and only that.
 */
@ExtendWith(NetnsExtension.class)
class OverlayIdempotenceTest {

    private record Setup(OverlaySim sim, Overlay overlay, OverlayHost h1, RecordingObserver obs, ContainerSpec c, Endpoint remote) {}

    private static Setup setup(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 2);
        Overlay o = OverlaySim.overlay(mode);
        RecordingObserver obs = new RecordingObserver();
        OverlayHost h1 = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true), obs);
        OverlayHost h2 = OverlayHost.join(sim.handle(2), o, OverlaySim.hostSpec(2, true));
        ContainerSpec c = ContainerSpec.builder().namespace(sim.container("c")).ip("10.233.1.2").build();
        h1.attach(c);
        Endpoint remote = h2.attach(ContainerSpec.builder().namespace(sim.container("d")).ip("10.233.2.2").build());
        if (mode == Overlay.Mode.UNICAST) {
            h1.addPeer(OverlaySim.underlayIp(2));
            h1.addRemote(remote);
            h2.addPeer(OverlaySim.underlayIp(1));
            h2.addRemote(h1.localEndpoints().get(0));
        }
        sim.awaitAttached(1, c);
        return new Setup(sim, o, h1, obs, c, remote);
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void applyingAgainSendsNothing(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        Setup s = setup(mode, nss);
        String h1 = s.sim().hostName(1);
        Map<String, Object> host = Snapshot.host(h1);
        Map<String, Object> container = Snapshot.container(s.c().namespace().name());
        long linkMessages = s.sim().linkMessagesSent(1);

        RecordingObserver second = new RecordingObserver();
        OverlayHost again = OverlayHost.join(s.sim().handle(1), s.overlay(), OverlaySim.hostSpec(1, true), second);
        again.attach(s.c());
        assertThat(second.mutations).as("second join + attach").isEmpty();
        assertThat(second.steps).as("it did walk the steps").isNotEmpty();

        s.obs().reset(-1);
        s.h1().reapply();
        s.h1().attach(s.c());
        if (mode == Overlay.Mode.UNICAST) {
            s.h1().addPeer(OverlaySim.underlayIp(2));
            s.h1().addRemote(s.remote());
        }
        assertThat(s.obs().mutations).as("reapply, attach, addPeer, addRemote again").isEmpty();
        assertThat(s.sim().linkMessagesSent(1)).as("RTM_NEWLINK/DELLINK sent").isEqualTo(linkMessages);
        // Snapshots include every ifindex: nothing was recreated.
        assertThat(Snapshot.diff(host, Snapshot.host(h1))).isEmpty();
        assertThat(Snapshot.diff(container, Snapshot.container(s.c().namespace().name()))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void reapplyRecreatesADeletedBridgeAndOnlyWhatWentWithIt(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        Setup s = setup(mode, nss);
        String h1 = s.sim().hostName(1);
        String veth = s.c().hostInterfaceName();
        Map<String, Object> vxBefore = link(h1, "vxlan0");
        Map<String, Object> vethBefore = link(h1, veth);
        Map<String, Object> brBefore = link(h1, "br0");
        Object brAddrs = Oracle.json("ip", "-n", h1, "-j", "-4", "addr", "show", "dev", "br0");
        Object neigh = Oracle.json("ip", "-n", h1, "-j", "neigh", "show", "dev", "br0", "nud", "permanent");
        Object vxFdb = staticFdb(h1);

        Oracle.run("ip", "-n", h1, "link", "del", "br0");
        s.obs().reset(-1);
        s.h1().reapply();

        assertThat(s.obs().mutations).as("mutations").noneMatch(m -> m.contains("vxlan0") && m.startsWith("CREATED"))
                .noneMatch(m -> m.startsWith("veth")).anyMatch(m -> m.contains("bridge br0"));
        Map<String, Object> vx = link(h1, "vxlan0");
        assertThat(vx.get("ifindex")).as("vxlan0 kept").isEqualTo(vxBefore.get("ifindex"));
        assertThat(vx.get("master")).isEqualTo("br0");
        Map<String, Object> br = link(h1, "br0");
        assertThat(br.get("address")).isEqualTo(brBefore.get("address"));
        assertThat(br.get("operstate")).isEqualTo("UP");
        Map<String, Object> v = link(h1, veth);
        assertThat(v.get("ifindex")).as("container veth kept").isEqualTo(vethBefore.get("ifindex"));
        assertThat(v.get("master")).as("container veth back on the bridge").isEqualTo("br0");
        assertThat(stripIfindex(Oracle.json("ip", "-n", h1, "-j", "-4", "addr", "show", "dev", "br0")))
                .as("host address then gateway").isEqualTo(stripIfindex(brAddrs));
        assertThat(Oracle.json("ip", "-n", h1, "-j", "neigh", "show", "dev", "br0", "nud", "permanent")).as("remotes' neighbours").isEqualTo(neigh);
        assertThat(staticFdb(h1)).as("vxlan fdb").isEqualTo(vxFdb);
        Object port = ((Map<?, ?>) ((List<?>) Oracle.json("bridge", "-n", h1, "-d", "-j", "link", "show", "dev", "vxlan0")).get(0)).get("neigh_suppress");
        assertThat(port).as("neigh_suppress on vxlan0").isEqualTo(Boolean.TRUE);
        assertThat(Oracle.run("ip", "netns", "exec", h1, "sysctl", "-n", "net.ipv4.conf.br0.arp_announce").strip()).isEqualTo("2");
        NetNs c = s.c().namespace();
        assertThat(Traffic.ping(c, OverlaySim.GATEWAY)).as("container -> gateway").isTrue();
        assertThat(Traffic.pingWithWarmup(c, s.remote().ip().getHostAddress())).as("container -> remote container").isTrue();

        // And now nothing is missing.
        s.obs().reset(-1);
        s.h1().reapply();
        assertThat(s.obs().mutations).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void reapplyRestoresADeletedGatewayAddressAlone(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        Setup s = setup(mode, nss);
        String h1 = s.sim().hostName(1);
        Map<String, Object> before = Snapshot.host(h1);
        Oracle.run("ip", "-n", h1, "addr", "del", OverlaySim.GATEWAY + "/16", "dev", "br0");
        assertThat(Snapshot.host(h1)).isNotEqualTo(before);
        s.obs().reset(-1);
        s.h1().reapply();
        assertThat(s.obs().mutations).hasSize(1).allMatch(m -> m.contains(OverlaySim.GATEWAY));
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void rejoinWithAHostAddressPutsItAheadOfTheGateway(Overlay.Mode mode, TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Overlay o = OverlaySim.overlay(mode);
        OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, false));
        assertThat(bridgeAddresses(h1)).containsExactly(OverlaySim.GATEWAY);
        RecordingObserver obs = new RecordingObserver();
        OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true), obs);
        // The first address of the subnet is the primary: the source of the host's ARP requests.
        assertThat(bridgeAddresses(h1)).containsExactly(OverlaySim.hostAddress(1), OverlaySim.GATEWAY);
        Object route = ((List<?>) Oracle.json("ip", "-n", h1, "-j", "route", "show", "10.233.0.0/16")).get(0);
        assertThat(((Map<?, ?>) route).get("prefsrc")).isEqualTo(OverlaySim.hostAddress(1));
        obs.reset(-1);
        OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true), obs);
        assertThat(obs.mutations).isEmpty();
    }

    private static List<Object> bridgeAddresses(String ns) throws Exception {
        Object j = Oracle.json("ip", "-n", ns, "-j", "-4", "addr", "show", "dev", "br0");
        return ((List<?>) ((Map<?, ?>) ((List<?>) j).get(0)).get("addr_info")).stream().<Object>map(a -> ((Map<?, ?>) a).get("local")).toList();
    }

    static Map<String, Object> link(String ns, String dev) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) ((List<?>) Oracle.json("ip", "-n", ns, "-d", "-j", "link", "show", "dev", dev)).get(0);
        return m;
    }

    /** vxlan0's configured FDB entries (learned ones, with an empty state, come and go with traffic). */
    private static Object staticFdb(String ns) throws Exception {
        return ((List<?>) Oracle.json("bridge", "-n", ns, "-j", "fdb", "show", "dev", "vxlan0")).stream()
                .filter(o -> !"".equals(((Map<?, ?>) o).get("state"))).toList();
    }

    private static Object stripIfindex(Object addrs) {
        return ((List<?>) addrs).stream().map(o -> ((Map<?, ?>) o).get("addr_info")).toList();
    }
}
