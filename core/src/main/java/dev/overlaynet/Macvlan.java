package dev.overlaynet;

import static dev.overlaynet.MacvlanCodec.FLAGS;
import static dev.overlaynet.MacvlanCodec.MODE;

import dev.overlaynet.netlink.internal.uapi.IfLink;

/**
 * A macvlan device (kind {@code macvlan}) on a parent link.
 *
 * <pre>{@code
 * nl.links().add(Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.BRIDGE).build());
 * }</pre>
 */
public final class Macvlan extends Link {
    private Macvlan(Builder b) {
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
        return "macvlan";
    }

    @Override
    LinkKind kindCodec() {
        return MacvlanCodec.INSTANCE;
    }

    /** {@return the parent (lower) device's name (IFLA_LINK)} */
    public String parent() {
        return linkRef;
    }

    /** {@return the mode (IFLA_MACVLAN_MODE), or null when unset} */
    public MacvlanMode mode() {
        return data.get(MODE);
    }

    /** {@return MACVLAN_FLAG_* bits (NOPROMISC 1, NODST 2)} */
    public Integer macvlanFlags() {
        return data.get(FLAGS);
    }

    /**
     * Builds a {@link Macvlan}: parent required; NOPROMISC only in passthru mode.
     *
     * <pre>{@code
     * Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.PRIVATE).build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Macvlan, Builder> {
        private Builder() {}

        private Builder(Macvlan m) {
            super(m);
        }

        /**
         * Sets {@link Macvlan#parent()}.
         *
         * @param parent the parent (lower) device's name (IFLA_LINK)
         * @return this builder
         */
        public Builder parent(String parent) {
            this.linkRef = parent;
            return this;
        }

        /**
         * Sets {@link Macvlan#mode()}.
         *
         * @param mode the mode (IFLA_MACVLAN_MODE); null leaves it unset
         * @return this builder
         */
        public Builder mode(MacvlanMode mode) {
            return set(MODE, mode);
        }

        /**
         * Sets {@link Macvlan#macvlanFlags()}.
         *
         * @param flags MACVLAN_FLAG_* bits (NOPROMISC 1, NODST 2)
         * @return this builder
         */
        public Builder macvlanFlags(Integer flags) {
            return set(FLAGS, flags);
        }

        @Override
        public Macvlan build() {
            validateCommon();
            LinkName.validate("parent", linkRef);
            Integer f = data.get(FLAGS);
            if (f != null) {
                int known = IfLink.MACVLAN_FLAG_NOPROMISC | IfLink.MACVLAN_FLAG_NODST;
                if ((f & ~known) != 0) {
                    throw new IllegalArgumentException("macvlanFlags 0x" + Integer.toHexString(f) + " has unknown bits");
                }
                if ((f & IfLink.MACVLAN_FLAG_NOPROMISC) != 0 && data.get(MODE) != MacvlanMode.PASSTHRU) {
                    throw new IllegalArgumentException("macvlanFlags NOPROMISC needs mode PASSTHRU");
                }
            }
            // A passthru macvlan's address is its parent's: Links.add and ensure refuse any other
            // (here the parent's is not known, and a passthru macvlan read back carries it).
            return create();
        }

        @Override
        Macvlan create() {
            return new Macvlan(this);
        }
    }
}
