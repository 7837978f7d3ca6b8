package dev.overlaynet;

import java.util.Map;

/** The immutable registry of modelled kinds; anything else decodes as a {@link GenericLink}. */
final class LinkKinds {
    private static final Map<String, LinkKind> KINDS = Map.of(
            "vxlan", VxlanCodec.INSTANCE,
            "bridge", BridgeCodec.INSTANCE,
            "veth", VethCodec.INSTANCE,
            "macvlan", MacvlanCodec.INSTANCE,
            "vlan", VlanCodec.INSTANCE,
            "dummy", DummyCodec.INSTANCE);

    private LinkKinds() {}

    static boolean isModelled(String kind) {
        return KINDS.containsKey(kind);
    }

    static LinkKind byKind(String kind) {
        return KINDS.getOrDefault(kind, GenericLink.Codec.INSTANCE);
    }
}
