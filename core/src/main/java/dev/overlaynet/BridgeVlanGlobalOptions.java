package dev.overlaynet;

import java.time.Duration;
import java.util.Objects;

/**
 * Global (per bridge, per VLAN) multicast options ({@code bridge vlan global
 * set dev BRIDGE vid VID[-END] ...}): RTM_NEWVLAN with
 * BRIDGE_VLANDB_GLOBAL_OPTIONS. Every option is optional; intervals travel in
 * centiseconds (clock_t at USER_HZ 100), so they must be whole centiseconds.
 * Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * nl.bridgeVlans().setGlobalOptions(BridgeVlanGlobalOptions.builder().bridge("br0").vid(10)
 *         .mcastSnooping(true).mcastIgmpVersion(3).mcastQueryInterval(Duration.ofSeconds(125)).build());
 * }</pre>
 */
public final class BridgeVlanGlobalOptions {
    private final String bridge;
    private final Integer index;
    private final int vid;
    private final int end;
    private final Boolean mcastSnooping;
    private final Boolean mcastQuerier;
    private final Integer mcastIgmpVersion;
    private final Integer mcastMldVersion;
    private final Long mcastLastMemberCount;
    private final Long mcastStartupQueryCount;
    private final Duration mcastLastMemberInterval;
    private final Duration mcastStartupQueryInterval;
    private final Duration mcastMembershipInterval;
    private final Duration mcastQuerierInterval;
    private final Duration mcastQueryInterval;
    private final Duration mcastQueryResponseInterval;

    private BridgeVlanGlobalOptions(Builder b) {
        bridge = b.bridge;
        index = b.index;
        vid = b.vid;
        end = b.end == null ? b.vid : b.end;
        mcastSnooping = b.mcastSnooping;
        mcastQuerier = b.mcastQuerier;
        mcastIgmpVersion = b.mcastIgmpVersion;
        mcastMldVersion = b.mcastMldVersion;
        mcastLastMemberCount = b.mcastLastMemberCount;
        mcastStartupQueryCount = b.mcastStartupQueryCount;
        mcastLastMemberInterval = b.mcastLastMemberInterval;
        mcastStartupQueryInterval = b.mcastStartupQueryInterval;
        mcastMembershipInterval = b.mcastMembershipInterval;
        mcastQuerierInterval = b.mcastQuerierInterval;
        mcastQueryInterval = b.mcastQueryInterval;
        mcastQueryResponseInterval = b.mcastQueryResponseInterval;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the bridge; null for a decoded entry whose name was not resolved} */
    public String bridge() {
        return bridge;
    }

    /** {@return the bridge's index when decoded, or null} */
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

    /** {@return IGMP/MLD snooping on this VLAN (BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING), or null to leave it} */
    public Boolean mcastSnooping() {
        return mcastSnooping;
    }

    /** {@return the bridge queries on this VLAN (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER), or null to leave it} */
    public Boolean mcastQuerier() {
        return mcastQuerier;
    }

    /** {@return IGMP version 2 or 3 (BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION), or null to leave it} */
    public Integer mcastIgmpVersion() {
        return mcastIgmpVersion;
    }

    /** {@return MLD version 1 or 2 (BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION), or null to leave it} */
    public Integer mcastMldVersion() {
        return mcastMldVersion;
    }

    /** {@return queries sent after a leave (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT, u32: 0..4294967295), or null to leave it} */
    public Long mcastLastMemberCount() {
        return mcastLastMemberCount;
    }

    /** {@return queries sent at startup (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT, u32: 0..4294967295), or null to leave it} */
    public Long mcastStartupQueryCount() {
        return mcastStartupQueryCount;
    }

    /** {@return gap between queries after a leave (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL), or null to leave it} */
    public Duration mcastLastMemberInterval() {
        return mcastLastMemberInterval;
    }

    /** {@return gap between startup queries (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL), or null to leave it} */
    public Duration mcastStartupQueryInterval() {
        return mcastStartupQueryInterval;
    }

    /** {@return how long a silent group member is kept (BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL), or null to leave it} */
    public Duration mcastMembershipInterval() {
        return mcastMembershipInterval;
    }

    /** {@return how long another querier is believed present (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL), or null to leave it} */
    public Duration mcastQuerierInterval() {
        return mcastQuerierInterval;
    }

    /** {@return gap between general queries (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL), or null to leave it} */
    public Duration mcastQueryInterval() {
        return mcastQueryInterval;
    }

