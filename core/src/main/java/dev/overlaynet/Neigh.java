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
 * nl.neighbours().add(Neigh.permanent("br0", "10.233.0.3", MacAddress.parse("02:42:0a:e9:00:03")));
 * nl.neighbours().add(Neigh.proxy("br0", "10.233.0.50"));
 * nl.neighbours().replace(Neigh.builder().dev("br0").ip("fd00::9").lladdr("02:00:00:00:00:09")
 *         .state(NeighState.REACHABLE).flags(NeighFlag.ROUTER).build());
 * }</pre>
 *
 * <p>Decoded entries carry the device index, the state and flags the kernel
 * reports, and unmodelled attributes (NDA_CACHEINFO, NDA_PROBES, ...) in
 * {@link #unknownAttributes()}. Equality ignores the unknown attributes.
 */
public final class Neigh {
    private final String dev;
    private final Integer index;
    private final InetAddress ip;
    private final MacAddress lladdr;
    private final Set<NeighState> state;
    private final Set<NeighFlag> flags;
    private final Map<Integer, byte[]> unknown;
    // Wire forms cached at build so bulk encoding copies nothing per entry.
    final byte[] ipBytes;
    final int stateBits;
    final int flagBits;

    private Neigh(Builder b) {
        this.dev = b.dev;
        this.index = b.index;
        this.ip = b.ip;
        this.lladdr = b.lladdr;
        this.state = b.state == null ? null : NeighState.canonical(b.state);
        this.flags = NeighFlag.canonical(b.flags);
        this.unknown = Attrs.freeze(b.unknown);
        this.ipBytes = ip.getAddress();
        this.stateBits = state == null ? NeighState.PERMANENT.bit() : NeighState.toBits(state);
        this.flagBits = NeighFlag.toBits(flags);
    }

    /** A permanent entry {@code ip lladdr mac dev dev nud permanent}. */
    public static Neigh permanent(String dev, String ip, MacAddress mac) {
        return builder().dev(dev).ip(ip).lladdr(mac).state(NeighState.PERMANENT).build();
    }

    /** A permanent entry; {@code mac} as text, e.g. {@code 02:42:0a:e9:00:03}. */
    public static Neigh permanent(String dev, String ip, String mac) {
        return permanent(dev, ip, MacAddress.parse(mac));
    }

    /** A proxy-ARP/NDP entry ({@code ip neigh add proxy IP dev DEV}). */
    public static Neigh proxy(String dev, String ip) {
        return builder().dev(dev).ip(ip).flags(NeighFlag.PROXY).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The device name; null for a decoded entry whose name was not resolved. */
    public String dev() {
        return dev;
    }

    /** The device index: read back, or given instead of the name; or null. */
    public Integer index() {
        return index;
    }

    /** The neighbour's IP address (NDA_DST). */
    public InetAddress ip() {
        return ip;
    }

    public boolean isV4() {
        return Ip.isV4(ip);
    }

    /** The link-layer address (NDA_LLADDR), or null. */
    public MacAddress lladdr() {
        return lladdr;
    }

    /** The NUD_* states, or null when unset (sent as permanent). The empty set is NUD_NONE. */
    public Set<NeighState> state() {
        return state;
    }

    /** The NTF_* flags (empty when none). */
    public Set<NeighFlag> flags() {
        return flags;
    }

    /** Attributes the kernel sent that this class does not model, by type (raw payloads; do not modify). */
    public Map<Integer, byte[]> unknownAttributes() {
        return unknown;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Neigh)) {
            return false;
        }
        Neigh n = (Neigh) o;
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
        if (flags.contains(NeighFlag.PROXY)) {
            sb.append("proxy ");
        }
        sb.append(Ip.text(ip)).append(" dev ").append(dev != null ? dev : "#" + index);
        if (lladdr != null) {
            sb.append(" lladdr ").append(lladdr);
        }
        if (flags.contains(NeighFlag.ROUTER)) {
            sb.append(" router");
        }
        if (state != null) {
            for (NeighState s : state) {
                sb.append(' ').append(s.name());
            }
        }
        return sb.toString();
    }

    /**
     * Builds a {@link Neigh}.
     *
     * <pre>{@code
     * Neigh n = Neigh.builder().dev("br0").ip("10.233.0.3").lladdr("02:42:0a:e9:00:03").build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private InetAddress ip;
        private MacAddress lladdr;
        private Set<NeighState> state;
        private Set<NeighFlag> flags = EnumSet.noneOf(NeighFlag.class);
        private Map<Integer, byte[]> unknown;

        private Builder() {}

        private Builder(Neigh n) {
            dev = n.dev;
            index = n.index;
            ip = n.ip;
            lladdr = n.lladdr;
            state = n.state;
            flags = n.flags;
            unknown = n.unknown.isEmpty() ? null : new java.util.TreeMap<>(n.unknown);
        }

        /** The device by name, e.g. {@code br0}. */
        public Builder dev(String dev) {
            this.dev = dev;
            return this;
        }

        /** The device by index; null clears it. */
        public Builder index(Integer ifindex) {
            this.index = ifindex;
            return this;
        }

        /** The neighbour's IPv4 or IPv6 address. */
        public Builder ip(String ip) {
            this.ip = Ip.parse("ip", ip);
            return this;
        }

        public Builder ip(InetAddress ip) {
            this.ip = ip;
            return this;
        }

        /** The MAC address, e.g. {@code 02:42:0a:e9:00:03}; null clears it. */
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

        public Builder lladdr(MacAddress mac) {
            this.lladdr = mac;
            return this;
        }

        /** Replaces the state; no arguments means NUD_NONE. */
        public Builder state(NeighState... states) {
            this.state = NeighState.canonical(Attrs.enumSet("state", NeighState.class, states));
            return this;
        }

        /** Replaces the state; null means unset (permanent when adding). */
        public Builder state(Set<NeighState> states) {
            this.state = states == null ? null : NeighState.canonical(Attrs.enumSet("state", NeighState.class, states));
            return this;
        }

        /** Replaces the flags. */
        public Builder flags(NeighFlag... flags) {
            this.flags = Attrs.enumSet("flags", NeighFlag.class, flags);
            return this;
        }

        public Builder flags(Set<NeighFlag> flags) {
            this.flags = NeighFlag.canonical(Attrs.enumSet("flags", NeighFlag.class, flags));
            return this;
        }

        Builder unknown(Map<Integer, byte[]> unknown) {
            this.unknown = unknown;
            return this;
        }

        Neigh buildDecoded() {
            return new Neigh(this);
        }

        /** Validates and builds. */
        public Neigh build() {
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
            return new Neigh(this);
        }
    }
}
