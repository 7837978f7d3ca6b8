package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import java.net.InetAddress;

/**
 * A container an overlay attached on this host, as the kernel records it on
 * the host end of its veth: found again after a restart by
 * {@link OverlayHost#attachedInKernel()}.
 *
 * <pre>{@code
 * for (AttachedContainer c : host.attachedInKernel()) {
 *     lease.publish(new EndpointRecord(c.ip(), c.mac(), "h1"));
 * }
 * }</pre>
 *
 * @param ip the container's overlay address
 * @param mac its interface's MAC
 * @param hostInterfaceName the host end of its veth
 * @param namespace the name of its network namespace, or null if it had none (or one too long
 *     to record)
 */
public record AttachedContainer(InetAddress ip, MacAddress mac, String hostInterfaceName, String namespace) {
    @Override
    public String toString() {
        return Ip.text(ip) + " " + mac + " via " + hostInterfaceName + (namespace == null ? "" : " in " + namespace);
    }
}