    /** {@return the longest response time a query allows (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL), or null to leave it} */
    public Duration mcastQueryResponseInterval() {
        return mcastQueryResponseInterval;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgeVlanGlobalOptions g && Objects.equals(bridge, g.bridge) && vid == g.vid
                && end == g.end && Objects.equals(mcastSnooping, g.mcastSnooping)
                && Objects.equals(mcastQuerier, g.mcastQuerier) && Objects.equals(mcastIgmpVersion, g.mcastIgmpVersion)
                && Objects.equals(mcastMldVersion, g.mcastMldVersion)
                && Objects.equals(mcastLastMemberCount, g.mcastLastMemberCount)
                && Objects.equals(mcastStartupQueryCount, g.mcastStartupQueryCount)
                && Objects.equals(mcastLastMemberInterval, g.mcastLastMemberInterval)
                && Objects.equals(mcastStartupQueryInterval, g.mcastStartupQueryInterval)
                && Objects.equals(mcastMembershipInterval, g.mcastMembershipInterval)
                && Objects.equals(mcastQuerierInterval, g.mcastQuerierInterval)
                && Objects.equals(mcastQueryInterval, g.mcastQueryInterval)
                && Objects.equals(mcastQueryResponseInterval, g.mcastQueryResponseInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bridge, vid, end, mcastSnooping, mcastIgmpVersion, mcastQueryInterval);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("dev ").append(bridge != null ? bridge : "#" + index).append(" vid ")
                .append(VlanRange.text(vid, end));
        opt(sb, "mcast_snooping", mcastSnooping == null ? null : mcastSnooping ? 1 : 0);
        opt(sb, "mcast_querier", mcastQuerier == null ? null : mcastQuerier ? 1 : 0);
        opt(sb, "mcast_igmp_version", mcastIgmpVersion);
        opt(sb, "mcast_mld_version", mcastMldVersion);
        opt(sb, "mcast_last_member_count", mcastLastMemberCount);
        opt(sb, "mcast_startup_query_count", mcastStartupQueryCount);
        opt(sb, "mcast_last_member_interval", cs(mcastLastMemberInterval));
        opt(sb, "mcast_startup_query_interval", cs(mcastStartupQueryInterval));
        opt(sb, "mcast_membership_interval", cs(mcastMembershipInterval));
        opt(sb, "mcast_querier_interval", cs(mcastQuerierInterval));
        opt(sb, "mcast_query_interval", cs(mcastQueryInterval));
        opt(sb, "mcast_query_response_interval", cs(mcastQueryResponseInterval));
        return sb.toString();
    }

    private static Long cs(Duration d) {
        return d == null ? null : d.toMillis() / 10;
    }

    private static void opt(StringBuilder sb, String k, Object v) {
        if (v != null) {
            sb.append(' ').append(k).append(' ').append(v);
        }
    }

    /**
     * Builds {@link BridgeVlanGlobalOptions}; {@link #build()} checks the
     * bridge name, VLANs 1..4094, IGMP version 2..3, MLD version 1..2,
     * non-negative counts and whole-centisecond, non-negative intervals.
     *
     * <pre>{@code
     * BridgeVlanGlobalOptions g = BridgeVlanGlobalOptions.builder().bridge("br0").vid(10).end(20)
     *         .mcastQuerier(true).build();
     * }</pre>
     */
    public static final class Builder {
        private String bridge;
        private Integer index;
        private Integer vid;
        private Integer end;
        private Boolean mcastSnooping;
        private Boolean mcastQuerier;
        private Integer mcastIgmpVersion;
        private Integer mcastMldVersion;
        private Long mcastLastMemberCount;
        private Long mcastStartupQueryCount;
        private Duration mcastLastMemberInterval;
        private Duration mcastStartupQueryInterval;
        private Duration mcastMembershipInterval;
        private Duration mcastQuerierInterval;
        private Duration mcastQueryInterval;
        private Duration mcastQueryResponseInterval;

        private Builder() {}

        /**
         * Sets {@link BridgeVlanGlobalOptions#bridge()}.
         *
         * @param bridge the bridge; null for a decoded entry whose name was not resolved
         * @return this builder
         */
        public Builder bridge(String bridge) {
            this.bridge = bridge;
            return this;
        }

