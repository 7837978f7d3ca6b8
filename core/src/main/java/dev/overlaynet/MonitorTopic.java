package dev.overlaynet;

/**
 * What a {@link Monitor} can watch, and the value type its events carry.
 *
 * <pre>{@code
 * try (Subscription s = nl.monitor().topics(MonitorTopic.NEIGH, MonitorTopic.FDB).subscribe()) {
 *     MonitorEvent e = s.take();
 *     if (e.topic() == MonitorTopic.NEIGH) { Neighbour n = e.value(Neighbour.class); }
 * }
 * }</pre>
 */
public enum MonitorTopic {
    /** {@link Link} (and its kinds: {@link Vxlan}, {@link Bridge}, ...), RTNLGRP_LINK. */
    LINK(Link.class),
    /** IPv4 and IPv6 {@link Address}es, RTNLGRP_IPV4_IFADDR and RTNLGRP_IPV6_IFADDR. */
    ADDRESS(Address.class),
    /** IPv4 and IPv6 {@link Route}s of every table, RTNLGRP_IPV4_ROUTE and RTNLGRP_IPV6_ROUTE. */
    ROUTE(Route.class),
    /** IPv4 and IPv6 neighbour ({@link Neighbour}) entries, RTNLGRP_NEIGH. */
    NEIGH(Neighbour.class),
    /** Bridge and VXLAN forwarding entries ({@link FdbEntry}, AF_BRIDGE), RTNLGRP_NEIGH. */
    FDB(FdbEntry.class),
    /** nftables rules as {@link OwnedRule} (typed {@link NatRule} when they have that shape), NFNLGRP_NFTABLES. */
    NAT_RULE(OwnedRule.class);

    private final Class<?> valueType;

    MonitorTopic(Class<?> valueType) {
        this.valueType = valueType;
    }

    /** {@return the class of {@link MonitorEvent#value()} for this topic} */
    public Class<?> valueType() {
        return valueType;
    }
}
