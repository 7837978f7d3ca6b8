package dev.overlaynet;

import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An IPv4 (ARP) or IPv6 (NDP) neighbour entry: what {@code ip neigh add}
 * configures. Immutable; build with {@link #builder()} or a factory, change
 * with {@link #toBuilder()}. The state defaults to permanent when adding,
 * as with {@code ip neigh add}.
 *
 * <pre>{@code
 * nl.neighbours().add(Neighbour.permanent("br0", "10.233.0.3", MacAddress.parse("02:42:0a:e9:00:03")));
 * nl.neighbours().add(Neighbour.proxy("br0", "10.233.0.50"));
 * nl.neighbours().replace(Neighbour.builder().dev("br0").ip("fd00::9").lladdr("02:00:00:00:00:09")
 *         .state(NeighbourState.REACHABLE).flags(NeighbourFlag.ROUTER).build());
 * }</pre>
 *
 * <p>Decoded entries carry the device index, the state and flags the kernel
 * reports, and unmodelled attributes (NDA_CACHEINFO, NDA_PROBES, ...) in
 * {@link #unknownAttributes()}. Equality ignores the unknown attributes.
 */
public final class Neighbour {
    private final String dev;
    private final Integer index;
    private final InetAddress ip;
    private final MacAddress lladdr;
    private final Set<NeighbourState> state;
    private final Set<NeighbourFlag> flags;
    private final Map<Integer, byte[]> unknown;
    // Wire forms cached at build so bulk encoding copies nothing per entry.
    final byte[] ipBytes;
    final int stateBits;
    final int flagBits;

    private Neighbour(Builder b) {
        this.dev = b.dev;
        this.index = b.index;
        this.ip = b.ip;
        this.lladdr = b.lladdr;
        this.state = b.state == null ? null : NeighbourState.canonical(b.state);
        this.flags = NeighbourFlag.canonical(b.flags);
        this.unknown = Attrs.freeze(b.unknown);
        this.ipBytes = ip.getAddress();
        this.stateBits = state == null ? NeighbourState.PERMANENT.bit() : NeighbourState.toBits(state);
        this.flagBits = NeighbourFlag.toBits(flags);
    }

    /**
     * A decoded entry, built straight from the kernel's fields: the address bytes
     * become both {@link #ip()} and the cached wire form, and state and flags map
     * to the shared sets. A dump decodes thousands of these, so there is no
     * builder, no set copy and no second copy of the address.
     */
    Neighbour(String dev, Integer index, byte[] ipBytes, MacAddress lladdr, int stateBits, int flagBits,
          Map<Integer, byte[]> unknown) {
        this.dev = dev;
        this.index = index;
        this.ip = Ip.of(ipBytes);
        this.ipBytes = ipBytes;
        this.lladdr = lladdr;
        // Every one of the 8 bits names a state / a flag: the sets and the bits round-trip.
        this.state = NeighbourState.fromBits(stateBits);
        this.flags = NeighbourFlag.fromBits(flagBits);
        this.unknown = Attrs.freeze(unknown);
        this.stateBits = stateBits & 0xff;
        this.flagBits = flagBits & 0xff;
    }

    /**
     * {@return a permanent entry {@code ip lladdr mac dev dev nud permanent}}
     *
     * @param dev the link's name, e.g. {@code br0}
     * @param ip the neighbour's address
     * @param mac its MAC
     */
    public static Neighbour permanent(String dev, String ip, MacAddress mac) {
        return builder().dev(dev).ip(ip).lladdr(mac).state(NeighbourState.PERMANENT).build();
    }

    /**
     * {@return a permanent entry; {@code mac} as text, e.g. {@code 02:42:0a:e9:00:03}}
     *
     * @param dev the link's name, e.g. {@code br0}
     * @param ip the neighbour's address
     * @param mac its MAC as text
     */
    public static Neighbour permanent(String dev, String ip, String mac) {
        return permanent(dev, ip, MacAddress.parse(mac));
    }

    /**
     * {@return a proxy-ARP/NDP entry ({@code ip neigh add proxy IP dev DEV})}
     *
     * @param dev the link's name
     * @param ip the address answered for
     */
    public static Neighbour proxy(String dev, String ip) {
        return builder().dev(dev).ip(ip).flags(NeighbourFlag.PROXY).build();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the device name; null for a decoded entry whose name was not resolved} */
    public String dev() {
        return dev;
    }

    /** {@return the device index: read back, or given instead of the name; or null} */
    public Integer index() {
        return index;
    }

    /** {@return the neighbour's IP address (NDA_DST)} */
    public InetAddress ip() {
        return ip;
    }

    /** {@return true for an IPv4 (ARP) entry} */
    public boolean isV4() {
        return Ip.isV4(ip);
    }

    /** {@return the link-layer address (NDA_LLADDR), or null} */
    public MacAddress lladdr() {
        return lladdr;
    }

    /** {@return the NUD_* states, or null when unset (sent as permanent). The empty set is NUD_NONE} */
    public Set<NeighbourState> state() {
        return state;
    }

    /** {@return the NTF_* flags (empty when none)} */
    public Set<NeighbourFlag> flags() {
        return flags;
    }

    /** {@return attributes the kernel sent that this class does not model, by type (raw payloads; do not modify)} */
    public Map<Integer, byte[]> unknownAttributes() {
        return unknown;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Neighbour)) {
            return false;
        }
        Neighbour n = (Neighbour) o;
        return Objects.equals(dev, n.dev) && Objects.equals(index, n.index) && ip.equals(n.ip)
                && Objects.equals(lladdr, n.lladdr) && Objects.equals(state, n.state) && flags.equals(n.flags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, index, ip, lladdr);
    }

    /** iproute2-like text, e.g. {@code 10.233.0.3 dev br0 lladdr 02:42:0a:e9:00:03 PERMANENT}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (flags.contains(NeighbourFlag.PROXY)) {
            sb.append("proxy ");
        }
        sb.append(Ip.text(ip)).append(" dev ").append(dev != null ? dev : "#" + index);
        if (lladdr != null) {
            sb.append(" lladdr ").append(lladdr);
        }
        if (flags.contains(NeighbourFlag.ROUTER)) {
            sb.append(" router");
        }
        if (state != null) {
            for (NeighbourState s : state) {
                sb.append(' ').append(s.name());
            }
        }
        return sb.toString();
    }

    /**
     * Builds a {@link Neighbour}.
     *
     * <pre>{@code
     * Neighbour n = Neighbour.builder().dev("br0").ip("10.233.0.3").lladdr("02:42:0a:e9:00:03").build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private InetAddress ip;
        private MacAddress lladdr;
        private Set<NeighbourState> state;
        private Set<NeighbourFlag> flags = EnumSet.noneOf(NeighbourFlag.class);
        private Map<Integer, byte[]> unknown;

        private Builder() {}

        private Builder(Neighbour n) {
            dev = n.dev;
            index = n.index;
            ip = n.ip;
            lladdr = n.lladdr;
            state = n.state;
            flags = n.flags;
            unknown = n.unknown.isEmpty() ? null : new java.util.TreeMap<>(n.unknown);
        }

        /**
         * The device by name, e.g. {@code br0}.
         *
         * @param dev the device by name, e.g. {@code br0}
         * @return this builder
         */
        public Builder dev(String dev) {
            this.dev = dev;
            return this;
        }

        /**
         * The device by index; null clears it.
         *
         * @param ifindex the device by index; null clears it
         * @return this builder
         */
        public Builder index(Integer ifindex) {
            this.index = ifindex;
            return this;
        }

        /**
         * The neighbour's IPv4 or IPv6 address.
         *
         * @param ip the neighbour's IPv4 or IPv6 address
         * @return this builder
         */
        public Builder ip(String ip) {
            this.ip = Ip.parse("ip", ip);
            return this;
        }

        /**
         * Sets {@link Neighbour#ip()}.
         *
         * @param ip the neighbour's IP address (NDA_DST)
         * @return this builder
         */
        public Builder ip(InetAddress ip) {
            this.ip = ip;
            return this;
        }

        /**
         * The MAC address, e.g. {@code 02:42:0a:e9:00:03}; null clears it.
         *
         * @param mac the MAC address, e.g. {@code 02:42:0a:e9:00:03}; null clears it
         * @return this builder
         */
        public Builder lladdr(String mac) {
            if (mac == null) {
                this.lladdr = null;
                return this;
            }
            try {
                this.lladdr = MacAddress.parse(mac);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("lladdr: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Sets {@link Neighbour#lladdr()}.
         *
         * @param mac the link-layer address (NDA_LLADDR), or null
         * @return this builder
         */
        public Builder lladdr(MacAddress mac) {
            this.lladdr = mac;
            return this;
        }

        /**
         * Replaces the state; no arguments means NUD_NONE.
         *
         * @param states replaces the state; no arguments means NUD_NONE
         * @return this builder
         */
        public Builder state(NeighbourState... states) {
            this.state = NeighbourState.canonical(Attrs.enumSet("state", NeighbourState.class, states));
            return this;
        }

        /**
         * Replaces the state; null means unset (permanent when adding).
         *
         * @param states replaces the state; null means unset (permanent when adding)
         * @return this builder
         */
        public Builder state(Set<NeighbourState> states) {
            this.state = states == null ? null : NeighbourState.canonical(Attrs.enumSet("state", NeighbourState.class, states));
            return this;
        }

        /**
         * Replaces the flags.
         *
         * @param flags replaces the flags
         * @return this builder
         */
        public Builder flags(NeighbourFlag... flags) {
            this.flags = Attrs.enumSet("flags", NeighbourFlag.class, flags);
            return this;
        }

        /**
         * Sets {@link Neighbour#flags()}.
         *
         * @param flags the NTF_* flags (empty when none)
         * @return this builder
         */
        public Builder flags(Set<NeighbourFlag> flags) {
            this.flags = NeighbourFlag.canonical(Attrs.enumSet("flags", NeighbourFlag.class, flags));
            return this;
        }

        Builder unknown(Map<Integer, byte[]> unknown) {
            this.unknown = unknown;
            return this;
        }

        Neighbour buildDecoded() {
            return new Neighbour(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code Neighbour}
         */
        public Neighbour build() {
            if (dev == null && index == null) {
                throw new IllegalArgumentException("dev must be set (a link name such as \"br0\")");
            }
            if (dev != null) {
                LinkName.validate("dev", dev);
            }
            if (index != null && index <= 0) {
                throw new IllegalArgumentException("index " + index + " must be positive");
            }
            if (ip == null) {
                throw new IllegalArgumentException("ip must be set (e.g. \"10.233.0.3\")");
            }
            return new Neighbour(this);
        }
    }
}
