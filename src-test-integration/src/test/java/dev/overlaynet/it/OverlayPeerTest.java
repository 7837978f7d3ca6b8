package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.MacAddress;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Unicast mode: removing a peer cuts its containers off, and only those; adding it back restores them. */
@ExtendWith(NetnsExtension.class)
class OverlayPeerTest {

    @Test
    void removePeerStopsTrafficToThatHostOnly(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 3);
        OverlayCluster cl = OverlayCluster.build(sim, Overlay.Mode.UNICAST, 1, false);
        OverlayCluster.Container c1 = cl.on(1).get(0);
        OverlayCluster.Container c2 = cl.on(2).get(0);
        OverlayCluster.Container c3 = cl.on(3).get(0);
        assertThat(Traffic.ping(c1.ns(), c2.ip())).as("before: c1 -> c2").isTrue();
        assertThat(Traffic.ping(c1.ns(), c3.ip())).as("before: c1 -> c3").isTrue();

        String h2 = OverlaySim.underlayIp(2);
        cl.hosts[1].removePeer(h2);
        assertThat(cl.hosts[1].peers()).extracting(InetAddress::getHostAddress).containsExactly(OverlaySim.underlayIp(3));
        assertThat(cl.hosts[1].remotes()).extracting(e -> e.ip().getHostAddress()).containsExactly(c3.ip());
        // Oracle: no FDB entry on h1's vxlan0 points at h2 any more, and its container is no longer a neighbour.
        assertThat(fdbDsts(sim.hostName(1))).doesNotContain(h2).contains(OverlaySim.underlayIp(3));
        assertThat(Oracle.run("ip", "-n", sim.hostName(1), "neigh", "show", c2.ip())).isBlank();

        assertThat(Traffic.ping(c1.ns(), c2.ip())).as("after removePeer: c1 -> c2").isFalse();
        assertThat(Traffic.ping(c1.ns(), c3.ip())).as("after removePeer: c1 -> c3").isTrue();
        assertThat(Traffic.ping(c3.ns(), c2.ip())).as("after removePeer: c3 -> c2 (not involved)").isTrue();

        cl.hosts[1].addPeer(h2);
        for (Endpoint e : cl.hosts[2].localEndpoints()) {
            cl.hosts[1].addRemote(e);
        }
        assertThat(Traffic.ping(c1.ns(), c2.ip())).as("after re-adding: c1 -> c2").isTrue();
        assertThat(Traffic.tcpEcho(c2.ns(), c2.ip(), 7100, c1.ns(), "back")).isEqualTo("back");
    }

    @Test
    void addRemoteWithoutHostAddressIsRejectedBeforeAnyChange(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        OverlayCluster cl = OverlayCluster.build(sim, Overlay.Mode.UNICAST, 0, false);
        Map<String, Object> before = Snapshot.host(sim.hostName(1));
        Endpoint noHost = new Endpoint(InetAddress.getByName("10.233.9.9"), MacAddress.parse("0a:58:0a:e9:09:09"), null);
        assertThatThrownBy(() -> cl.hosts[1].addRemote(noHost)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no host address");
        Endpoint onThisHost = new Endpoint(InetAddress.getByName("10.233.9.9"), MacAddress.parse("0a:58:0a:e9:09:09"),
                InetAddress.getByName(OverlaySim.underlayIp(1)));
        assertThatThrownBy(() -> cl.hosts[1].addRemote(onThisHost)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lives on this host");
        Endpoint gateway = new Endpoint(InetAddress.getByName(OverlaySim.GATEWAY), MacAddress.parse("0a:58:0a:e9:09:09"),
                InetAddress.getByName(OverlaySim.underlayIp(2)));
        assertThatThrownBy(() -> cl.hosts[1].addRemote(gateway)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway");
        assertThat(Snapshot.diff(before, Snapshot.host(sim.hostName(1)))).isEmpty();
        assertThat(cl.hosts[1].remotes()).isEmpty();
    }

    private static List<String> fdbDsts(String ns) throws Exception {
        return ((List<?>) Oracle.json("bridge", "-n", ns, "-j", "fdb", "show", "dev", "vxlan0")).stream()
                .map(o -> (String) ((Map<?, ?>) o).get("dst")).filter(d -> d != null).toList();
    }
}
