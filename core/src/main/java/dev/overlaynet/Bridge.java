package dev.overlaynet;

import static dev.overlaynet.BridgeCodec.*;

import java.time.Duration;

/**
 * A Linux bridge (kind {@code bridge}).
 *
 * <p>Times are {@link Duration}s; the kernel stores them in clock_t
 * (centiseconds), so they must be whole multiples of 10 ms. STP limits
 * (IEEE 802.1D, enforced by the kernel): forwardDelay 2..30 s while STP is
 * on, helloTime 1..10 s, maxAge 6..40 s; ageingTime any u32 clock_t,
 * 0..42949672.95 s (the kernel sets no bound).
 *
 * <pre>{@code
 * nl.links().add(Bridge.builder().name("br0").stp(false).mcastSnooping(false)
 *         .ageingTime(Duration.ofMinutes(5)).build());
 * }</pre>
 */
public final class Bridge extends Link {
    /** ETH_P_8021Q. */
    public static final int ETH_P_8021Q = 0x8100;
    /** ETH_P_8021AD. */
    public static final int ETH_P_8021AD = 0x88A8;

    private Bridge(Builder b) {
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
        return "bridge";
    }

    @Override
    LinkKind kindCodec() {
        return BridgeCodec.INSTANCE;
    }

    /** {@return spanning tree on (IFLA_BR_STP_STATE)} */
    public Boolean stp() {
        return data.get(STP);
    }

    /** {@return STP forward delay (IFLA_BR_FORWARD_DELAY), or null when unset} */
    public Duration forwardDelay() {
        return data.get(FORWARD_DELAY);
    }

    /** {@return STP hello time (IFLA_BR_HELLO_TIME), or null when unset} */
    public Duration helloTime() {
        return data.get(HELLO_TIME);
    }

    /** {@return STP max message age (IFLA_BR_MAX_AGE), or null when unset} */
    public Duration maxAge() {
        return data.get(MAX_AGE);
    }

    /** {@return FDB entry lifetime (IFLA_BR_AGEING_TIME)} */
    public Duration ageingTime() {
        return data.get(AGEING_TIME);
    }

    /** {@return bridge priority, 0..65535 (IFLA_BR_PRIORITY)} */
    public Integer priority() {
        return data.get(PRIORITY);
    }

    /** {@return whether ports filter by VLAN (IFLA_BR_VLAN_FILTERING), or null when unset} */
    public Boolean vlanFiltering() {
        return data.get(VLAN_FILTERING);
    }

    /** {@return 0x8100 (802.1Q) or 0x88a8 (802.1ad)} */
    public Integer vlanProtocol() {
        return data.get(VLAN_PROTOCOL);
    }

    /** {@return the PVID new ports get (IFLA_BR_VLAN_DEFAULT_PVID; 0 for none), or null when unset} */
    public Integer vlanDefaultPvid() {
        return data.get(VLAN_DEFAULT_PVID);
    }

    /** {@return which link-local groups (01:80:c2:00:00:0X) are forwarded, bit X} */
    public Integer groupFwdMask() {
        return data.get(GROUP_FWD_MASK);
    }

    /** {@return the STP group address (IFLA_BR_GROUP_ADDR), or null when unset} */
    public MacAddress groupAddress() {
        return data.get(GROUP_ADDR);
    }

    /** {@return IGMP/MLD snooping on (IFLA_BR_MCAST_SNOOPING), or null when unset} */
    public Boolean mcastSnooping() {
        return data.get(MCAST_SNOOPING);
    }

    /** {@return the bridge sends IGMP/MLD queries itself (IFLA_BR_MCAST_QUERIER), or null when unset} */
    public Boolean mcastQuerier() {
        return data.get(MCAST_QUERIER);
    }

    /** {@return 0 disabled, 1 automatic (default), 2 permanent} */
    public Integer mcastRouter() {
        return data.get(MCAST_ROUTER);
    }

