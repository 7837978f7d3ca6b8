package dev.overlaynet;

import java.util.Objects;

/**
 * Per-VLAN options of a port or bridge VLAN ({@code bridge vlan set dev DEV
 * vid VID[-END] [state STATE] [mcast_router MODE]}): RTM_NEWVLAN with a
 * BRIDGE_VLANDB_ENTRY that carries only options. Also what an RTM_GETVLAN
 * dump reports per VLAN (with {@link #pvid()} and {@link #untagged()}).
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * nl.bridgeVlans().setOptions(BridgeVlanOptions.builder().dev("vb0").vid(10).end(12)
 *         .state(StpState.FORWARDING).mcastRouter(2).build());
 * }</pre>
 */
public final class BridgeVlanOptions {
    private final String dev;
    private final Integer index;
    private final int vid;
    private final int end;
    private final StpState state;
    private final Integer mcastRouter;
    private final boolean pvid;
    private final boolean untagged;

    private BridgeVlanOptions(Builder b) {
        dev = b.dev;
        index = b.index;
        vid = b.vid;
        end = b.end == null ? b.vid : b.end;
        state = b.state;
        mcastRouter = b.mcastRouter;
        pvid = b.pvid;
        untagged = b.untagged;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
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

    /** {@return the VLAN's STP state (BRIDGE_VLANDB_ENTRY_STATE), or null} */
    public StpState state() {
        return state;
    }

    /** {@return multicast router mode 0..3 (BRIDGE_VLANDB_ENTRY_MCAST_ROUTER), or null} */
    public Integer mcastRouter() {
        return mcastRouter;
    }

    /** {@return decoded only: the VLAN is the port's pvid} */
    public boolean pvid() {
        return pvid;
    }

    /** {@return decoded only: the VLAN egresses untagged} */
    public boolean untagged() {
        return untagged;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgeVlanOptions v && Objects.equals(dev, v.dev) && vid == v.vid && end == v.end
                && state == v.state && Objects.equals(mcastRouter, v.mcastRouter) && pvid == v.pvid
                && untagged == v.untagged;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, vid, end, state, mcastRouter);
    }

    /** bridge-like text, e.g. {@code dev vb0 vid 10-12 state forwarding mcast_router 2}. */
    @Override
    public String toString() {
        return "dev " + (dev != null ? dev : "#" + index) + " vid " + VlanRange.text(vid, end)
                + (pvid ? " pvid" : "") + (untagged ? " untagged" : "")
                + (state != null ? " state " + state.name().toLowerCase(java.util.Locale.ROOT) : "")
                + (mcastRouter != null ? " mcast_router " + mcastRouter : "");
    }

    /**
     * Builds {@link BridgeVlanOptions}; {@link #build()} checks the name,
     * VLANs 1..4094, mcastRouter 0..3 and that at least one option is set.
     *
     * <pre>{@code
     * BridgeVlanOptions o = BridgeVlanOptions.builder().dev("vb0").vid(10).state(StpState.BLOCKING).build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private Integer vid;
        private Integer end;
        private StpState state;
        private Integer mcastRouter;
        private boolean pvid;
        private boolean untagged;

        private Builder() {}

        /**
         * Sets {@link BridgeVlanOptions#dev()}.
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
         * Sets {@link BridgeVlanOptions#vid()}.
         *
         * @param vid the VLAN id, or the first of the range
         * @return this builder
         */
        public Builder vid(int vid) {
            this.vid = vid;
            return this;
        }

        /**
         * Sets {@link BridgeVlanOptions#end()}.
         *
         * @param end the last VLAN of the range; {@link #vid()} for one VLAN
         * @return this builder
         */
        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        /**
         * Sets {@link BridgeVlanOptions#state()}.
         *
         * @param state the VLAN's STP state (BRIDGE_VLANDB_ENTRY_STATE), or null
         * @return this builder
         */
        public Builder state(StpState state) {
            this.state = state;
            return this;
        }

        /**
         * 0 disabled, 1 temporary (learned), 2 permanent, 3 temporary without timer.
         *
         * @param mode 0 disabled, 1 temporary (learned), 2 permanent, 3 temporary without timer
         * @return this builder
         */
        public Builder mcastRouter(Integer mode) {
            this.mcastRouter = mode;
            return this;
        }

        Builder pvid(boolean pvid) {
            this.pvid = pvid;
            return this;
        }

        Builder untagged(boolean untagged) {
            this.untagged = untagged;
            return this;
        }

        BridgeVlanOptions buildDecoded() {
            return new BridgeVlanOptions(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code BridgeVlanOptions}
         */
        public BridgeVlanOptions build() {
            if (dev == null) {
                throw new IllegalArgumentException("dev must be set (a bridge port, or the bridge)");
            }
            LinkName.validate("dev", dev);
            VlanRange.check(vid, end);
            if (mcastRouter != null && (mcastRouter < 0 || mcastRouter > 3)) {
                throw new IllegalArgumentException("mcastRouter " + mcastRouter + " out of range [0..3]");
            }
            if (state == null && mcastRouter == null) {
                throw new IllegalArgumentException("set state or mcastRouter: an options message without options changes nothing");
            }
            return new BridgeVlanOptions(this);
        }
    }
}
