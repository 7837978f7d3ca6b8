package dev.overlaynet;

import static dev.overlaynet.AttrSpec.fixed;
import static dev.overlaynet.netlink.internal.uapi.Ifla.*;

import java.util.List;

/**
 * The 802.1Q/802.1ad kind: IFLA_VLAN_ID (u16, fixed after creation: the
 * kernel's vlan_changelink ignores it) and IFLA_VLAN_PROTOCOL (be16); the
 * parent is IFLA_LINK. iproute2 writes the protocol before the id.
 */
final class VlanCodec extends LinkKind {
    static final VlanCodec INSTANCE = new VlanCodec();

    static final AttrSpec<Integer> PROTOCOL = fixed("protocol", IFLA_VLAN_PROTOCOL, AttrCodec.BE16);
    static final AttrSpec<Integer> ID = fixed("id", IFLA_VLAN_ID, AttrCodec.U16);
    private static final List<AttrSpec<?>> SPECS = List.of(PROTOCOL, ID);

    private VlanCodec() {}

    /** ip-link(8)'s vlan words: {@code protocol 802.1Q id 100}. */
    @Override
    void describeField(AttrSpec<?> spec, Object value, StringBuilder sb) {
        if (spec.name().equals("protocol")) {
            sb.append(" protocol ").append(IpText.vlanProtocol((Integer) value));
        } else {
            super.describeField(spec, value, sb);
        }
    }

    @Override
    String kind() {
        return "vlan";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return SPECS;
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Vlan.builder();
    }

    @Override
    boolean sendsLinkRef() {
        return true;
    }
}
