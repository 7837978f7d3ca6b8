package dev.overlaynet;

import static dev.overlaynet.VlanCodec.ID;
import static dev.overlaynet.VlanCodec.PROTOCOL;

/**
 * An 802.1Q (or 802.1ad) VLAN device (kind {@code vlan}) on a parent link.
 *
 * <pre>{@code
 * nl.links().add(Vlan.builder().name("eth0.100").parent("eth0").id(100).build());
 * }</pre>
 */
public final class Vlan extends Link {
    /** ETH_P_8021Q. */
    public static final int PROTOCOL_8021Q = 0x8100;
    /** ETH_P_8021AD. */
    public static final int PROTOCOL_8021AD = 0x88A8;

    private Vlan(Builder b) {
        super(b);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String kind() {
        return "vlan";
    }

    @Override
    LinkKind kindCodec() {
        return VlanCodec.INSTANCE;
    }

    /** {@return the parent link the VLAN is stacked on (IFLA_LINK)} */
    public String parent() {
        return linkRef;
    }

    /** {@return VLAN id 1..4094} */
    public Integer id() {
        return data.get(ID);
    }

    /** {@return 0x8100 or 0x88a8} */
    public Integer protocol() {
        return data.get(PROTOCOL);
    }

    /**
     * Builds a {@link Vlan}: parent and id 1..4094 required; protocol 802.1Q or 802.1ad.
     *
     * <pre>{@code
     * Vlan.builder().name("eth0.7").parent("eth0").id(7).protocol(Vlan.PROTOCOL_8021AD).build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Vlan, Builder> {
        private Builder() {}

        private Builder(Vlan v) {
            super(v);
        }

        /**
         * Sets {@link Vlan#parent()}.
         *
         * @param parent the parent link the VLAN is stacked on (IFLA_LINK)
         * @return this builder
         */
        public Builder parent(String parent) {
            this.linkRef = parent;
            return this;
        }

        /**
         * Sets {@link Vlan#id()}.
         *
         * @param id VLAN id 1..4094
         * @return this builder
         */
        public Builder id(Integer id) {
            return set(ID, id);
        }

        /**
         * Sets {@link Vlan#protocol()}.
         *
         * @param ethertype 0x8100 or 0x88a8
         * @return this builder
         */
        public Builder protocol(Integer ethertype) {
            return set(PROTOCOL, ethertype);
        }

        @Override
        public Vlan build() {
            validateCommon();
            LinkName.validate("parent", linkRef);
            if (data.get(ID) == null) {
                throw new IllegalArgumentException("id must be set (1..4094)");
            }
            range("id", data.get(ID), 1, 4094);
            Integer p = data.get(PROTOCOL);
            if (p != null && p != PROTOCOL_8021Q && p != PROTOCOL_8021AD) {
                throw new IllegalArgumentException("protocol 0x" + Integer.toHexString(p)
                        + " must be 0x8100 (802.1Q) or 0x88a8 (802.1ad)");
            }
            return create();
        }

        @Override
        Vlan create() {
            return new Vlan(this);
        }
    }
}
