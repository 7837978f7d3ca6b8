package dev.overlaynet;

import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An IPv4 or IPv6 interface address: what {@code ip addr add} configures.
 * Immutable; build with {@link #builder()} or {@link #of(String, String)},
 * change with {@link #toBuilder()}. Fields left unset are not sent.
 *
 * <pre>{@code
 * nl.addresses().add(Address.of("br0", "10.233.0.1/16"));
 * nl.addresses().add(Address.builder().link("br0").prefix("fd00::1/64")
 *         .flags(AddressFlag.NODAD, AddressFlag.NOPREFIXROUTE).build());
 * nl.addresses().add(Address.builder().link("br0").prefix("10.2.0.1/24").broadcast("10.2.0.255")
 *         .label("br0:gw").scope(Scope.LINK).validLifetime(3600).preferredLifetime(1800).build());
 * }</pre>
 *
 * <p>Decoded addresses carry the interface index, the flags and scope the
 * kernel reports, remaining lifetimes (unset when both are forever, the
 * kernel's default) and the attributes this class does not model in
 * {@link #unknownAttributes()}. Equality ignores the unknown attributes.
 */
public final class Address {
    /** The lifetime value meaning "forever" (INFINITY_LIFE_TIME). */
    public static final long FOREVER = 0xffffffffL;

    private final String link;
    private final Integer index;
    private final IpPrefix prefix;
    private final InetAddress peer;
    private final InetAddress broadcast;
    private final String label;
    private final Scope scope;
    private final Set<AddressFlag> flags;
    private final Long validLifetime;
    private final Long preferredLifetime;
    private final Map<Integer, byte[]> unknown;
    // Cached wire bytes so encoding does not copy per request.
    final byte[] localBytes;
    final byte[] peerBytes;
    final byte[] broadcastBytes;

    private Address(Builder b) {
        this.link = b.link;
        this.index = b.index;
        this.prefix = b.prefix;
        this.peer = b.peer;
        this.broadcast = b.broadcast;
        this.label = b.label;
        this.scope = b.scope;
        this.flags = Collections.unmodifiableSet(b.flags.isEmpty() ? EnumSet.noneOf(AddressFlag.class) : EnumSet.copyOf(b.flags));
        this.validLifetime = b.validLifetime;
        this.preferredLifetime = b.preferredLifetime;
        this.unknown = Attrs.freeze(b.unknown);
        this.localBytes = prefix.address().getAddress();
        this.peerBytes = peer == null ? null : peer.getAddress();
        this.broadcastBytes = broadcast == null ? null : broadcast.getAddress();
    }

    /**
     * {@code cidr} (e.g. {@code 10.233.0.1/16}) on link {@code link}.
     *
     * @param link the link's name, e.g. {@code br0}
     * @param cidr address and prefix length; a bare address means /32 or /128
     * @return the address
     */
    public static Address of(String link, String cidr) {
        return builder().link(link).prefix(cidr).build();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the link name; null for a decoded address whose link name was not resolved} */
    public String link() {
        return link;
    }

    /** {@return the interface index: read back from the kernel, or given instead of the name} */
    public Integer index() {
        return index;
    }

    /** {@return the local address with its prefix length, e.g. {@code 10.233.0.1/16}} */
    public IpPrefix prefix() {
        return prefix;
    }

    /** {@return the local address ({@code prefix().address()})} */
    public InetAddress local() {
        return prefix.address();
    }

    /** {@return the point-to-point peer (IFA_ADDRESS when it differs from the local address), or null} */
    public InetAddress peer() {
        return peer;
    }

    /** {@return the IPv4 broadcast address (IFA_BROADCAST), or null} */
    public InetAddress broadcast() {
        return broadcast;
    }

    /** {@return the IPv4 label (IFA_LABEL), or null. The kernel reports the link name when none was given} */
    public String label() {
        return label;
    }

    /** {@return the scope, or null (sent as global)} */
    public Scope scope() {
        return scope;
    }

    /** {@return IFA_F_* flags (empty when none)} */
    public Set<AddressFlag> flags() {
        return flags;
    }

    /** {@return valid lifetime in seconds ({@link #FOREVER} for none), or null when unset} */
    public Long validLifetime() {
        return validLifetime;
    }

    /** {@return preferred lifetime in seconds ({@link #FOREVER} for none), or null when unset} */
    public Long preferredLifetime() {
        return preferredLifetime;
    }

    /** {@return true for an IPv4 address} */
    public boolean isV4() {
        return prefix.isV4();
    }

    /** {@return attributes the kernel sent that this class does not model, by type (raw payloads; do not modify)} */
    public Map<Integer, byte[]> unknownAttributes() {
        return unknown;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Address)) {
            return false;
        }
        Address a = (Address) o;
        return Objects.equals(link, a.link) && Objects.equals(index, a.index) && prefix.equals(a.prefix)
                && Objects.equals(peer, a.peer) && Objects.equals(broadcast, a.broadcast)
                && Objects.equals(label, a.label) && Objects.equals(scope, a.scope) && flags.equals(a.flags)
                && Objects.equals(validLifetime, a.validLifetime)
                && Objects.equals(preferredLifetime, a.preferredLifetime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(link, index, prefix, peer, broadcast, label, scope, flags);
    }

    /** iproute2-like text, e.g. {@code 10.233.0.1/16 dev br0 scope global}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(Ip.text(prefix.address()));
        if (peer != null) {
            sb.append(" peer ").append(Ip.text(peer));
        }
        sb.append('/').append(prefix.length());
        if (broadcast != null) {
            sb.append(" brd ").append(Ip.text(broadcast));
        }
        sb.append(" dev ").append(link != null ? link : "#" + index);
        if (scope != null) {
            sb.append(" scope ").append(scope);
        }
        if (label != null) {
            sb.append(" label ").append(label);
        }
        for (AddressFlag f : flags) {
            sb.append(' ').append(f.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (validLifetime != null) {
            sb.append(" valid_lft ").append(validLifetime == FOREVER ? "forever" : validLifetime + "sec");
        }
        if (preferredLifetime != null) {
            sb.append(" preferred_lft ").append(preferredLifetime == FOREVER ? "forever" : preferredLifetime + "sec");
        }
        return sb.toString();
    }

    /**
     * Builds an {@link Address}; {@link #build()} checks that the fields fit
     * together (families, label length, lifetimes).
     *
     * <pre>{@code
     * Address a = Address.builder().link("br0").prefix("10.1.0.1/32").peer("10.1.0.2").build();
     * }</pre>
     */
    public static final class Builder {
        private String link;
        private Integer index;
        private IpPrefix prefix;
        private InetAddress peer;
        private InetAddress broadcast;
        private String label;
        private Scope scope;
        private Set<AddressFlag> flags = EnumSet.noneOf(AddressFlag.class);
        private Long validLifetime;
        private Long preferredLifetime;
        private Map<Integer, byte[]> unknown;

        private Builder() {}

        private Builder(Address a) {
            link = a.link;
            index = a.index;
            prefix = a.prefix;
            peer = a.peer;
            broadcast = a.broadcast;
            label = a.label;
            scope = a.scope;
            flags = a.flags.isEmpty() ? EnumSet.noneOf(AddressFlag.class) : EnumSet.copyOf(a.flags);
            validLifetime = a.validLifetime;
            preferredLifetime = a.preferredLifetime;
            unknown = a.unknown.isEmpty() ? null : new java.util.TreeMap<>(a.unknown);
        }

        /**
         * The link by name, e.g. {@code br0}.
         *
         * @param name the link by name, e.g. {@code br0}
         * @return this builder
         */
        public Builder link(String name) {
            this.link = name;
            return this;
        }

        /**
         * The link by interface index (instead of, or in addition to, the name); null clears it.
         *
         * @param ifindex the link by interface index (instead of, or in addition to, the name); null clears it
         * @return this builder
         */
        public Builder index(Integer ifindex) {
            this.index = ifindex;
            return this;
        }

        /**
         * Local address and prefix length, e.g. {@code 10.233.0.1/16}; a bare address means /32 or /128.
         *
         * @param cidr local address and prefix length, e.g. {@code 10.233.0.1/16}; a bare address means /32 or /128
         * @return this builder
         */
        public Builder prefix(String cidr) {
            this.prefix = IpPrefix.parse("prefix", cidr);
            return this;
        }

        /**
         * Sets {@link Address#prefix()}.
         *
         * @param prefix the local address with its prefix length, e.g. {@code 10.233.0.1/16}
         * @return this builder
         */
        public Builder prefix(IpPrefix prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * The point-to-point peer address (IFA_ADDRESS); null clears it.
         *
         * @param peer the point-to-point peer address (IFA_ADDRESS); null clears it
         * @return this builder
         */
        public Builder peer(String peer) {
            this.peer = peer == null ? null : Ip.parse("peer", peer);
            return this;
        }

        /**
         * Sets {@link Address#peer()}.
         *
         * @param peer the point-to-point peer (IFA_ADDRESS when it differs from the local address), or null
         * @return this builder
         */
        public Builder peer(InetAddress peer) {
            this.peer = peer;
            return this;
        }

        /**
         * IPv4 broadcast address (IFA_BROADCAST); null clears it.
         *
         * @param broadcast IPv4 broadcast address (IFA_BROADCAST); null clears it
         * @return this builder
         */
        public Builder broadcast(String broadcast) {
            this.broadcast = broadcast == null ? null : Ip.parse("broadcast", broadcast);
            return this;
        }

        /**
         * Sets {@link Address#broadcast()}.
         *
         * @param broadcast the IPv4 broadcast address (IFA_BROADCAST), or null
         * @return this builder
         */
        public Builder broadcast(InetAddress broadcast) {
            this.broadcast = broadcast;
            return this;
        }

        /**
         * IPv4 label (IFA_LABEL), at most 15 bytes, e.g. {@code br0:gw}; null clears it.
         *
         * @param label IPv4 label (IFA_LABEL), at most 15 bytes, e.g. {@code br0:gw}; null clears it
         * @return this builder
         */
        public Builder label(String label) {
            this.label = label;
            return this;
        }

        /**
         * Sets {@link Address#scope()}.
         *
         * @param scope the scope, or null (sent as global)
         * @return this builder
         */
        public Builder scope(Scope scope) {
            this.scope = scope;
            return this;
        }

        /**
         * Replaces the flags.
         *
         * @param flags replaces the flags
         * @return this builder
         */
        public Builder flags(AddressFlag... flags) {
            this.flags = Attrs.enumSet("flags", AddressFlag.class, flags);
            return this;
        }

        /**
         * Replaces the flags.
         *
         * @param flags replaces the flags
         * @return this builder
         */
        public Builder flags(Set<AddressFlag> flags) {
            this.flags = Attrs.enumSet("flags", AddressFlag.class, flags);
            return this;
        }

        /**
         * Valid lifetime in seconds (1..4294967295, {@link Address#FOREVER} for none); null clears it.
         *
         * @param seconds valid lifetime in seconds (1..4294967295, {@link Address#FOREVER} for none); null clears it
         * @return this builder
         */
        public Builder validLifetime(Long seconds) {
            this.validLifetime = seconds;
            return this;
        }

        /**
         * Sets {@link Address#validLifetime()}.
         *
         * @param seconds valid lifetime in seconds ({@link #FOREVER} for none)
         * @return this builder
         */
        public Builder validLifetime(long seconds) {
            return validLifetime(Long.valueOf(seconds));
        }

        /**
         * Preferred lifetime in seconds (0..valid lifetime); null clears it.
         *
         * @param seconds preferred lifetime in seconds (0..valid lifetime); null clears it
         * @return this builder
         */
        public Builder preferredLifetime(Long seconds) {
            this.preferredLifetime = seconds;
            return this;
        }

        /**
         * Sets {@link Address#preferredLifetime()}.
         *
         * @param seconds preferred lifetime in seconds ({@link #FOREVER} for none)
         * @return this builder
         */
        public Builder preferredLifetime(long seconds) {
            return preferredLifetime(Long.valueOf(seconds));
        }

        Builder unknown(Map<Integer, byte[]> unknown) {
            this.unknown = unknown;
            return this;
        }

        /** Builds what the kernel reported, without the input checks of {@link #build()}. */
        Address buildDecoded() {
            return new Address(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code Address}
         */
        public Address build() {
            if (link == null && index == null) {
                throw new IllegalArgumentException("link must be set (a link name such as \"br0\")");
            }
            if (link != null) {
                LinkName.validate("link", link);
            }
            if (index != null && index <= 0) {
                throw new IllegalArgumentException("index " + index + " must be positive");
            }
            if (prefix == null) {
                throw new IllegalArgumentException("prefix must be set (e.g. \"10.233.0.1/16\")");
            }
            boolean v4 = prefix.isV4();
            Attrs.requireFamily("peer", peer, v4, "prefix " + prefix);
            if (broadcast != null && !Ip.isV4(broadcast)) {
                throw new IllegalArgumentException("broadcast " + Ip.text(broadcast) + " is IPv6; broadcast is IPv4 only");
            }
            Attrs.requireFamily("broadcast", broadcast, v4, "prefix " + prefix);
            if (label != null) {
                if (!v4) {
                    throw new IllegalArgumentException("label \"" + label + "\" is IPv4 only; prefix " + prefix + " is IPv6");
                }
                LinkName.validate("label", label.replace(':', '_'));
            }
            if (validLifetime != null) {
                Attrs.requireU32("validLifetime", validLifetime);
                if (validLifetime == 0) {
                    throw new IllegalArgumentException("validLifetime must be at least 1 second");
                }
            }
            if (preferredLifetime != null) {
                Attrs.requireU32("preferredLifetime", preferredLifetime);
            }
            if (flags.contains(AddressFlag.MANAGETEMPADDR) && !v4 && prefix.length() != 64) {
                throw new IllegalArgumentException("flags MANAGETEMPADDR needs a /64 prefix (the kernel refuses "
                        + prefix + ")");
            }
            long valid = validLifetime == null ? FOREVER : validLifetime;
            long preferred = preferredLifetime == null ? FOREVER : preferredLifetime;
            if ((validLifetime != null || preferredLifetime != null) && preferred > valid) {
                throw new IllegalArgumentException("preferredLifetime " + preferred + " exceeds validLifetime " + valid);
            }
            return new Address(this);
        }
    }
}
