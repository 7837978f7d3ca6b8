package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.IfLink;
import java.util.List;

/**
 * The veth kind. IFLA_INFO_DATA holds VETH_INFO_PEER, itself a whole
 * {@code struct ifinfomsg} followed by the peer's IFLA_* attributes (address,
 * mtu, name, namespace fd), in the order iproute2 writes them.
 */
final class VethCodec extends LinkKind {
    static final VethCodec INSTANCE = new VethCodec();

    private VethCodec() {}

    @Override
    String kind() {
        return "veth";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return List.of();
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Veth.builder();
    }

    @Override
    String linkRefName() {
        return "peer";
    }

    @Override
    void encodeInfoData(MessageWriter w, Link l, NameResolver names) throws NetlinkException {
        Veth v = (Veth) l;
        int data = w.nestStart(Ifla.IFLA_INFO_DATA);
        int peer = w.nestStart(IfLink.VETH_INFO_PEER);
        w.raw(new byte[16]); // struct ifinfomsg of the peer: all zero (family AF_UNSPEC, no flags)
        if (v.peerAddress() != null) {
            w.bytes(Ifla.IFLA_ADDRESS, v.peerAddress().bytesUnsafe());
        }
        if (v.peerMtu() != null) {
            w.u32(Ifla.IFLA_MTU, v.peerMtu());
        }
        w.string(Ifla.IFLA_IFNAME, v.peer());
        if (v.peerNamespace() != null) {
            w.u32(Ifla.IFLA_NET_NS_FD, v.peerNamespace().fd());
        }
        w.nestEnd(peer);
        w.nestEnd(data);
    }

    @Override
    void decodeInfoData(AttrReader data, Link.Builder<?, ?> b, NameResolver names) {
        // The kernel's veth has no fill_info: nothing to read here.
    }

    @Override
    boolean comparesLinkRef(Link want) {
        // A peer in another namespace is reported as an index there, never by name.
        return ((Veth) want).peerNamespace() == null;
    }

    @Override
    boolean extraEquals(Link a, Link b) {
        return ((Veth) a).peerOptionsEqual((Veth) b);
    }

    @Override
    void describeExtra(Link l, StringBuilder sb) {
        Veth v = (Veth) l;
        // The peer's own options (ip link add ... type veth peer name P address A mtu M netns N),
        // prefixed so they do not read as the link's.
        if (v.peerAddress() != null) {
            sb.append(" peer_address ").append(v.peerAddress());
        }
        if (v.peerMtu() != null) {
            sb.append(" peer_mtu ").append(v.peerMtu());
        }
        if (v.peerNamespace() != null) {
            sb.append(" peer_netns ").append(v.peerNamespace());
        }
    }

    @Override
    String linkRefWord() {
        return "peer name";
    }
}
