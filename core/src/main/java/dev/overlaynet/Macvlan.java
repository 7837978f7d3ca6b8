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

    /** The parent (lower) device's name (IFLA_LINK). */
    public String parent() {
        return linkRef;
    }

    public MacvlanMode mode() {
        return data.get(MODE);
    }

    /** MACVLAN_FLAG_* bits (NOPROMISC 1, NODST 2). */
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

        public Builder parent(String parent) {
            this.linkRef = parent;
            return this;
        }

        public Builder mode(MacvlanMode mode) {
            return set(MODE, mode);
        }

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
