package dev.overlaynet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What {@code bridge fdb flush} deletes: the filters of one bulk
 * RTM_DELNEIGH (NLM_F_BULK). Immutable; build with {@link #builder()}, run
 * with {@link FdbEntries#flush(FdbFlush)}. The kernel deletes every matching
 * entry in that one request; nothing is listed first.
 *
 * <p>Kernel support: bridge FDB flush with NLM_F_BULK since Linux 5.19
 * (filters device, brport, vlan, state and flags); VXLAN FDB flush since
 * Linux 6.7 (adds vni, src_vni, port, dst, nhid). Older kernels answer
 * EOPNOTSUPP (or EINVAL for attributes they do not know).
 *
 * <p>State and flag filters compose as iproute2's keywords do, in the order
 * given: {@link Builder#state(FdbEntryState)} is {@code permanent|static|dynamic},
 * {@link Builder#notState(FdbEntryState)} is {@code nopermanent|nostatic|nodynamic},
 * {@link Builder#flag(NeighbourFlag, boolean)} is {@code [no]added_by_user}
 * ({@link NeighbourFlag#USE}), {@code [no]extern_learn}, {@code [no]sticky},
 * {@code [no]offloaded}, and for vxlan {@link NeighbourFlag#ROUTER}; they travel as ndm_state/ndm_flags plus
 * NDA_NDM_STATE_MASK / NDA_NDM_FLAGS_MASK.
 *
 * <pre>{@code
 * // bridge fdb flush dev br0 brport vb0 vlan 10 dynamic
 * nl.fdb().flush(FdbFlush.builder().dev("br0").brport("vb0").vlan(10).state(FdbEntryState.DYNAMIC).build());
 * // bridge fdb flush dev vxlan0 dst 172.16.1.12 nopermanent    (kernel 6.7+)
 * nl.fdb().flush(FdbFlush.builder().dev("vxlan0").dst("172.16.1.12").notState(FdbEntryState.PERMANENT).build());
 * }</pre>
 */
public final class FdbFlush {
    /**
     * The ndm_flags bits a kernel accepts as flush filters: the bridge's
     * FDB_FLUSH_ALLOWED_NDM_FLAGS (USE, EXT_LEARNED, STICKY, OFFLOADED) and
     * vxlan's VXLAN_FDB_FLUSH_ALLOWED_NDM_FLAGS (EXT_LEARNED, OFFLOADED, ROUTER).
     * Each driver refuses the others' (EINVAL, "Unsupported fdb flush ndm flag bits set").
     */
    static final int FILTER_FLAGS = NeighbourFlag.USE.bit() | NeighbourFlag.EXT_LEARNED.bit()
            | NeighbourFlag.STICKY.bit() | NeighbourFlag.OFFLOADED.bit() | NeighbourFlag.ROUTER.bit();
    private static final int NUD_NOARP = 0x40;
    private static final int NUD_PERMANENT = 0x80;

    private final String dev;
    private final boolean self;
    private final boolean master;
    private final String brport;
    private final Integer vlan;
    private final Integer vni;
    private final Integer srcVni;
    private final Integer port;
    private final InetAddress dst;
    private final Long nhid;
    final int state;
    final int stateMask;
    final int flags;
    final int flagsMask;

    private FdbFlush(Builder b) {
        dev = b.dev;
        // bridge(8): "if self and master were not specified assume self".
        self = b.self || !b.master;
        master = b.master;
        brport = b.brport;
        vlan = b.vlan;
        vni = b.vni;
        srcVni = b.srcVni;
        port = b.port;
        dst = b.dst;
        nhid = b.nhid;
        state = b.state;
        stateMask = b.stateMask;
        flags = b.flags;
        flagsMask = b.flagsMask;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the device whose table is flushed: a bridge or vxlan (self), or a bridge port (master)} */
    public String dev() {
        return dev;
    }

    /** {@return flush the device's own table (NTF_SELF); the default} */
    public boolean self() {
        return self;
    }

    /** {@return flush the master (bridge) table for this port (NTF_MASTER)} */
    public boolean master() {
        return master;
    }

    /** {@return only entries of this bridge port (NDA_IFINDEX), or null} */
    public String brport() {
        return brport;
    }

    /** {@return only entries of this VLAN (NDA_VLAN), or null} */
    public Integer vlan() {
        return vlan;
    }

    /** {@return only entries of this VNI (NDA_VNI), or null} */
    public Integer vni() {
        return vni;
    }

    /** {@return only entries learned from this source VNI (NDA_SRC_VNI), or null} */
    public Integer srcVni() {
        return srcVni;
    }

    /** {@return only entries with this remote UDP port (NDA_PORT), or null} */
    public Integer port() {
        return port;
    }

    /** {@return only entries towards this remote address (NDA_DST), or null} */
    public InetAddress dst() {
        return dst;
    }

    /** {@return only entries using this nexthop group (NDA_NH_ID), or null} */
    public Long nhid() {
        return nhid;
    }

    /** {@return the ndm_state bits to match under {@link #stateMask()}} */
    public int state() {
        return state;
    }

    /** {@return NDA_NDM_STATE_MASK: which ndm_state bits must equal {@link #state()}; 0 = any state} */
    public int stateMask() {
        return stateMask;
    }

    /** {@return the ndm_flags bits to match under {@link #flagsMask()} (SELF/MASTER excluded)} */
    public int flags() {
        return flags;
    }

    /** {@return NDA_NDM_FLAGS_MASK; 0 = any flags} */
    public int flagsMask() {
        return flagsMask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdbFlush f && dev.equals(f.dev) && self == f.self && master == f.master
                && Objects.equals(brport, f.brport) && Objects.equals(vlan, f.vlan) && Objects.equals(vni, f.vni)
                && Objects.equals(srcVni, f.srcVni) && Objects.equals(port, f.port) && Objects.equals(dst, f.dst)
                && Objects.equals(nhid, f.nhid) && state == f.state && stateMask == f.stateMask
                && flags == f.flags && flagsMask == f.flagsMask;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dev, brport, vlan, vni, dst, state, stateMask, flags, flagsMask);
    }

    /** bridge-like text, e.g. {@code flush dev br0 brport vb0 vlan 10 master state 0x0/0xc0}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("flush dev ").append(dev);
        if (brport != null) {
            sb.append(" brport ").append(brport);
        }
        if (vlan != null) {
            sb.append(" vlan ").append(vlan);
        }
        if (srcVni != null) {
            sb.append(" src_vni ").append(srcVni);
        }
        if (nhid != null) {
            sb.append(" nhid ").append(nhid);
        }
        if (vni != null) {
            sb.append(" vni ").append(vni);
        }
        if (port != null) {
            sb.append(" port ").append(port);
        }
        if (dst != null) {
            sb.append(" dst ").append(Ip.text(dst));
        }
        if (self) {
            sb.append(" self");
        }
        if (master) {
            sb.append(" master");
        }
        if (stateMask != 0) {
            sb.append(String.format(" state 0x%x/0x%x", state, stateMask));
        }
        if (flagsMask != 0) {
            sb.append(String.format(" flags 0x%x/0x%x", flags, flagsMask));
        }
        return sb.toString();
    }

    /**
     * Builds an {@link FdbFlush}; {@link #build()} names the field that is wrong.
     *
     * <pre>{@code
     * FdbFlush f = FdbFlush.builder().dev("vb0").master().notState(FdbEntryState.PERMANENT).flag(NeighbourFlag.STICKY, false).build();
     * }</pre>
     */
    public static final class Builder {
        private String dev;
        private boolean self;
        private boolean master;
        private String brport;
        private Integer vlan;
        private Integer vni;
        private Integer srcVni;
        private Integer port;
        private InetAddress dst;
        private Long nhid;
        private int state;
        private int stateMask;
        private int flags;
        private int flagsMask;

        private Builder() {}

        /**
         * The bridge, vxlan or bridge port whose entries are flushed. Required.
         *
         * @param dev the bridge, vxlan or bridge port whose entries are flushed. Required
         * @return this builder
         */
        public Builder dev(String dev) {
            this.dev = dev;
            return this;
        }

        /**
         * The device's own table ({@code self}); the default when neither self nor master is given.
         *
         * @return this builder
         */
        public Builder self() {
            this.self = true;
            return this;
        }

        /**
         * The master bridge's table, for a port ({@code master}).
         *
         * @return this builder
         */
        public Builder master() {
            this.master = true;
            return this;
        }

        /**
         * Only the entries of this bridge port.
         *
         * @param brport only the entries of this bridge port
         * @return this builder
         */
        public Builder brport(String brport) {
            this.brport = brport;
            return this;
        }

        /**
         * Only entries of VLAN 1..4094.
         *
         * @param vlan only entries of VLAN 1..4094
         * @return this builder
         */
        public Builder vlan(Integer vlan) {
            this.vlan = vlan;
            return this;
        }

        /**
         * Only vxlan entries with this remote VNI (kernel 6.7+).
         *
         * @param vni only vxlan entries with this remote VNI (kernel 6.7+)
         * @return this builder
         */
        public Builder vni(Integer vni) {
            this.vni = vni;
            return this;
        }

        /**
         * Only vxlan entries with this source VNI (kernel 6.7+).
         *
         * @param srcVni only vxlan entries with this source VNI (kernel 6.7+)
         * @return this builder
         */
        public Builder srcVni(Integer srcVni) {
            this.srcVni = srcVni;
            return this;
        }

        /**
         * Only vxlan entries with this remote UDP port (kernel 6.7+).
         *
         * @param port only vxlan entries with this remote UDP port (kernel 6.7+)
         * @return this builder
         */
        public Builder port(Integer port) {
            this.port = port;
            return this;
        }

        /**
         * Only vxlan entries pointing at this remote VTEP (kernel 6.7+).
         *
         * @param dst only vxlan entries pointing at this remote VTEP (kernel 6.7+)
         * @return this builder
         */
        public Builder dst(String dst) {
            this.dst = dst == null ? null : Ip.parse("dst", dst);
            return this;
        }

        /**
         * Sets {@link FdbFlush#dst()}.
         *
         * @param dst only entries towards this remote address (NDA_DST), or null
         * @return this builder
         */
        public Builder dst(InetAddress dst) {
            this.dst = dst;
            return this;
        }

        /**
         * Only vxlan entries using this nexthop group (kernel 6.7+).
         *
         * @param nhid only vxlan entries using this nexthop group (kernel 6.7+), 1..4294967295
         *             (NDA_NH_ID is a u32); null for any
         * @return this builder
         */
        public Builder nhid(Long nhid) {
            this.nhid = nhid;
            return this;
        }

        /**
         * Sets {@link FdbFlush#nhid()}.
         *
         * @param nhid only vxlan entries using this nexthop group, 1..4294967295
         * @return this builder
         */
        public Builder nhid(long nhid) {
            return nhid(Long.valueOf(nhid));
        }

        /**
         * Only entries in {@code s}: bridge's {@code permanent}, {@code static} or {@code dynamic}.
         *
         * @param s only entries in {@code s}: bridge's {@code permanent}, {@code static} or {@code dynamic}
         * @return this builder
         */
        public Builder state(FdbEntryState s) {
            Objects.requireNonNull(s, "state");
            switch (s) {
                case PERMANENT -> {
                    state |= NUD_PERMANENT;
                    stateMask |= NUD_PERMANENT;
                }
                case STATIC -> {
                    state |= NUD_NOARP;
                    stateMask |= NUD_NOARP | NUD_PERMANENT;
                }
                case DYNAMIC -> {
                    state &= ~NUD_NOARP;
                    stateMask |= NUD_NOARP | NUD_PERMANENT;
                }
            }
            return this;
        }

        /**
         * Only entries not in {@code s}: bridge's {@code nopermanent}, {@code nostatic} or {@code nodynamic}.
         *
         * @param s only entries not in {@code s}: bridge's {@code nopermanent}, {@code nostatic} or {@code nodynamic}
         * @return this builder
         */
        public Builder notState(FdbEntryState s) {
            Objects.requireNonNull(s, "notState");
            switch (s) {
                case PERMANENT -> {
                    state &= ~NUD_PERMANENT;
                    stateMask |= NUD_PERMANENT;
                }
                case STATIC -> {
                    state &= ~NUD_NOARP;
                    stateMask |= NUD_NOARP;
                }
                case DYNAMIC -> {
                    state |= NUD_NOARP;
                    stateMask |= NUD_NOARP;
                }
            }
            return this;
        }

        /**
         * Only entries with ({@code set}) or without {@code flag}: one of
         * {@link NeighbourFlag#USE} ({@code added_by_user}; bridge only), {@link NeighbourFlag#EXT_LEARNED},
         * {@link NeighbourFlag#STICKY} (bridge only), {@link NeighbourFlag#OFFLOADED},
         * {@link NeighbourFlag#ROUTER} (vxlan only).
         *
         * @param flag the flag
         * @param set true to match entries with it, false without it
         * @return this builder
         */
        public Builder flag(NeighbourFlag flag, boolean set) {
            Objects.requireNonNull(flag, "flag");
            if ((flag.bit() & FILTER_FLAGS) == 0) {
                throw new IllegalArgumentException("flag " + flag
                        + " is not a flush filter (one of USE, EXT_LEARNED, STICKY, OFFLOADED, ROUTER)");
            }
            if (set) {
                flags |= flag.bit();
            } else {
                flags &= ~flag.bit();
            }
            flagsMask |= flag.bit();
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code FdbFlush}
         */
        public FdbFlush build() {
            if (dev == null) {
                throw new IllegalArgumentException("dev must be set (the bridge, vxlan or port whose entries to flush)");
            }
            LinkName.validate("dev", dev);
            if (brport != null) {
                LinkName.validate("brport", brport);
            }
            range("vlan", vlan, 1, 4094);
            range("vni", vni, 0, Vxlan.MAX_VNI);
            range("srcVni", srcVni, 0, Vxlan.MAX_VNI);
            range("port", port, 1, 65535);
            if (nhid != null && (nhid < 1 || nhid > 0xffffffffL)) {
                throw new IllegalArgumentException("nhid " + nhid + " out of range [1..4294967295]");
            }
            if (dst != null && dst.isAnyLocalAddress()) {
                throw new IllegalArgumentException("dst " + Ip.text(dst) + " is the unspecified address");
            }
            return new FdbFlush(this);
        }

        private static void range(String field, Integer v, int min, int max) {
            if (v != null && (v < min || v > max)) {
                throw new IllegalArgumentException(field + " " + v + " out of range [" + min + ".." + max + "]");
            }
        }
    }
}
