package dev.overlaynet;

/**
 * The type of a route ({@code rtm_type}, the kernel's RTN_* values).
 *
 * <pre>{@code
 * Route drop = Route.builder().dst("10.77.0.0/16").type(RouteType.BLACKHOLE).build();
 * }</pre>
 */
public enum RouteType {
    /** RTN_UNSPEC: not given. */
    UNSPEC(0),
    /** RTN_UNICAST: a gateway or direct route, the usual kind. */
    UNICAST(1),
    /** RTN_LOCAL: an address of this host (the local table). */
    LOCAL(2),
    /** RTN_BROADCAST: a broadcast address, sent as broadcast. */
    BROADCAST(3),
    /** RTN_ANYCAST: a local anycast address, answered but not used as a source. */
    ANYCAST(4),
    /** RTN_MULTICAST: a multicast route. */
    MULTICAST(5),
    /** RTN_BLACKHOLE: packets are dropped silently. */
    BLACKHOLE(6),
    /** RTN_UNREACHABLE: packets are dropped with ICMP host unreachable. */
    UNREACHABLE(7),
    /** RTN_PROHIBIT: packets are dropped with ICMP administratively prohibited. */
    PROHIBIT(8),
    /** RTN_THROW: the lookup goes on in the next rule's table. */
    THROW(9),
    /** RTN_NAT: stateless NAT; Linux no longer implements it. */
    NAT(10),
    /** RTN_XRESOLVE: resolution by an external resolver; Linux does not implement it. */
    XRESOLVE(11);

    private final int value;

    RouteType(int value) {
        this.value = value;
    }

    /** {@return the RTN_* number} */
    public int value() {
        return value;
    }

    /**
     * {@return the type with this RTN_* number}
     *
     * @param value the RTN_* number
     */
    public static RouteType of(int value) {
        RouteType[] all = values();
        if (value < 0 || value >= all.length) {
            throw new IllegalArgumentException("route type " + value + " is not an RTN_* value [0..11]");
        }
        return all[value];
    }

    /** The iproute2 name, e.g. {@code unicast}, {@code blackhole}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
