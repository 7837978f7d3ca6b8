package dev.overlaynet;

import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A forwarding database entry (an AF_BRIDGE neighbour): what
 * {@code bridge fdb add|append} configures, on a VXLAN device or a bridge
 * port. Immutable; build with {@link #builder()} or a factory, change with
 * {@link #toBuilder()}.
 *
 * <p>Defaults are {@code bridge fdb}'s: the entry goes to the device itself
 * ({@link NeighbourFlag#SELF}) unless {@link NeighbourFlag#MASTER} is given, and is
 * {@link FdbEntryState#PERMANENT}. (Without {@code self}, a VXLAN device answers
 * EOPNOTSUPP, a classic trap of other libraries.)
 *
 * <pre>{@code
 * // bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst 172.16.1.12   (head-end replication)
 * nl.fdb().append(FdbEntry.flood("vxlan0", "172.16.1.12"));
 * // bridge fdb add 02:42:0a:e9:00:03 dev vxlan0 dst 172.16.1.13
 * nl.fdb().add(FdbEntry.remote("vxlan0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.13"));
 * // bridge fdb add 02:00:00:00:00:aa dev veth0 master static vlan 1
 * nl.fdb().add(FdbEntry.builder().dev("veth0").mac("02:00:00:00:00:aa").flags(NeighbourFlag.MASTER)
 *         .state(FdbEntryState.STATIC).vlan(1).build());
 * }</pre>
 *
 * <p>Decoded entries carry the device index, NDA_MASTER (the bridge's
 * index) when reported, and unmodelled attributes (NDA_CACHEINFO,
 * NDA_IFINDEX, ...) in {@link #unknownAttributes()}. Equality ignores the
 * unknown attributes.
 */
public final class FdbEntry {
    private final String dev;
    private final Integer index;
    private final MacAddress mac;
    private final InetAddress dst;
    private final Integer vni;
    private final Integer port;
    private final Integer srcVni;
    private final Integer vlan;
    private final Integer master;
    private final Set<NeighbourFlag> flags;
    private final FdbEntryState state;
    private final Map<Integer, byte[]> unknown;
    final byte[] dstBytes;
    final int stateBits;
    final int flagBits;

    private FdbEntry(Builder b) {
        this.dev = b.dev;
        this.index = b.index;
        this.mac = b.mac;
        this.dst = b.dst;
        this.vni = b.vni;
        this.port = b.port;
        this.srcVni = b.srcVni;
        this.vlan = b.vlan;
        this.master = b.master;
        this.flags = Collections.unmodifiableSet(copy(b.flags));
        this.state = b.state;
        this.unknown = Attrs.freeze(b.unknown);
        this.dstBytes = dst == null ? null : dst.getAddress();
        this.stateBits = (state == null ? FdbEntryState.PERMANENT : state).bits();
        int f = NeighbourFlag.toBits(flags);
        // bridge(8): "assume self" when neither self nor master is given.
        this.flagBits = (f & (NeighbourFlag.SELF.bit() | NeighbourFlag.MASTER.bit())) == 0 ? f | NeighbourFlag.SELF.bit() : f;
    }

    /**
     * A decoded entry, built straight from the kernel's fields: the destination
     * bytes become both {@link #dst()} and the cached wire form, the flags map to
     * the shared set. A dump decodes thousands of these, so there is no builder
     * and no set or address copy.
     */
    FdbEntry(String dev, Integer index, MacAddress mac, byte[] dstBytes, Integer vlan, Integer port, Integer vni,
        Integer srcVni, Integer master, int flagBits, FdbEntryState state, Map<Integer, byte[]> unknown) {
        this.dev = dev;
        this.index = index;
        this.mac = mac;
        this.dst = dstBytes == null ? null : Ip.of(dstBytes);
        this.dstBytes = dstBytes;
        this.vni = vni;
        this.port = port;
        this.srcVni = srcVni;
        this.vlan = vlan;
        this.master = master;
        // All 8 NTF bits name a flag, so the shared set and the bits round-trip.
        this.flags = NeighbourFlag.fromBits(flagBits);
        this.state = state;
        this.unknown = Attrs.freeze(unknown);
        this.stateBits = (state == null ? FdbEntryState.PERMANENT : state).bits();
        int f = flagBits & 0xff;
        this.flagBits = (f & (NeighbourFlag.SELF.bit() | NeighbourFlag.MASTER.bit())) == 0 ? f | NeighbourFlag.SELF.bit() : f;
    }

    private static EnumSet<NeighbourFlag> copy(Set<NeighbourFlag> s) {
        return s.isEmpty() ? EnumSet.noneOf(NeighbourFlag.class) : EnumSet.copyOf(s);
    }

    /**
     * The all-zero MAC entry that floods broadcast, unknown unicast and
     * multicast to {@code remote}: {@code bridge fdb append 00:00:00:00:00:00 dev DEV dst REMOTE}.
     * Use it with {@link FdbEntries#append}: one such entry per peer.
     *
     * @param dev the vxlan device
     * @param remote the peer's underlay address
     * @return the entry
     */
    public static FdbEntry flood(String dev, String remote) {
        return builder().dev(dev).mac(MacAddress.ZERO).dst(remote).build();
    }

    /**
     * {@return a unicast entry {@code bridge fdb add MAC dev DEV dst REMOTE} (self, permanent)}
     *
     * @param dev the vxlan device
     * @param mac the remote container's MAC
     * @param remote the underlay address of its host
     */
    public static FdbEntry remote(String dev, MacAddress mac, String remote) {
        return builder().dev(dev).mac(mac).dst(remote).build();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the device (vxlan or bridge port) name; null for a decoded entry whose name was not resolved} */
    public String dev() {
        return dev;
    }

    /** {@return the device index: read back, or given instead of the name; or null} */
    public Integer index() {
        return index;
    }

    /** {@return the MAC address (NDA_LLADDR); all-zero for the flood entry} */
    public MacAddress mac() {
        return mac;
    }

    /** {@return the remote VTEP (NDA_DST), or null} */
    public InetAddress dst() {
        return dst;
    }

    /** {@return the remote VNI (NDA_VNI), or null (the device's VNI)} */
    public Integer vni() {
        return vni;
    }

    /** {@return the remote UDP port (NDA_PORT), or null (the device's dstport)} */
    public Integer port() {
        return port;
    }

    /** {@return the source VNI (NDA_SRC_VNI, collect-metadata devices), or null} */
    public Integer srcVni() {
        return srcVni;
    }

    /** {@return the VLAN (NDA_VLAN) of a bridge entry, or null} */
    public Integer vlan() {
        return vlan;
    }

    /** {@return the master (bridge) index reported in NDA_MASTER, or null} */
    public Integer master() {
        return master;
    }

    /**
     * The NTF_* flags as given or reported. SELF is added on the wire when
     * neither SELF nor MASTER is set. The kernel reports a bridge's own entries
     * with no flag but NDA_MASTER; they decode with MASTER, as bridge(8) shows them.
     *
     * @return the flags, empty when none
     */
    public Set<NeighbourFlag> flags() {
        return flags;
    }

    /** {@return the state, or null (permanent when adding)} */
    public FdbEntryState state() {
        return state;
    }

    /** {@return attributes the kernel sent that this class does not model, by type (raw payloads; do not modify)} */
    public Map<Integer, byte[]> unknownAttributes() {
        return unknown;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FdbEntry)) {
            return false;
        }
        FdbEntry f = (FdbEntry) o;
        return Objects.equals(dev, f.dev) && Objects.equals(index, f.index) && mac.equals(f.mac)
                && Objects.equals(dst, f.dst) && Objects.equals(vni, f.vni) && Objects.equals(port, f.port)
                && Objects.equals(srcVni, f.srcVni) && Objects.equals(vlan, f.vlan)
                && Objects.equals(master, f.master) && flags.equals(f.flags) && state == f.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, index, mac, dst, vni, vlan);
    }

    /** bridge-like text, e.g. {@code 00:00:00:00:00:00 dev vxlan0 dst 172.16.1.12 self permanent}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(mac).append(" dev ").append(dev != null ? dev : "#" + index);
        if (vlan != null) {
            sb.append(" vlan ").append(vlan);
        }
        if (dst != null) {
            sb.append(" dst ").append(Ip.text(dst));
        }
        if (port != null) {
            sb.append(" port ").append(port);
        }
        if (vni != null) {
            sb.append(" vni ").append(vni);
        }
        if (srcVni != null) {
            sb.append(" src_vni ").append(srcVni);
        }
        for (NeighbourFlag f : flags) {
            sb.append(' ').append(f.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (state != null) {
            sb.append(' ').append(state.name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * Builds an {@link FdbEntry}.
     *
     * <pre>{@code
     * FdbEntry e = FdbEntry.builder().dev("vxlan0").mac("02:42:0a:e9:00:03").dst("172.16.1.13").vni(42).port(4789).build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private Integer index;
        private MacAddress mac;
        private InetAddress dst;
        private Integer vni;
        private Integer port;
        private Integer srcVni;
        private Integer vlan;
        private Integer master;
        private Set<NeighbourFlag> flags = EnumSet.noneOf(NeighbourFlag.class);
        private FdbEntryState state;
        private Map<Integer, byte[]> unknown;

        private Builder() {}

        private Builder(FdbEntry f) {
            dev = f.dev;
            index = f.index;
            mac = f.mac;
            dst = f.dst;
            vni = f.vni;
            port = f.port;
            srcVni = f.srcVni;
            vlan = f.vlan;
            master = f.master;
            flags = copy(f.flags);
            state = f.state;
            unknown = f.unknown.isEmpty() ? null : new java.util.TreeMap<>(f.unknown);
        }

        /**
         * The device by name: a vxlan device or a bridge port.
         *
         * @param dev the device by name: a vxlan device or a bridge port
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
         * The MAC address, e.g. {@code 02:42:0a:e9:00:03}.
         *
         * @param mac the MAC address, e.g. {@code 02:42:0a:e9:00:03}
         * @return this builder
         */
        public Builder mac(String mac) {
            try {
                this.mac = MacAddress.parse(mac);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mac: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Sets {@link FdbEntry#mac()}.
         *
         * @param mac the MAC address (NDA_LLADDR); all-zero for the flood entry
         * @return this builder
         */
        public Builder mac(MacAddress mac) {
            this.mac = mac;
            return this;
        }

        /**
         * The remote VTEP IP (NDA_DST); null clears it.
         *
         * @param dst the remote VTEP IP (NDA_DST); null clears it
         * @return this builder
         */
        public Builder dst(String dst) {
            this.dst = dst == null ? null : Ip.parse("dst", dst);
            return this;
        }

        /**
         * Sets {@link FdbEntry#dst()}.
         *
         * @param dst the remote VTEP (NDA_DST), or null
         * @return this builder
         */
        public Builder dst(InetAddress dst) {
            this.dst = dst;
            return this;
        }

        /**
         * The remote VNI, 0..16777215; null clears it.
         *
         * @param vni the remote VNI, 0..16777215; null clears it
         * @return this builder
         */
        public Builder vni(Integer vni) {
            this.vni = vni;
            return this;
        }

        /**
         * The remote UDP port, 1..65535; null clears it.
         *
         * @param port the remote UDP port, 1..65535; null clears it
         * @return this builder
         */
        public Builder port(Integer port) {
            this.port = port;
            return this;
        }

        /**
         * The source VNI, 0..16777215; null clears it.
         *
         * @param srcVni the source VNI, 0..16777215; null clears it
         * @return this builder
         */
        public Builder srcVni(Integer srcVni) {
            this.srcVni = srcVni;
            return this;
        }

        /**
         * The VLAN of a bridge entry, 1..4094; null clears it.
         *
         * @param vlan the VLAN of a bridge entry, 1..4094; null clears it
         * @return this builder
         */
        public Builder vlan(Integer vlan) {
            this.vlan = vlan;
            return this;
        }

        Builder master(Integer master) {
            this.master = master;
            return this;
        }

        /**
         * Replaces the flags ({@link NeighbourFlag#SELF}, {@link NeighbourFlag#MASTER}, {@link NeighbourFlag#STICKY}, ...).
         *
         * @param flags replaces the flags ({@link NeighbourFlag#SELF}, {@link NeighbourFlag#MASTER}, {@link NeighbourFlag#STICKY}, ...)
         * @return this builder
         */
        public Builder flags(NeighbourFlag... flags) {
            this.flags = Attrs.enumSet("flags", NeighbourFlag.class, flags);
            return this;
        }

        /**
         * Sets {@link FdbEntry#flags()}.
         *
         * @param flags the NTF_* flags; SELF is added on the wire when neither SELF nor MASTER is set
         * @return this builder
         */
        public Builder flags(Set<NeighbourFlag> flags) {
            this.flags = Attrs.enumSet("flags", NeighbourFlag.class, flags);
            return this;
        }

        /**
         * The state; null means unset (permanent when adding).
         *
         * @param state the state; null means unset (permanent when adding)
         * @return this builder
         */
        public Builder state(FdbEntryState state) {
            this.state = state;
            return this;
        }

        Builder unknown(Map<Integer, byte[]> unknown) {
            this.unknown = unknown;
            return this;
        }

        FdbEntry buildDecoded() {
            return new FdbEntry(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code FdbEntry}
         */
        public FdbEntry build() {
            if (dev == null && index == null) {
                throw new IllegalArgumentException("dev must be set (a vxlan device or bridge port such as \"vxlan0\")");
            }
            if (dev != null) {
                LinkName.validate("dev", dev);
            }
            if (index != null && index <= 0) {
                throw new IllegalArgumentException("index " + index + " must be positive");
            }
            if (mac == null) {
                throw new IllegalArgumentException("mac must be set (00:00:00:00:00:00 for the flood entry)");
            }
            range("vni", vni, 0, 0xffffff);
            range("srcVni", srcVni, 0, 0xffffff);
            range("port", port, 1, 65535);
            range("vlan", vlan, 1, 4094);
            if (flags.contains(NeighbourFlag.MASTER)) {
                // br_fdb_add ignores NDA_DST, NDA_PORT, NDA_VNI and NDA_SRC_VNI: a bridge entry has no remote.
                for (Object[] f : new Object[][] {{"dst", dst}, {"port", port}, {"vni", vni}, {"srcVni", srcVni}}) {
                    if (f[1] != null) {
                        throw new IllegalArgumentException(f[0] + " is not kept on a MASTER (bridge) entry: "
                                + "the bridge ignores it; it belongs to a vxlan's own (SELF) entry");
                    }
                }
            }
            if (flags.contains(NeighbourFlag.STICKY) && flags.contains(NeighbourFlag.MASTER)
                    && (state == null || state == FdbEntryState.PERMANENT)) {
                // br_fdb: "sticky" means "do not let it roam", which a permanent (local) entry never does.
                throw new IllegalArgumentException("flags STICKY is refused by the bridge on a permanent entry; "
                        + "use state(FdbEntryState.STATIC) for a sticky master entry");
            }
            return new FdbEntry(this);
        }

        private static void range(String field, Integer v, int min, int max) {
            if (v != null && (v < min || v > max)) {
                throw new IllegalArgumentException(field + " " + v + " out of range [" + min + ".." + max + "]");
            }
        }
    }
}
