package dev.overlaynet;

import java.util.Objects;

/**
 * A VLAN (or range) on a bridge port or on the bridge itself
 * ({@code bridge vlan add|del dev DEV vid VID[-END] [pvid] [untagged] [self] [master]}).
 * Immutable; build with {@link #builder()}. Needs a bridge with
 * {@code vlan_filtering 1}, which a kernel built without
 * CONFIG_BRIDGE_VLAN_FILTERING refuses (EOPNOTSUPP).
 *
 * <pre>{@code
 * nl.bridgeVlans().add(BridgeVlan.builder().dev("vb0").vid(10).pvid(true).untagged(true).build());
 * nl.bridgeVlans().add(BridgeVlan.builder().dev("vb0").vid(20).end(30).build());
 * }</pre>
 */
public final class BridgeVlan {
    private final String dev;
    private final Integer index;
    private final int vid;
    private final int end;
    private final boolean pvid;
    private final boolean untagged;
    private final boolean self;
    private final boolean master;

    private BridgeVlan(Builder b) {
        dev = b.dev;
        index = b.index;
        vid = b.vid;
        end = b.end == null ? b.vid : b.end;
        pvid = b.pvid;
        untagged = b.untagged;
        self = b.self;
        master = b.master;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        Builder b = new Builder().dev(dev).vid(vid).end(end).pvid(pvid).untagged(untagged);
        b.self = self;
        b.master = master;
        b.index = index;
        return b;
    }

    /** {@return the port or bridge; null for a decoded entry whose name was not resolved} */
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

    /** {@return untagged ingress frames get this VLAN (BRIDGE_VLAN_INFO_PVID)} */
    public boolean pvid() {
        return pvid;
    }

    /** {@return egress frames of this VLAN leave untagged (BRIDGE_VLAN_INFO_UNTAGGED)} */
    public boolean untagged() {
        return untagged;
    }

    /** {@return sent with BRIDGE_FLAGS_SELF (the device's own table, e.g. the bridge itself)} */
    public boolean self() {
        return self;
    }

    /** {@return sent with BRIDGE_FLAGS_MASTER (the port's bridge)} */
    public boolean master() {
        return master;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgeVlan v && Objects.equals(dev, v.dev) && vid == v.vid && end == v.end
                && pvid == v.pvid && untagged == v.untagged && self == v.self && master == v.master;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, vid, end, pvid, untagged);
    }

    /** bridge-like text, e.g. {@code dev vb0 vid 10 pvid untagged}. */
    @Override
    public String toString() {
        return "dev " + (dev != null ? dev : "#" + index) + " vid " + VlanRange.text(vid, end) + (pvid ? " pvid" : "")
                + (untagged ? " untagged" : "") + (self ? " self" : "") + (master ? " master" : "");
    }

    /**
     * Builds a {@link BridgeVlan}; {@link #build()} checks the name, VLAN ids
     * 1..4094 and that a range has no pvid (the kernel allows one pvid).
     *
     * <pre>{@code
     * BridgeVlan v = BridgeVlan.builder().dev("br0").vid(12).untagged(true).self().build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private Integer vid;
        private Integer end;
        private boolean pvid;
        private boolean untagged;
        private boolean self;
        private boolean master;

        private Builder() {}

        /**
         * Sets {@link BridgeVlan#dev()}.
         *
         * @param dev the port or bridge; null for a decoded entry whose name was not resolved
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
         * Sets {@link BridgeVlan#vid()}.
         *
         * @param vid the VLAN id, or the first of the range
         * @return this builder
         */
        public Builder vid(int vid) {
            this.vid = vid;
            return this;
        }

        /**
         * Last VLAN of a range; null for one VLAN.
         *
         * @param end last VLAN of a range; null for one VLAN
         * @return this builder
         */
        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        /**
         * Sets {@link BridgeVlan#pvid()}.
         *
         * @param pvid untagged ingress frames get this VLAN (BRIDGE_VLAN_INFO_PVID)
         * @return this builder
         */
        public Builder pvid(boolean pvid) {
            this.pvid = pvid;
            return this;
        }

        /**
         * Sets {@link BridgeVlan#untagged()}.
         *
         * @param untagged egress frames of this VLAN leave untagged (BRIDGE_VLAN_INFO_UNTAGGED)
         * @return this builder
         */
        public Builder untagged(boolean untagged) {
            this.untagged = untagged;
            return this;
        }

        /**
         * Addresses the device's own VLAN table ({@code self}).
         *
         * @return this builder
         */
        public Builder self() {
            this.self = true;
            return this;
        }

        /**
         * Addresses the port's bridge ({@code master}).
         *
         * @return this builder
         */
        public Builder master() {
            this.master = true;
            return this;
        }

        BridgeVlan buildDecoded() {
            return new BridgeVlan(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code BridgeVlan}
         */
        public BridgeVlan build() {
            if (dev == null) {
                throw new IllegalArgumentException("dev must be set (a bridge port, or the bridge with self())");
            }
            LinkName.validate("dev", dev);
            VlanRange.check(vid, end);
            if (pvid && end != null && !end.equals(vid)) {
                throw new IllegalArgumentException("pvid applies to one VLAN, not the range " + vid + "-" + end);
            }
            return new BridgeVlan(this);
        }
    }
}
