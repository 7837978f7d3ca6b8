package dev.overlaynet;

/**
 * Where a VXLAN device's outer IPv6 flow label comes from
 * (IFLA_VXLAN_LABEL_POLICY, enum ifla_vxlan_label_policy, kernel 6.10+):
 * ordinals are the uapi values.
 *
 * <pre>{@code
 * Vxlan.builder().name("vx6").vni(42).remote("fd00::2").labelPolicy(VxlanLabelPolicy.INHERIT).build();
 * }</pre>
 */
public enum VxlanLabelPolicy {
    /** VXLAN_LABEL_FIXED (0): the configured {@link Vxlan#label()}, the default. */
    FIXED,
    /** VXLAN_LABEL_INHERIT (1): copied from the inner packet's flow label. IPv6 VXLAN only. */
    INHERIT
}
