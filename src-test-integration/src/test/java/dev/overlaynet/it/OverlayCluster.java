package dev.overlaynet.it;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.overlay.StepObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * An overlay joined by every host of an {@link OverlaySim}, with
 * {@code perHost} containers attached on each; in unicast mode every host
 * adds the others as peers and installs their containers as remotes, as the
 * README describes.
 */
final class OverlayCluster {
    /** A container: where it runs, its namespace, spec and address. */
    record Container(int host, NetNs ns, ContainerSpec spec, String ip) {}

    final OverlaySim sim;
    final Overlay overlay;
    final OverlayHost[] hosts;
    final List<Container> containers = new ArrayList<>();

    private OverlayCluster(OverlaySim sim, Overlay overlay) {
        this.sim = sim;
        this.overlay = overlay;
        this.hosts = new OverlayHost[sim.size() + 1];
    }

    static OverlayCluster build(OverlaySim sim, Overlay.Mode mode, int perHost, boolean hostAddresses) throws Exception {
        OverlayCluster c = new OverlayCluster(sim, OverlaySim.overlay(mode));
        for (int i = 1; i <= sim.size(); i++) {
            c.hosts[i] = OverlayHost.join(sim.handle(i), c.overlay, OverlaySim.hostSpec(i, hostAddresses), StepObserver.NONE);
            for (int k = 1; k <= perHost; k++) {
                String ip = OverlaySim.containerIp(i, k);
                NetNs ns = sim.container("c" + i + k);
                ContainerSpec spec = ContainerSpec.builder().namespace(ns).ip(ip).build();
                c.hosts[i].attach(spec);
                c.containers.add(new Container(i, ns, spec, ip));
            }
        }
        if (mode == Overlay.Mode.UNICAST) {
            for (int i = 1; i <= sim.size(); i++) {
                for (int j = 1; j <= sim.size(); j++) {
                    if (i != j) {
                        c.hosts[i].addPeer(OverlaySim.underlayIp(j));
                        for (Endpoint e : c.hosts[j].localEndpoints()) {
                            c.hosts[i].addRemote(e);
                        }
                    }
                }
            }
        }
        return c;
    }

    List<Container> on(int host) {
        return containers.stream().filter(x -> x.host() == host).toList();
    }
}
