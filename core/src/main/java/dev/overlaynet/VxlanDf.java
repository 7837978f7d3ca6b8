package dev.overlaynet;

/**
 * The Don't Fragment bit of VXLAN's outer IPv4 header (IFLA_VXLAN_DF, enum
 * ifla_vxlan_df): ordinals are the uapi values.
 *
 * <pre>{@code
 * Vxlan.builder().name("vxlan0").vni(42).df(VxlanDf.INHERIT);
 * }</pre>
 */
public enum VxlanDf {
    /** VXLAN_DF_UNSET (0): DF not set. */
    UNSET,
    /** VXLAN_DF_SET (1): DF always set. */
    SET,
    /** VXLAN_DF_INHERIT (2): copied from the inner IPv4 header. */
    INHERIT
}
