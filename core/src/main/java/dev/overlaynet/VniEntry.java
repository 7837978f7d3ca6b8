package dev.overlaynet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One entry of a VXLAN device's VNI filter table ({@code bridge vni}): a VNI
 * or a range of VNIs the external (collect-metadata) vxlan with
 * {@code vnifilter} accepts, optionally with a per-VNI multicast group or
 * unicast remote. Immutable; build with {@link #builder()} or {@link #of}.
 *
 * <pre>{@code
 * // bridge vni add dev vx0 vni 100
 * nl.vniFilters().add(VniEntry.of("vx0", 100));
 * // bridge vni add dev vx0 vni 200-210 group 239.1.1.1   (vx0 needs an underlay device)
 * nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(200).end(210).group("239.1.1.1").build());
 * }</pre>
 *
 * <p>A dump reports consecutive VNIs with the same group as one range, as
 * {@code bridge vni show} prints them.
 */
public final class VniEntry {
    private final String dev;
    private final Integer index;
    private final int vni;
    private final int end;
    private final InetAddress group;

    private VniEntry(Builder b) {
        dev = b.dev;
        index = b.index;
        vni = b.vni;
        end = b.end == null ? b.vni : b.end;
        group = b.group;
    }

    /**
     * {@return one VNI with no group: {@code bridge vni add dev DEV vni VNI}}
     *
     * @param dev the vxlan device (external, vnifilter)
     * @param vni the VNI
     */
    public static VniEntry of(String dev, int vni) {
        return builder().dev(dev).vni(vni).build();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        Builder b = new Builder().dev(dev).vni(vni).end(end).group(group);
        b.index = index;
        return b;
    }

    /** {@return the vxlan device; null for a decoded entry whose name was not resolved} */
    public String dev() {
        return dev;
    }

    /** {@return the device index when decoded, or null} */
    public Integer index() {
        return index;
    }

    /** {@return the first VNI (VXLAN_VNIFILTER_ENTRY_START)} */
    public int vni() {
        return vni;
    }

    /** {@return the last VNI of the range; equal to {@link #vni()} for a single VNI} */
    public int end() {
        return end;
    }

    /** {@return whether this entry covers more than one VNI} */
    public boolean isRange() {
        return end != vni;
    }

    /** {@return the per-VNI multicast group or unicast remote (ENTRY_GROUP / ENTRY_GROUP6), or null} */
    public InetAddress group() {
        return group;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VniEntry e && Objects.equals(dev, e.dev) && vni == e.vni && end == e.end
                && Objects.equals(group, e.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, vni, end, group);
    }

    /** bridge-like text, e.g. {@code dev vx0 vni 200-210 group 239.1.1.1}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("dev ").append(dev != null ? dev : "#" + index).append(" vni ").append(vni);
        if (isRange()) {
            sb.append('-').append(end);
        }
        if (group != null) {
            sb.append(group.isMulticastAddress() ? " group " : " remote ").append(Ip.text(group));
        }
        return sb.toString();
    }

    /**
     * Builds a {@link VniEntry}; {@link #build()} checks the device name, the
     * VNIs (1..16777215, end not below start) and the group (not the
     * unspecified address).
     *
     * <pre>{@code
     * VniEntry e = VniEntry.builder().dev("vx0").vni(300).group("ff05::1").build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private Integer vni;
        private Integer end;
        private InetAddress group;

        private Builder() {}

        /**
         * The external vxlan device with vnifilter.
         *
         * @param dev the external vxlan device with vnifilter
         * @return this builder
         */
        public Builder dev(String dev) {
            this.dev = dev;
            return this;
        }

        Builder index(Integer index) {
            this.index = index;
            return this;
        }

        /**
         * The VNI, or the first of a range.
         *
         * @param vni the VNI, or the first of a range
         * @return this builder
         */
        public Builder vni(int vni) {
            this.vni = vni;
            return this;
        }

        /**
         * The last VNI of a range; null for a single VNI.
         *
         * @param end the last VNI of a range; null for a single VNI
         * @return this builder
         */
        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        /**
         * A multicast group (the device needs an underlay device) or unicast remote; null for none.
         *
         * @param group a multicast group (the device needs an underlay device) or unicast remote; null for none
         * @return this builder
         */
        public Builder group(String group) {
            this.group = group == null ? null : Ip.parse("group", group);
            return this;
        }

        /**
         * Sets {@link VniEntry#group()}.
         *
         * @param group the per-VNI multicast group or unicast remote (ENTRY_GROUP / ENTRY_GROUP6), or null
         * @return this builder
         */
        public Builder group(InetAddress group) {
            this.group = group;
            return this;
        }

        VniEntry buildDecoded() {
            return new VniEntry(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code VniEntry}
         */
        public VniEntry build() {
            if (dev == null) {
                throw new IllegalArgumentException("dev must be set (an external vxlan device with vnifilter)");
            }
            LinkName.validate("dev", dev);
            if (vni == null) {
                throw new IllegalArgumentException("vni must be set (1.." + Vxlan.MAX_VNI + ")");
            }
            if (vni < 1 || vni > Vxlan.MAX_VNI) {
                throw new IllegalArgumentException("vni " + vni + " out of range [1.." + Vxlan.MAX_VNI + "]");
            }
            if (end != null && (end < vni || end > Vxlan.MAX_VNI)) {
                throw new IllegalArgumentException("end " + end + " out of range [" + vni + ".." + Vxlan.MAX_VNI + "]");
            }
            if (group != null && group.isAnyLocalAddress()) {
                throw new IllegalArgumentException("group " + Ip.text(group) + " is the unspecified address");
            }
            return new VniEntry(this);
        }
    }
}
