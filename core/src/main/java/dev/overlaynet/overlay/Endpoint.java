package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Where a container lives: its overlay IP and MAC and the underlay address
 * of its host. Published by the host that attaches the container, installed
 * as static neighbour and FDB entries by the others in unicast mode.
 *
 * <pre>{@code
 * for (Endpoint e : h1.localEndpoints()) { h2.addRemote(e); h3.addRemote(e); }
 * }</pre>
 *
 * @param ip the container's overlay address
 * @param mac the container interface's MAC
 * @param host the underlay address of the host it lives on; null when that host has no
 *     local address (multicast mode), and then it cannot be installed on other hosts
 */
public record Endpoint(InetAddress ip, MacAddress mac, InetAddress host) {
    /**
     * Checks that the address and MAC are given.
     *
     * @param ip the container's overlay address
     * @param mac the container's MAC
     * @param host the underlay address of the container's host, or null for a local one
     */
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
    }

    @Override
    public String toString() {
        return Ip.text(ip) + " " + mac + (host != null ? " @" + Ip.text(host) : "");
    }
}