    /** {@return IGMP version 2 or 3 (IFLA_BR_MCAST_IGMP_VERSION), or null when unset} */
    public Integer mcastIgmpVersion() {
        return data.get(MCAST_IGMP_VERSION);
    }

    /** {@return MLD version 1 or 2 (IFLA_BR_MCAST_MLD_VERSION), or null when unset} */
    public Integer mcastMldVersion() {
        return data.get(MCAST_MLD_VERSION);
    }

    /** {@return bridged IPv4 traffic passes iptables (IFLA_BR_NF_CALL_IPTABLES; needs br_netfilter), or null when unset} */
    public Boolean nfCallIptables() {
        return data.get(NF_CALL_IPTABLES);
    }

    /** {@return bridged IPv6 traffic passes ip6tables (IFLA_BR_NF_CALL_IP6TABLES; needs br_netfilter), or null when unset} */
    public Boolean nfCallIp6tables() {
        return data.get(NF_CALL_IP6TABLES);
    }

    /** {@return bridged ARP passes arptables (IFLA_BR_NF_CALL_ARPTABLES; needs br_netfilter), or null when unset} */
    public Boolean nfCallArptables() {
        return data.get(NF_CALL_ARPTABLES);
    }

    /** {@return bridge attributes not modelled here (timers, ids, ...), raw. Never sent} */
    public java.util.Map<Integer, byte[]> unknownDataAttributes() {
        return data.unknown();
    }

    /**
     * Builds a {@link Bridge}; see the class comment for the limits {@link #build()} checks.
     *
     * <pre>{@code
     * Bridge.builder().name("br0").stp(false).build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Bridge, Builder> {
        private Builder() {}

        private Builder(Bridge b) {
            super(b);
        }

        /**
         * Sets {@link Bridge#stp()}.
         *
         * @param v spanning tree on (IFLA_BR_STP_STATE)
         * @return this builder
         */
        public Builder stp(Boolean v) {
            return set(STP, v);
        }

        /**
         * Sets {@link Bridge#forwardDelay()}.
         *
         * @param d STP forward delay (IFLA_BR_FORWARD_DELAY); null leaves it unset
         * @return this builder
         */
        public Builder forwardDelay(Duration d) {
            return set(FORWARD_DELAY, d);
        }

        /**
         * Sets {@link Bridge#helloTime()}.
         *
         * @param d STP hello time (IFLA_BR_HELLO_TIME); null leaves it unset
         * @return this builder
         */
        public Builder helloTime(Duration d) {
            return set(HELLO_TIME, d);
        }

        /**
         * Sets {@link Bridge#maxAge()}.
         *
         * @param d STP max message age (IFLA_BR_MAX_AGE); null leaves it unset
         * @return this builder
         */
        public Builder maxAge(Duration d) {
            return set(MAX_AGE, d);
        }

        /**
         * Sets {@link Bridge#ageingTime()}.
         *
         * @param d FDB entry lifetime (IFLA_BR_AGEING_TIME)
         * @return this builder
         */
        public Builder ageingTime(Duration d) {
            return set(AGEING_TIME, d);
        }

        /**
         * Sets {@link Bridge#priority()}.
         *
         * @param p bridge priority, 0..65535 (IFLA_BR_PRIORITY)
         * @return this builder
         */
        public Builder priority(Integer p) {
            return set(PRIORITY, p);
        }

        /**
         * Sets {@link Bridge#vlanFiltering()}.
         *
         * @param v whether ports filter by VLAN (IFLA_BR_VLAN_FILTERING); null leaves it unset
         * @return this builder
         */
        public Builder vlanFiltering(Boolean v) {
            return set(VLAN_FILTERING, v);
        }

        /**
         * {@link #ETH_P_8021Q} or {@link #ETH_P_8021AD}.
         *
         * @param ethertype {@link #ETH_P_8021Q} or {@link #ETH_P_8021AD}
         * @return this builder
         */
        public Builder vlanProtocol(Integer ethertype) {
            return set(VLAN_PROTOCOL, ethertype);
        }

