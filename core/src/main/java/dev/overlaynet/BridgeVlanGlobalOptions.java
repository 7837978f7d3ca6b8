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
    private final Integer mcastLastMemberCount;
    private final Integer mcastStartupQueryCount;
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

    public String bridge() {
        return bridge;
    }

    public Integer index() {
        return index;
    }

    public int vid() {
        return vid;
    }

    public int end() {
        return end;
    }

    public Boolean mcastSnooping() {
        return mcastSnooping;
    }

    public Boolean mcastQuerier() {
        return mcastQuerier;
    }

    public Integer mcastIgmpVersion() {
        return mcastIgmpVersion;
    }

    public Integer mcastMldVersion() {
        return mcastMldVersion;
    }

    public Integer mcastLastMemberCount() {
        return mcastLastMemberCount;
    }

    public Integer mcastStartupQueryCount() {
        return mcastStartupQueryCount;
    }

    public Duration mcastLastMemberInterval() {
        return mcastLastMemberInterval;
    }

    public Duration mcastStartupQueryInterval() {
        return mcastStartupQueryInterval;
    }

    public Duration mcastMembershipInterval() {
        return mcastMembershipInterval;
    }

    public Duration mcastQuerierInterval() {
        return mcastQuerierInterval;
    }

    public Duration mcastQueryInterval() {
        return mcastQueryInterval;
    }

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
        private Integer mcastLastMemberCount;
        private Integer mcastStartupQueryCount;
        private Duration mcastLastMemberInterval;
        private Duration mcastStartupQueryInterval;
        private Duration mcastMembershipInterval;
        private Duration mcastQuerierInterval;
        private Duration mcastQueryInterval;
        private Duration mcastQueryResponseInterval;

        private Builder() {}

        public Builder bridge(String bridge) {
            this.bridge = bridge;
            return this;
        }

        Builder index(Integer index) {
            this.index = index;
            return this;
        }

        public Builder vid(int vid) {
            this.vid = vid;
            return this;
        }

        public Builder end(Integer end) {
            this.end = end;
            return this;
        }

        public Builder mcastSnooping(Boolean v) {
            this.mcastSnooping = v;
            return this;
        }

        public Builder mcastQuerier(Boolean v) {
            this.mcastQuerier = v;
            return this;
        }

        public Builder mcastIgmpVersion(Integer v) {
            this.mcastIgmpVersion = v;
            return this;
        }

        public Builder mcastMldVersion(Integer v) {
            this.mcastMldVersion = v;
            return this;
        }

        public Builder mcastLastMemberCount(Integer v) {
            this.mcastLastMemberCount = v;
            return this;
        }

        public Builder mcastStartupQueryCount(Integer v) {
            this.mcastStartupQueryCount = v;
            return this;
        }

        public Builder mcastLastMemberInterval(Duration v) {
            this.mcastLastMemberInterval = v;
            return this;
        }

        public Builder mcastStartupQueryInterval(Duration v) {
            this.mcastStartupQueryInterval = v;
            return this;
        }

        public Builder mcastMembershipInterval(Duration v) {
            this.mcastMembershipInterval = v;
            return this;
        }

        public Builder mcastQuerierInterval(Duration v) {
            this.mcastQuerierInterval = v;
            return this;
        }

        public Builder mcastQueryInterval(Duration v) {
            this.mcastQueryInterval = v;
            return this;
        }

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
            nonNegative("mcastLastMemberCount", mcastLastMemberCount);
            nonNegative("mcastStartupQueryCount", mcastStartupQueryCount);
            centis("mcastLastMemberInterval", mcastLastMemberInterval);
            centis("mcastStartupQueryInterval", mcastStartupQueryInterval);
            centis("mcastMembershipInterval", mcastMembershipInterval);
            centis("mcastQuerierInterval", mcastQuerierInterval);
            centis("mcastQueryInterval", mcastQueryInterval);
            centis("mcastQueryResponseInterval", mcastQueryResponseInterval);
            return new BridgeVlanGlobalOptions(this);
        }

        private static void nonNegative(String field, Integer v) {
            if (v != null && v < 0) {
                throw new IllegalArgumentException(field + " " + v + " must not be negative");
            }
        }

        private static void centis(String field, Duration d) {
            if (d != null && (d.isNegative() || d.toNanos() % 10_000_000L != 0)) {
                throw new IllegalArgumentException(field + " " + d + " must be a non-negative whole number of centiseconds");
            }
        }
    }
}