        Builder index(Integer index) {
            this.index = index;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#vid()}.
         *
         * @param vid the VLAN id, or the first of the range
         * @return this builder
         */
        public Builder vid(int vid) {
            this.vid = vid;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#end()}.
         *
         * @param end the last VLAN of the range; {@link #vid()} for one VLAN
         * @return this builder
         */
        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastSnooping()}.
         *
         * @param v IGMP/MLD snooping on this VLAN (BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING), or null to leave it
         * @return this builder
         */
        public Builder mcastSnooping(Boolean v) {
            this.mcastSnooping = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastQuerier()}.
         *
         * @param v the bridge queries on this VLAN (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER), or null to leave it
         * @return this builder
         */
        public Builder mcastQuerier(Boolean v) {
            this.mcastQuerier = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastIgmpVersion()}.
         *
         * @param v IGMP version 2 or 3 (BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION), or null to leave it
         * @return this builder
         */
        public Builder mcastIgmpVersion(Integer v) {
            this.mcastIgmpVersion = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastMldVersion()}.
         *
         * @param v MLD version 1 or 2 (BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION), or null to leave it
         * @return this builder
         */
        public Builder mcastMldVersion(Integer v) {
            this.mcastMldVersion = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastLastMemberCount()}.
         *
         * @param v queries sent after a leave (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT), 0..4294967295, or null to leave it
         * @return this builder
         */
        public Builder mcastLastMemberCount(Long v) {
            this.mcastLastMemberCount = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastLastMemberCount()}.
         *
         * @param v queries sent after a leave, 0..4294967295
         * @return this builder
         */
        public Builder mcastLastMemberCount(long v) {
            return mcastLastMemberCount(Long.valueOf(v));
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastStartupQueryCount()}.
         *
         * @param v queries sent at startup (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT), 0..4294967295, or null to leave it
         * @return this builder
         */
        public Builder mcastStartupQueryCount(Long v) {
            this.mcastStartupQueryCount = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastStartupQueryCount()}.
         *
         * @param v queries sent at startup, 0..4294967295
         * @return this builder
         */
        public Builder mcastStartupQueryCount(long v) {
            return mcastStartupQueryCount(Long.valueOf(v));
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastLastMemberInterval()}.
         *
         * @param v gap between queries after a leave (BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastLastMemberInterval(Duration v) {
            this.mcastLastMemberInterval = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastStartupQueryInterval()}.
         *
         * @param v gap between startup queries (BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastStartupQueryInterval(Duration v) {
            this.mcastStartupQueryInterval = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastMembershipInterval()}.
         *
         * @param v how long a silent group member is kept (BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastMembershipInterval(Duration v) {
            this.mcastMembershipInterval = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastQuerierInterval()}.
         *
         * @param v how long another querier is believed present (BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastQuerierInterval(Duration v) {
            this.mcastQuerierInterval = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastQueryInterval()}.
         *
         * @param v gap between general queries (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastQueryInterval(Duration v) {
            this.mcastQueryInterval = v;
            return this;
        }

        /**
         * Sets {@link BridgeVlanGlobalOptions#mcastQueryResponseInterval()}.
         *
         * @param v the longest response time a query allows (BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL), or null to leave it
         * @return this builder
         */
        public Builder mcastQueryResponseInterval(Duration v) {
            this.mcastQueryResponseInterval = v;
            return this;
        }

        BridgeVlanGlobalOptions buildDecoded() {
            return new BridgeVlanGlobalOptions(this);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code BridgeVlanGlobalOptions}
         */
        public BridgeVlanGlobalOptions build() {
            if (bridge == null) {
                throw new IllegalArgumentException("bridge must be set (global VLAN options live on the bridge)");
            }
            LinkName.validate("bridge", bridge);
            VlanRange.check(vid, end);
            if (mcastIgmpVersion != null && (mcastIgmpVersion < 2 || mcastIgmpVersion > 3)) {
                throw new IllegalArgumentException("mcastIgmpVersion " + mcastIgmpVersion + " out of range [2..3]");
            }
            if (mcastMldVersion != null && (mcastMldVersion < 1 || mcastMldVersion > 2)) {
                throw new IllegalArgumentException("mcastMldVersion " + mcastMldVersion + " out of range [1..2]");
            }
            u32("mcastLastMemberCount", mcastLastMemberCount);
            u32("mcastStartupQueryCount", mcastStartupQueryCount);
            centis("mcastLastMemberInterval", mcastLastMemberInterval);
            centis("mcastStartupQueryInterval", mcastStartupQueryInterval);
            centis("mcastMembershipInterval", mcastMembershipInterval);
            centis("mcastQuerierInterval", mcastQuerierInterval);
            centis("mcastQueryInterval", mcastQueryInterval);
            centis("mcastQueryResponseInterval", mcastQueryResponseInterval);
            return new BridgeVlanGlobalOptions(this);
        }

        private static void u32(String field, Long v) {
            if (v != null) {
                Attrs.requireU32(field, v);
            }
        }

        private static void centis(String field, Duration d) {
            if (d != null && (d.isNegative() || d.toNanos() % 10_000_000L != 0)) {
                throw new IllegalArgumentException(field + " " + d + " must be a non-negative whole number of centiseconds");
            }
        }
    }
}