        /**
         * Sets {@link Bridge#vlanDefaultPvid()}.
         *
         * @param pvid the PVID new ports get (IFLA_BR_VLAN_DEFAULT_PVID; 0 for none); null leaves it unset
         * @return this builder
         */
        public Builder vlanDefaultPvid(Integer pvid) {
            return set(VLAN_DEFAULT_PVID, pvid);
        }

        /**
         * Sets {@link Bridge#groupFwdMask()}.
         *
         * @param mask which link-local groups (01:80:c2:00:00:0X) are forwarded, bit X
         * @return this builder
         */
        public Builder groupFwdMask(Integer mask) {
            return set(GROUP_FWD_MASK, mask);
        }

        /**
         * Sets {@link Bridge#groupAddress()}.
         *
         * @param mac the STP group address (IFLA_BR_GROUP_ADDR); null leaves it unset
         * @return this builder
         */
        public Builder groupAddress(MacAddress mac) {
            return set(GROUP_ADDR, mac);
        }

        /**
         * Sets {@link Bridge#mcastSnooping()}.
         *
         * @param v IGMP/MLD snooping on (IFLA_BR_MCAST_SNOOPING); null leaves it unset
         * @return this builder
         */
        public Builder mcastSnooping(Boolean v) {
            return set(MCAST_SNOOPING, v);
        }

        /**
         * Sets {@link Bridge#mcastQuerier()}.
         *
         * @param v the bridge sends IGMP/MLD queries itself (IFLA_BR_MCAST_QUERIER); null leaves it unset
         * @return this builder
         */
        public Builder mcastQuerier(Boolean v) {
            return set(MCAST_QUERIER, v);
        }

        /**
         * Sets {@link Bridge#mcastRouter()}.
         *
         * @param v 0 disabled, 1 automatic (default), 2 permanent
         * @return this builder
         */
        public Builder mcastRouter(Integer v) {
            return set(MCAST_ROUTER, v);
        }

        /**
         * Sets {@link Bridge#mcastIgmpVersion()}.
         *
         * @param v IGMP version 2 or 3 (IFLA_BR_MCAST_IGMP_VERSION); null leaves it unset
         * @return this builder
         */
        public Builder mcastIgmpVersion(Integer v) {
            return set(MCAST_IGMP_VERSION, v);
        }

        /**
         * Sets {@link Bridge#mcastMldVersion()}.
         *
         * @param v MLD version 1 or 2 (IFLA_BR_MCAST_MLD_VERSION); null leaves it unset
         * @return this builder
         */
        public Builder mcastMldVersion(Integer v) {
            return set(MCAST_MLD_VERSION, v);
        }

        /**
         * Sets {@link Bridge#nfCallIptables()}.
         *
         * @param v bridged IPv4 traffic passes iptables (IFLA_BR_NF_CALL_IPTABLES; needs br_netfilter); null leaves it unset
         * @return this builder
         */
        public Builder nfCallIptables(Boolean v) {
            return set(NF_CALL_IPTABLES, v);
        }

        /**
         * Sets {@link Bridge#nfCallIp6tables()}.
         *
         * @param v bridged IPv6 traffic passes ip6tables (IFLA_BR_NF_CALL_IP6TABLES; needs br_netfilter); null leaves it unset
         * @return this builder
         */
        public Builder nfCallIp6tables(Boolean v) {
            return set(NF_CALL_IP6TABLES, v);
        }

        /**
         * Sets {@link Bridge#nfCallArptables()}.
         *
         * @param v bridged ARP passes arptables (IFLA_BR_NF_CALL_ARPTABLES; needs br_netfilter); null leaves it unset
         * @return this builder
         */
        public Builder nfCallArptables(Boolean v) {
            return set(NF_CALL_ARPTABLES, v);
        }

