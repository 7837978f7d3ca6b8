package dev.overlaynet.overlay;

import dev.overlaynet.MacAddress;
import dev.overlaynet.netlink.NetlinkException;

/**
 * MACs derived from what identifies a host in an overlay (its underlay
 * address, else its underlay device's MAC), so that a rejoin after a restart
 * recreates the same addresses: {@code 0e:VV:AA:AA:AA:AA} for the vxlan
 * device and {@code 06:VV:AA:AA:AA:AA} for the bridge, VV the VNI's low byte
 * and AA the underlay IPv4 address. All are locally administered unicast and
 * distinct from containers' default {@code 0a:58:<ip>} MACs.
 */
final class StableMacs {
    private StableMacs() {}

    static MacAddress vxlan(Overlay o, HostSpec h, HostOps ops) throws NetlinkException {
        byte[] id = hostId(h, ops);
        return MacAddress.of(new byte[] {0x0e, (byte) o.vni(), id[0], id[1], id[2], id[3]});
    }

    static MacAddress bridge(Overlay o, HostSpec h, HostOps ops) throws NetlinkException {
        byte[] id = hostId(h, ops);
        return MacAddress.of(new byte[] {0x06, (byte) o.vni(), id[0], id[1], id[2], id[3]});
    }

    private static byte[] hostId(HostSpec h, HostOps ops) throws NetlinkException {
        if (h.localAddress() != null) {
            return h.localAddress().getAddress();
        }
        MacAddress m = ops.linkMac(h.underlayDevice());
        byte[] b = m == null ? new byte[6] : m.toByteArray();
        return new byte[] {b[2], b[3], b[4], b[5]};
    }
}
