package dev.overlaynet.agent;

import dev.overlaynet.Ip;
import dev.overlaynet.directory.DirectoryView;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.overlay.Endpoint;
import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one host's kernel must hold about the rest of a unicast overlay: a
 * flood entry per peer host and, per remote container, a permanent neighbour
 * on the bridge and an FDB entry on the vxlan device. Computed from a
 * {@link DirectoryView}; immutable.
 *
 * <pre>{@code
 * DesiredRemotes want = DesiredRemotes.of(view, "h1");
 * ConvergeReport r = Converger.converge(nl, overlay, want);
 * }</pre>
 *
 * @param peers the underlay addresses of the other live hosts
 * @param endpoints the containers on other live hosts, by overlay IP
 */
public record DesiredRemotes(Set<InetAddress> peers, Map<InetAddress, Endpoint> endpoints) {
    /** Nothing remote: what a host alone in its overlay, or one leaving, converges to. */
    public static final DesiredRemotes NONE = new DesiredRemotes(Set.of(), Map.of());

    /**
     * Copies both collections; every endpoint must name its host.
     *
     * @param peers the other hosts' underlay addresses
     * @param endpoints remote containers by their overlay address
     */
    public DesiredRemotes {
        peers = Collections.unmodifiableSet(new LinkedHashSet<>(peers));
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        for (Endpoint e : endpoints.values()) {
            if (e.host() == null) {
                throw new IllegalArgumentException("endpoint " + e + " has no host address");
            }
        }
    }

    /**
     * The remote part of {@code view} for host {@code self}: peers are the other
     * live hosts, endpoints those published by them. A host's own address is
     * never a peer, even if another record claims it.
     *
     * @param view the directory's content
     * @param self this host's name
     * @return what this host's kernel should hold
     */
    public static DesiredRemotes of(DirectoryView view, String self) {
        HostRecord me = view.hosts().get(self);
        Set<InetAddress> peers = new LinkedHashSet<>();
        for (HostRecord h : view.peers(self)) {
            if (me == null || !h.underlay().equals(me.underlay())) {
                peers.add(h.underlay());
            }
        }
        Map<InetAddress, Endpoint> eps = new LinkedHashMap<>();
        for (EndpointRecord e : view.remoteEndpoints(self)) {
            HostRecord h = view.hosts().get(e.host());
            if (peers.contains(h.underlay())) {
                eps.put(e.ip(), new Endpoint(e.ip(), e.mac(), h.underlay()));
            }
        }
        return new DesiredRemotes(peers, eps);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("DesiredRemotes{peers=[");
        peers.forEach(p -> b.append(Ip.text(p)).append(' '));
        return b.append("], endpoints=").append(endpoints.size()).append('}').toString();
    }
}
