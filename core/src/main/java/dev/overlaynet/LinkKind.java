package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.route.Ifla;
import java.util.List;

/**
 * The codec of one link kind: its IFLA_INFO_KIND string, its IFLA_INFO_DATA
 * attribute table (in wire order) and hooks for what does not fit a table
 * (IFLA_LINK as a parent or peer, the veth peer message). One subclass per
 * kind; {@link LinkKinds} maps kind strings to them.
 */
abstract class LinkKind {
    /** IFLA_INFO_KIND. */
    abstract String kind();

    /** IFLA_INFO_DATA attributes, in the order they are written. */
    abstract List<AttrSpec<?>> specs();

    /** An empty builder to decode into. */
    abstract Link.Builder<?, ?> newBuilder();

    /** The Java name of IFLA_LINK for this kind ({@code parent}, {@code peer}); never changeable. */
    String linkRefName() {
        return "parent";
    }

    /** Whether the kernel's IFLA_LINK can be compared with what {@code want} asks (not across namespaces). */
    boolean comparesLinkRef(Link want) {
        return true;
    }

    /** Whether IFLA_LINK is sent at the top level (macvlan, vlan) rather than not at all. */
    boolean sendsLinkRef() {
        return false;
    }

    /** Writes IFLA_INFO_DATA when there is something to say. */
    void encodeInfoData(MessageWriter w, Link l, NameResolver names) throws NetlinkException {
        if (l.data.asMap(specs()).isEmpty()) {
            return;
        }
        int d = w.nestStart(Ifla.IFLA_INFO_DATA);
        l.data.encode(w, specs(), names);
        w.nestEnd(d);
    }

    void decodeInfoData(AttrReader data, Link.Builder<?, ?> b, NameResolver names) {
        b.data = AttrValues.decode(data, specs(), names);
    }

    /**
     * Attributes the kernel may accept and then drop (so never report): they
     * are compared only when the kernel reports them, so an identical second
     * ensure finds nothing to change.
     */
    java.util.Set<AttrSpec<?>> comparedOnlyWhenReported() {
        return java.util.Set.of();
    }

    /** Differences in fields outside the table (the veth peer's options). */
    void extraDifferences(Link want, Link have, List<String> out) {}

    /** Of the differences, which the kernel can not change on an existing link. */
    boolean isImmutable(String field) {
        if (field.equals(linkRefName()) || field.equals("kind")) {
            return true;
        }
        for (AttrSpec<?> s : specs()) {
            if (s.name().equals(field)) {
                return !s.mutable();
            }
        }
        return false;
    }

    boolean extraEquals(Link a, Link b) {
        return true;
    }

    void describeExtra(Link l, StringBuilder sb) {}
}
