package dev.overlaynet;

import java.util.Objects;

/**
 * A VLAN-to-tunnel mapping on a bridge port with {@code vlan_tunnel on}
 * (usually an external vxlan): frames of VLAN {@link #vid()} leave with tunnel
 * id (VNI) {@link #tunnelId()}. A range maps one to one:
 * {@code vid 100-105 tunnel_info id 1000-1005}. What
 * {@code bridge vlan add|del dev DEV vid VID tunnel_info id ID} sends
 * (IFLA_BRIDGE_VLAN_TUNNEL_INFO). Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * nl.bridgeVlans().addTunnel(VlanTunnel.builder().dev("vx0").vid(100).tunnelId(1000).build());
 * }</pre>
 */
public final class VlanTunnel {
    private final String dev;
    private final Integer index;
    private final int vid;
    private final int end;
    private final int tunnelId;
    private final boolean master;

    private VlanTunnel(Builder b) {
        dev = b.dev;
        index = b.index;
        vid = b.vid;
        end = b.end == null ? b.vid : b.end;
        tunnelId = b.tunnelId;
        master = b.master;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the port (usually a vxlan device); null for a decoded entry whose name was not resolved} */
    public String dev() {
        return dev;
    }

    /** {@return the device index when decoded, or null} */
    public Integer index() {
        return index;
    }

    /** {@return the VLAN id, or the first of the range} */
    public int vid() {
        return vid;
    }

    /** {@return the last VLAN of the range; {@link #vid()} for one VLAN} */
    public int end() {
        return end;
    }

    /** {@return the tunnel id (VNI) of {@link #vid()}; the range continues from it} */
    public int tunnelId() {
        return tunnelId;
    }

    /** {@return the last tunnel id of the range} */
    public int tunnelEnd() {
        return tunnelId + (end - vid);
    }

    /** {@return sent with BRIDGE_FLAGS_MASTER} */
    public boolean master() {
        return master;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VlanTunnel t && Objects.equals(dev, t.dev) && vid == t.vid && end == t.end
                && tunnelId == t.tunnelId && master == t.master;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, vid, end, tunnelId);
    }

    /** bridge-like text, e.g. {@code dev vx0 vid 100-105 tunnel_info id 1000-1005}. */
    @Override
    public String toString() {
        return "dev " + (dev != null ? dev : "#" + index) + " vid " + VlanRange.text(vid, end) + " tunnel_info id "
                + (end == vid ? Integer.toString(tunnelId) : tunnelId + "-" + tunnelEnd()) + (master ? " master" : "");
    }

    /**
     * Builds a {@link VlanTunnel}; {@link #build()} checks the name, VLANs
     * 1..4094 and that the tunnel ids fit 1..16777215.
     *
     * <pre>{@code
     * VlanTunnel t = VlanTunnel.builder().dev("vx0").vid(100).end(105).tunnelId(1000).build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private Integer vid;
        private Integer end;
        private Integer tunnelId;
        private boolean master;

        private Builder() {}

        /**
         * Sets {@link VlanTunnel#dev()}.
         *
         * @param dev the port (usually a vxlan device); null for a decoded entry whose name was not resolved
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
         * Sets {@link VlanTunnel#vid()}.
         *
         * @param vid the VLAN id, or the first of the range
         * @return this builder
         */
        public Builder vid(int vid) {
            this.vid = vid;
            return this;
        }

        /**
         * Sets {@link VlanTunnel#end()}.
         *
         * @param end the last VLAN of the range; {@link #vid()} for one VLAN
         * @return this builder
         */
        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        /**
         * The tunnel id (VNI) of the first VLAN.
         *
         * @param tunnelId the tunnel id (VNI) of the first VLAN
         * @return this builder
         */
        public Builder tunnelId(int tunnelId) {
            this.tunnelId = tunnelId;
            return this;
        }

        /**
         * Sends the request with BRIDGE_FLAGS_MASTER, to the port's bridge.
         *
         * @return this builder
         */
        public Builder master() {
            this.master = true;
            return this;
        }

        VlanTunnel buildDecoded() {
            return new VlanTunnel(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code VlanTunnel}
         */
        public VlanTunnel build() {
            if (dev == null) {
                throw new IllegalArgumentException("dev must be set (a bridge port with vlan_tunnel on)");
            }
            LinkName.validate("dev", dev);
            VlanRange.check(vid, end);
            if (tunnelId == null) {
                throw new IllegalArgumentException("tunnelId must be set (1.." + Vxlan.MAX_VNI + ")");
            }
            int last = tunnelId + ((end == null ? vid : end) - vid);
            if (tunnelId < 1 || last > Vxlan.MAX_VNI) {
                throw new IllegalArgumentException("tunnelId " + tunnelId + (last != tunnelId ? "-" + last : "")
                        + " out of range [1.." + Vxlan.MAX_VNI + "]");
            }
            return new VlanTunnel(this);
        }
    }
}
