package dev.overlaynet;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Values and field names as iproute2 writes them, for the links' {@code toString}
 * ({@code vxlan0 vxlan id 42 dstport 4789 ...}).
 */
final class IpText {
    private IpText() {}

    /** {@code forwardDelay} -> {@code forward_delay}: the words of {@code ip -d link show}. */
    static String snake(String field) {
        StringBuilder sb = new StringBuilder(field.length() + 4);
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A value in iproute2's form: addresses as text (RFC 5952 for IPv6), booleans as
     * 1/0 (as {@code ip -d link show} prints bridge options), times in centiseconds
     * (the unit of the bridge timers), enums in lower case.
     */
    static String value(Object v) {
        if (v instanceof InetAddress ia) {
            return Ip.text(ia);
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Duration d) {
            return Long.toString(d.toMillis() / 10);
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (v instanceof PortRange r) {
            return r.toString().replace('-', ' ');
        }
        return String.valueOf(v);
    }

    /** An 802.1Q / 802.1ad ethertype by name, as ip prints vlan_protocol. */
    static String vlanProtocol(int ethertype) {
        return switch (ethertype) {
            case 0x8100 -> "802.1Q";
            case 0x88a8 -> "802.1ad";
            default -> String.format("0x%04x", ethertype);
        };
    }
}