        @Override
        public Bridge build() {
            validateCommon();
            // br_set_forward_delay enforces 2..30 s only while STP is on (and a new bridge's STP
            // state is applied after its forward delay), br_set_hello_time 1..10 s and
            // br_set_max_age 6..40 s always; the ageing time is any clock_t (checked on 6.18).
            time("forwardDelay", data.get(FORWARD_DELAY), Duration.ZERO, MAX_CLOCK_T, true);
            Duration fd = data.get(FORWARD_DELAY);
            if (Boolean.TRUE.equals(data.get(STP)) && fd != null
                    && (fd.compareTo(Duration.ofSeconds(2)) < 0 || fd.compareTo(Duration.ofSeconds(30)) > 0)) {
                // br_stp_start clamps it into 2..30 s when STP starts: the bridge would not hold what was
                // asked, and the next ensure would get ERANGE.
                throw new IllegalArgumentException("forwardDelay " + fd + " must be 2..30 s with stp(true)"
                        + " (the kernel clamps it when STP starts)");
            }
            time("helloTime", data.get(HELLO_TIME), Duration.ofSeconds(1), Duration.ofSeconds(10), false);
            time("maxAge", data.get(MAX_AGE), Duration.ofSeconds(6), Duration.ofSeconds(40), false);
            time("ageingTime", data.get(AGEING_TIME), Duration.ZERO, MAX_CLOCK_T, true);
            range("priority", data.get(PRIORITY), 0, 65535);
            Integer proto = data.get(VLAN_PROTOCOL);
            if (proto != null && proto != ETH_P_8021Q && proto != ETH_P_8021AD) {
                throw new IllegalArgumentException("vlanProtocol 0x" + Integer.toHexString(proto)
                        + " must be 0x8100 (802.1Q) or 0x88a8 (802.1ad)");
            }
            range("vlanDefaultPvid", data.get(VLAN_DEFAULT_PVID), 0, 4094);
            Integer mask = data.get(GROUP_FWD_MASK);
            range("groupFwdMask", mask, 0, 0xffff);
            if (mask != null && (mask & 0x7) != 0) {
                // BR_GROUPFWD_RESTRICTED: STP, MAC pause and 802.1X/LACP groups may not be forwarded.
                throw new IllegalArgumentException("groupFwdMask 0x" + Integer.toHexString(mask)
                        + " must not include bits 0-2 (restricted by the kernel)");
            }
            range("mcastRouter", data.get(MCAST_ROUTER), 0, 2);
            range("mcastIgmpVersion", data.get(MCAST_IGMP_VERSION), 2, 3);
            range("mcastMldVersion", data.get(MCAST_MLD_VERSION), 1, 2);
            MacAddress g = data.get(GROUP_ADDR);
            if (g != null) {
                // br_changelink: is_link_local_ether_addr (01:80:c2:00:00:0X), and not 01..03, which
                // are MAC pause, 802.3ad slow protocols and 802.1X, never forwarded.
                byte[] b = g.bytesUnsafe();
                int last = b[5] & 0xff;
                if (!g.toString().startsWith("01:80:c2:00:00:") || last > 0x0f) {
                    throw new IllegalArgumentException("groupAddress " + g + " must be a 01:80:c2:00:00:0X link-local group");
                }
                if (last >= 1 && last <= 3) {
                    throw new IllegalArgumentException("groupAddress " + g
                            + " is refused by the kernel (01:80:c2:00:00:01..03 are reserved: pause, slow protocols, 802.1X)");
                }
            }
            return create();
        }

        /** The largest u32 clock_t (centiseconds). */
        private static final Duration MAX_CLOCK_T = Duration.ofMillis(0xffffffffL * 10);

        private static void time(String field, Duration d, Duration min, Duration max, boolean zeroOk) {
            if (d == null) {
                return;
            }
            if (d.isNegative() || d.toNanos() % 10_000_000L != 0) {
                throw new IllegalArgumentException(field + " " + d + " must be a non-negative multiple of 10 ms (clock_t)");
            }
            if (zeroOk && d.isZero()) {
                return;
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " " + d + " out of range [" + min + ".." + max + "]");
            }
        }

        @Override
        Bridge create() {
            return new Bridge(this);
        }
    }
}
