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

    public static Builder builder() {
        return new Builder(AttrValues.EMPTY);
    }

    static BridgePort of(AttrValues data) {
        return new BridgePort(data);
    }

    public Builder toBuilder() {
        return new Builder(data);
    }

    /** Learn source MACs on this port. */
    public Boolean learning() {
        return data.get(LEARNING);
    }

    /** Send frames back out the port they came in on (IFLA_BRPORT_MODE). */
    public Boolean hairpin() {
        return data.get(HAIRPIN);
    }

    /** Flood unknown unicast to this port (IFLA_BRPORT_UNICAST_FLOOD). */
    public Boolean flood() {
        return data.get(FLOOD);
    }

    /** Answer ARP/ND from the bridge's neighbour table instead of flooding. */
    public Boolean neighSuppress() {
        return data.get(NEIGH_SUPPRESS);
    }

    /** Isolated ports only talk to non-isolated ones. */
    public Boolean isolated() {
        return data.get(ISOLATED);
    }

    public Boolean mcastFlood() {
        return data.get(MCAST_FLOOD);
    }

    public Boolean bcastFlood() {
        return data.get(BCAST_FLOOD);
    }

    public Boolean proxyArp() {
        return data.get(PROXY_ARP);
    }

    /** STP port priority 0..63. */
    public Integer priority() {
        return data.get(PRIORITY);
    }

    /** STP path cost. */
    public Integer cost() {
        return data.get(COST);
    }

    /** BPDU guard. */
    public Boolean guard() {
        return data.get(GUARD);
    }

    public Boolean rootBlock() {
        return data.get(ROOT_BLOCK);
    }

    public Boolean fastLeave() {
        return data.get(FAST_LEAVE);
    }

    public Boolean mcastToUnicast() {
        return data.get(MCAST_TO_UNICAST);
    }

    /** Port attributes not modelled here (state, ids, timers...), raw. */
    public Map<Integer, byte[]> unknownAttributes() {
        return data.unknown();
    }

    /** Options set here that differ in {@code actual}. */
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("BridgePort{");
        data.describe(sb, SPECS);
        return sb.append('}').toString().replace("{, ", "{");
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

        public Builder learning(Boolean v) {
            return set(LEARNING, v);
        }

        public Builder hairpin(Boolean v) {
            return set(HAIRPIN, v);
        }

        public Builder flood(Boolean v) {
            return set(FLOOD, v);
        }

        public Builder neighSuppress(Boolean v) {
            return set(NEIGH_SUPPRESS, v);
        }

        public Builder isolated(Boolean v) {
            return set(ISOLATED, v);
        }

        public Builder mcastFlood(Boolean v) {
            return set(MCAST_FLOOD, v);
        }

        public Builder bcastFlood(Boolean v) {
            return set(BCAST_FLOOD, v);
        }

        public Builder proxyArp(Boolean v) {
            return set(PROXY_ARP, v);
        }

        public Builder priority(Integer v) {
            return set(PRIORITY, v);
        }

        public Builder cost(Integer v) {
            return set(COST, v);
        }

        public Builder guard(Boolean v) {
            return set(GUARD, v);
        }

        public Builder rootBlock(Boolean v) {
            return set(ROOT_BLOCK, v);
        }

        public Builder fastLeave(Boolean v) {
            return set(FAST_LEAVE, v);
        }

        public Builder mcastToUnicast(Boolean v) {
            return set(MCAST_TO_UNICAST, v);
        }

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
