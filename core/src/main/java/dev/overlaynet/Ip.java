package dev.overlaynet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IP literal parsing: never a DNS lookup, always a clear message.
 *
 * <pre>{@code
 * InetAddress a = Ip.parse("10.233.0.1");
 * InetAddress b = Ip.parse("fd00::1");
 * }</pre>
 */
public final class Ip {
    private Ip() {}

    /** Parses an IPv4 dotted quad or an IPv6 literal; rejects host names. */
    public static InetAddress parse(String s) {
        return parse("address", s);
    }

    /** As {@link #parse(String)}, naming {@code field} in the error message. */
    public static InetAddress parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        byte[] v4 = parseV4(s);
        if (v4 != null) {
            return of(v4);
        }
        if (s.indexOf(':') >= 0 && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            try {
                // Only hex digits, ':' and '.' reach here: a literal, so no lookup happens.
                // IPv4-mapped forms come back as Inet4Address, which is what the kernel means too.
                return InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(field + " \"" + s + "\" is not an IPv4 or IPv6 address");
    }

    private static byte[] parseV4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String q = p[i];
            if (q.isEmpty() || q.length() > 3 || !q.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(q);
            if (v > 255) {
                return null;
            }
            b[i] = (byte) v;
        }
        return b;
    }

    /** Wraps 4 or 16 bytes. */
    public static InetAddress of(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address needs 4 or 16 bytes, got " + b.length);
        }
    }

    public static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    /** AF_INET or AF_INET6. */
    public static int family(InetAddress a) {
        return a instanceof Inet4Address ? 2 : 10;
    }

    /** Bit length: 32 or 128. */
    public static int bits(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    /**
     * The address as iproute2 prints it: dotted quad, or RFC 5952 for IPv6
     * (lowercase, no leading zeros, the longest run of two or more zero groups
     * as "::"). {@link InetAddress#getHostAddress()} writes IPv6 in full
     * ("fd00:0:0:0:0:0:0:2"), which reads badly next to {@code ip} output.
     *
     * <pre>{@code
     * Ip.text(Ip.parse("fd00:0::2")); // "fd00::2"
     * }</pre>
     */
    public static String text(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
