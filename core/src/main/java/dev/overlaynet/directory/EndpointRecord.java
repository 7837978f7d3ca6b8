package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One container interface in an overlay, as published in a {@link Directory}
 * by the host that attached it. Other hosts install it (unicast mode) only
 * while its host's record is live, so an endpoint never outlives its host.
 *
 * <pre>{@code
 * EndpointRecord e = new EndpointRecord(Ip.parse("10.233.0.2"), MacAddress.parse("0a:58:0a:e9:00:02"), "h1");
 * }</pre>
 *
 * @param ip the container's overlay address
 * @param mac the container interface's MAC
 * @param host the {@link HostRecord#name() name} of the host it lives on
 */
public record EndpointRecord(InetAddress ip, MacAddress mac, String host) {
    /**
     * Checks the fields; the host name follows {@link HostRecord#requireValidName}.
     *
     * @param ip the container's overlay address
     * @param mac the container's MAC
     * @param host the name of the host that published it
     */
    public EndpointRecord {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
        HostRecord.requireValidName("host", host);
    }

    @Override
    public String toString() {
        return Ip.text(ip) + " " + mac + " @" + host;
    }
}
