package dev.overlaynet;

/**
 * An inclusive UDP source port range (IFLA_VXLAN_PORT_RANGE). The kernel
 * reports {@code 0-0} for "let the kernel choose", and builders accept it
 * back; otherwise they take ports 1..65535.
 *
 * <pre>{@code
 * Vxlan.builder().name("vxlan0").vni(42).srcPortRange(new PortRange(32768, 61000));
 * }</pre>
 *
 * @param low first port
 * @param high last port, not below {@code low}
 */
public record PortRange(int low, int high) {
    /**
     * Checks the bounds.
     *
     * @param low the lowest port, 0..65535
     * @param high the highest port, low..65535
     */
    public PortRange {
        if (low < 0 || low > 65535 || high < 0 || high > 65535) {
            throw new IllegalArgumentException("port range " + low + "-" + high + " outside [0..65535]");
        }
        if (high < low) {
            throw new IllegalArgumentException("port range " + low + "-" + high + ": high below low");
        }
    }

    @Override
    public String toString() {
        return low + "-" + high;
    }
}
