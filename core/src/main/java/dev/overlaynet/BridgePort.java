package dev.overlaynet;

import static dev.overlaynet.BridgePortCodec.*;

import java.util.List;
import java.util.Map;

/**
 * Options of a link as a port of its bridge (IFLA_BRPORT_*). Unset options
 * are not sent. Read back with {@link Links#bridgePort(String)}, which fills
 * every option the kernel reports.
 *
 * <pre>{@code
 * nl.links().setBridgePort("vxlan0", BridgePort.builder().learning(false).neighSuppress(true).build());
 * boolean learns = nl.links().bridgePort("vxlan0").learning();
 * }</pre>
 */
public final class BridgePort {
    final AttrValues data;

    private BridgePort(AttrValues data) {
        this.data = data;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder(AttrValues.EMPTY);
    }

    static BridgePort of(AttrValues data) {
        return new BridgePort(data);
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(data);
    }

    /** {@return learn source MACs on this port} */
    public Boolean learning() {
        return data.get(LEARNING);
    }

    /** {@return send frames back out the port they came in on (IFLA_BRPORT_MODE)} */
    public Boolean hairpin() {
        return data.get(HAIRPIN);
    }

    /** {@return flood unknown unicast to this port (IFLA_BRPORT_UNICAST_FLOOD)} */
    public Boolean flood() {
        return data.get(FLOOD);
    }

    /** {@return answer ARP/ND from the bridge's neighbour table instead of flooding} */
    public Boolean neighSuppress() {
        return data.get(NEIGH_SUPPRESS);
    }

    /** {@return isolated ports only talk to non-isolated ones} */
    public Boolean isolated() {
        return data.get(ISOLATED);
    }

    /** {@return unknown multicast is flooded to this port (IFLA_BRPORT_MCAST_FLOOD), or null when unset} */
    public Boolean mcastFlood() {
        return data.get(MCAST_FLOOD);
    }

    /** {@return broadcast is flooded to this port (IFLA_BRPORT_BCAST_FLOOD), or null when unset} */
    public Boolean bcastFlood() {
        return data.get(BCAST_FLOOD);
    }

    /** {@return the bridge answers ARP for this port from its neighbour table (IFLA_BRPORT_PROXYARP), or null when unset} */
    public Boolean proxyArp() {
        return data.get(PROXY_ARP);
    }

    /** {@return STP port priority 0..63} */
    public Integer priority() {
        return data.get(PRIORITY);
    }

    /** {@return STP path cost} */
    public Integer cost() {
        return data.get(COST);
    }

    /** {@return BPDU guard} */
    public Boolean guard() {
        return data.get(GUARD);
    }

    /** {@return STP root guard: the port may not become root port (IFLA_BRPORT_PROTECT), or null when unset} */
    public Boolean rootBlock() {
        return data.get(ROOT_BLOCK);
    }

    /** {@return a port leaves a multicast group on the first leave message (IFLA_BRPORT_FAST_LEAVE), or null when unset} */
    public Boolean fastLeave() {
        return data.get(FAST_LEAVE);
    }

    /** {@return multicast to this port is sent as unicast to each member (IFLA_BRPORT_MCAST_TO_UCAST), or null when unset} */
    public Boolean mcastToUnicast() {
        return data.get(MCAST_TO_UNICAST);
    }

    /** {@return port attributes not modelled here (state, ids, timers...), raw} */
    public Map<Integer, byte[]> unknownAttributes() {
        return data.unknown();
    }

    /**
     * Options set here that differ in {@code actual}.
     *
     * @param actual the options to compare with, usually decoded from the kernel
     * @return the names of the differing options, empty when none
     */
    public List<String> differences(BridgePort actual) {
        return data.differences(actual.data, SPECS).stream().map(AttrSpec::name).toList();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BridgePort p && data.equals(p.data);
    }

    @Override
    public int hashCode() {
        return data.hashCode();
    }

    /**
     * As {@code ip -d link show} prints a bridge port: {@code bridge_slave priority 32
     * cost 100 learning on flood off ...}, only the options that are set.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("bridge_slave");
        for (AttrSpec<?> s : SPECS) {
            Object v = data.get(s);
            if (v != null) {
                String word = s.name().equals("fastLeave") ? "fastleave" : IpText.snake(s.name());
                sb.append(' ').append(word).append(' ');
                sb.append(v instanceof Boolean b ? (b ? "on" : "off") : IpText.value(v));
            }
        }
        return sb.toString();
    }

    /**
     * Builds a {@link BridgePort}; {@link #build()} checks priority 0..63.
     *
     * <pre>{@code
     * BridgePort.builder().learning(false).hairpin(true).build();
     * }</pre>
     */
    public static final class Builder {
        private AttrValues data;

