package dev.overlaynet;

/**
 * Who installed a route ({@code rtm_protocol}, 0..255): the kernel, boot
 * scripts ({@code ip route add} uses {@link #BOOT}), a routing daemon, ...
 *
 * <pre>{@code
 * Route r = Route.builder().dst("10.9.0.0/24").via("10.233.0.5").protocol(RouteProtocol.STATIC).build();
 * }</pre>
 *
 * @param value the protocol number, 0..255
 */
public record RouteProtocol(int value) {
    /** RTPROT_UNSPEC. */
    public static final RouteProtocol UNSPEC = new RouteProtocol(0);
    /** RTPROT_REDIRECT. */
    public static final RouteProtocol REDIRECT = new RouteProtocol(1);
    /** RTPROT_KERNEL: installed by the kernel (e.g. the prefix route of an address). */
    public static final RouteProtocol KERNEL = new RouteProtocol(2);
    /** RTPROT_BOOT: the default of {@code ip route add} and of this library. */
    public static final RouteProtocol BOOT = new RouteProtocol(3);
    /** RTPROT_STATIC: installed by the administrator. */
    public static final RouteProtocol STATIC = new RouteProtocol(4);

    /**
     * Checks the range.
     *
     * @param value the RTPROT_* number, 0..255
     */
    public RouteProtocol {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("protocol " + value + " out of range [0..255]");
        }
    }

    /**
     * {@return the protocol with this RTPROT_* number: a constant for the named ones}
     *
     * @param value 0..255
     */
    public static RouteProtocol of(int value) {
        switch (value) {
            case 0: return UNSPEC;
            case 1: return REDIRECT;
            case 2: return KERNEL;
            case 3: return BOOT;
            case 4: return STATIC;
            default: return new RouteProtocol(value);
        }
    }

    /** The iproute2 name for the well-known values, else the number. */
    @Override
    public String toString() {
        switch (value) {
            case 0: return "unspec";
            case 1: return "redirect";
            case 2: return "kernel";
            case 3: return "boot";
            case 4: return "static";
            default: return Integer.toString(value);
        }
    }
}
