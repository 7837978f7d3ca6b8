package dev.overlaynet;

/**
 * The type of a route ({@code rtm_type}, the kernel's RTN_* values).
 *
 * <pre>{@code
 * Route drop = Route.builder().dst("10.77.0.0/16").type(RouteType.BLACKHOLE).build();
 * }</pre>
 */
public enum RouteType {
    UNSPEC(0), UNICAST(1), LOCAL(2), BROADCAST(3), ANYCAST(4), MULTICAST(5), BLACKHOLE(6),
    UNREACHABLE(7), PROHIBIT(8), THROW(9), NAT(10), XRESOLVE(11);

    private final int value;

    RouteType(int value) {
        this.value = value;
    }

    /** {@return the RTN_* number} */
    public int value() {
        return value;
    }

    /** {@return the type with this RTN_* number} */
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