        private Builder(AttrValues data) {
            this.data = data;
        }

        private <T> Builder set(AttrSpec<T> s, T v) {
            data = data.with(s, v);
            return this;
        }

        /**
         * Sets {@link BridgePort#learning()}.
         *
         * @param v learn source MACs on this port
         * @return this builder
         */
        public Builder learning(Boolean v) {
            return set(LEARNING, v);
        }

        /**
         * Sets {@link BridgePort#hairpin()}.
         *
         * @param v send frames back out the port they came in on (IFLA_BRPORT_MODE)
         * @return this builder
         */
        public Builder hairpin(Boolean v) {
            return set(HAIRPIN, v);
        }

        /**
         * Sets {@link BridgePort#flood()}.
         *
         * @param v flood unknown unicast to this port (IFLA_BRPORT_UNICAST_FLOOD)
         * @return this builder
         */
        public Builder flood(Boolean v) {
            return set(FLOOD, v);
        }

        /**
         * Sets {@link BridgePort#neighSuppress()}.
         *
         * @param v answer ARP/ND from the bridge's neighbour table instead of flooding
         * @return this builder
         */
        public Builder neighSuppress(Boolean v) {
            return set(NEIGH_SUPPRESS, v);
        }

        /**
         * Sets {@link BridgePort#isolated()}.
         *
         * @param v isolated ports only talk to non-isolated ones
         * @return this builder
         */
        public Builder isolated(Boolean v) {
            return set(ISOLATED, v);
        }

        /**
         * Sets {@link BridgePort#mcastFlood()}.
         *
         * @param v unknown multicast is flooded to this port (IFLA_BRPORT_MCAST_FLOOD); null leaves it unset
         * @return this builder
         */
        public Builder mcastFlood(Boolean v) {
            return set(MCAST_FLOOD, v);
        }

        /**
         * Sets {@link BridgePort#bcastFlood()}.
         *
         * @param v broadcast is flooded to this port (IFLA_BRPORT_BCAST_FLOOD); null leaves it unset
         * @return this builder
         */
        public Builder bcastFlood(Boolean v) {
            return set(BCAST_FLOOD, v);
        }

        /**
         * Sets {@link BridgePort#proxyArp()}.
         *
         * @param v the bridge answers ARP for this port from its neighbour table (IFLA_BRPORT_PROXYARP); null leaves it unset
         * @return this builder
         */
        public Builder proxyArp(Boolean v) {
            return set(PROXY_ARP, v);
        }

        /**
         * Sets {@link BridgePort#priority()}.
         *
         * @param v STP port priority 0..63
         * @return this builder
         */
        public Builder priority(Integer v) {
            return set(PRIORITY, v);
        }

        /**
         * Sets {@link BridgePort#cost()}.
         *
         * @param v STP path cost
         * @return this builder
         */
        public Builder cost(Integer v) {
            return set(COST, v);
        }

        /**
         * Sets {@link BridgePort#guard()}.
         *
         * @param v BPDU guard
         * @return this builder
         */
        public Builder guard(Boolean v) {
            return set(GUARD, v);
        }

        /**
         * Sets {@link BridgePort#rootBlock()}.
         *
         * @param v STP root guard: the port may not become root port (IFLA_BRPORT_PROTECT); null leaves it unset
         * @return this builder
         */
        public Builder rootBlock(Boolean v) {
            return set(ROOT_BLOCK, v);
        }

        /**
         * Sets {@link BridgePort#fastLeave()}.
         *
         * @param v a port leaves a multicast group on the first leave message (IFLA_BRPORT_FAST_LEAVE); null leaves it unset
         * @return this builder
         */
        public Builder fastLeave(Boolean v) {
            return set(FAST_LEAVE, v);
        }

        /**
         * Sets {@link BridgePort#mcastToUnicast()}.
         *
         * @param v multicast to this port is sent as unicast to each member (IFLA_BRPORT_MCAST_TO_UCAST); null leaves it unset
         * @return this builder
         */
        public Builder mcastToUnicast(Boolean v) {
            return set(MCAST_TO_UNICAST, v);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code BridgePort}
         */
        public BridgePort build() {
            Integer p = data.get(PRIORITY);
            if (p != null && (p < 0 || p > 63)) {
                throw new IllegalArgumentException("priority " + p + " out of range [0..63]");
            }
            Integer c = data.get(COST);
            if (c != null && (c < 1 || c > 65535)) {
                // br_stp_set_path_cost: BR_MIN_PATH_COST 1 .. BR_MAX_PATH_COST 65535, else ERANGE.
                throw new IllegalArgumentException("cost " + Integer.toUnsignedString(c) + " out of range [1..65535]");
            }
            return new BridgePort(data);
        }
    }
}
