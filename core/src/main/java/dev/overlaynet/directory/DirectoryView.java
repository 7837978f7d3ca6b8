package dev.overlaynet.directory;

import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An overlay's desired state as one directory revision holds it: the spec,
 * the live hosts, their endpoints and the IP allocations. Immutable.
 * Records that failed strict parsing are not in it; {@link #rejected()} says
 * which keys were skipped and why.
 *
 * <pre>{@code
 * DirectoryView v = directory.view();
 * for (EndpointRecord e : v.liveEndpoints()) {
 *     HostRecord h = v.hosts().get(e.host());
 *     ...
 * }
 * }</pre>
 *
 * @param revision the store revision this view reflects (strictly increasing per directory)
 * @param spec the overlay's spec, if one has been published
 * @param hosts live hosts by name
 * @param endpoints published endpoints by IP (an endpoint whose host is gone is left out of
 *     {@link #liveEndpoints()})
 * @param allocations allocated overlay addresses and the host holding each
 * @param rejected keys whose value was skipped, with the reason
 */
public record DirectoryView(long revision, Optional<Overlay> spec, Map<String, HostRecord> hosts,
        Map<InetAddress, EndpointRecord> endpoints, Map<InetAddress, String> allocations,
        Map<String, String> rejected) {

    /**
     * Copies the maps (hosts and rejected keys sorted); a null spec means none.
     *
     * @param revision the store revision the view is as of
     * @param spec the overlay spec, if one is stored
     * @param hosts live hosts by name
     * @param endpoints published endpoints by address
     * @param allocations address allocations: address to host
     * @param rejected keys whose value could not be parsed, with the reason
     */
    public DirectoryView {
        spec = spec == null ? Optional.empty() : spec;
        hosts = Collections.unmodifiableMap(new java.util.TreeMap<>(hosts));
        endpoints = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
        allocations = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(allocations));
        rejected = Collections.unmodifiableMap(new java.util.TreeMap<>(rejected));
    }

    /** {@return endpoints whose host is live, in IP order of publication} */
    public List<EndpointRecord> liveEndpoints() {
        List<EndpointRecord> out = new ArrayList<>();
        for (EndpointRecord e : endpoints.values()) {
            if (hosts.containsKey(e.host())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * {@return the live endpoints on hosts other than {@code self}}
     *
     * @param self this host's name
     */
    public List<EndpointRecord> remoteEndpoints(String self) {
        List<EndpointRecord> out = new ArrayList<>();
        for (EndpointRecord e : liveEndpoints()) {
            if (!e.host().equals(self)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Live hosts other than {@code self}.
     *
     * @param self this host's name
     * @return the other live hosts
     */
    public List<HostRecord> peers(String self) {
        List<HostRecord> out = new ArrayList<>();
        for (HostRecord h : hosts.values()) {
            if (!h.name().equals(self)) {
                out.add(h);
            }
        }
        return out;
    }
}
