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

    /**
     * Parses an IPv4 dotted quad or an IPv6 literal; rejects host names.
     *
     * <p>IPv4 text must be canonical dotted decimal: four parts, each 0-255
     * in ASCII decimal without leading zeros. Every other form that some
     * parser accepts is refused, because parsers disagree on it: iproute2,
     * ping and inet_aton read {@code 010.1.1.1} as octal (8.1.1.1), others as
     * decimal (10.1.1.1), and {@code 0x0a.1}, {@code 10.1} or {@code 167772161}
     * are shorthand some tools expand (the class of CVE-2021-29921). The same
     * holds for an IPv4 tail inside an IPv6 literal ({@code ::ffff:1.2.3.4}).
     *
     * @param s the text
     * @return the address
     * @throws IllegalArgumentException if {@code s} is not a canonical IPv4 or IPv6 literal
     */
    public static InetAddress parse(String s) {
        return parse("address", s);
    }

    /**
     * As {@link #parse(String)}, naming {@code field} in the error message.
     *
     * @param field the field name for the error message
     * @param s the text
     * @return the address
     */
    public static InetAddress parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (s.indexOf(':') < 0) {
            return of(parseV4(field, s, s));
        }
        if (s.chars().allMatch(c -> c == ':' || c == '.' || isHexDigit(c))) {
            int lastColon = s.lastIndexOf(':');
            if (s.indexOf('.', lastColon) >= 0) {
                parseV4(field, s, s.substring(lastColon + 1)); // the same rules for an embedded IPv4 tail
            }
            try {
                // Only ASCII hex digits, ':' and '.' reach here: a literal, so no lookup happens.
                // IPv4-mapped forms come back as Inet4Address, which is what the kernel means too.
                return InetAddress.getByName(s);
            } catch (UnknownHostException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(field + " \"" + s + "\" is not an IPv4 or IPv6 address");
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isAsciiDigits(String q) {
        return !q.isEmpty() && q.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Canonical dotted decimal or an IllegalArgumentException saying which
     * rule {@code v4} (all of {@code whole}, or its IPv4 tail) breaks.
     */
    private static byte[] parseV4(String field, String whole, String v4) {
        String bad = field + " \"" + whole + "\"";
        if (!v4.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9') || c == 'x' || c == 'X' || isHexDigit(c))) {
            throw new IllegalArgumentException(bad + " is not an IPv4 or IPv6 address");
        }
        String[] p = v4.split("\\.", -1);
        for (String q : p) {
            if (q.length() > 1 && q.charAt(0) == '0' && (q.charAt(1) == 'x' || q.charAt(1) == 'X')) {
                throw new IllegalArgumentException(bad + ": hexadecimal part \"" + q
                        + "\" is not accepted; write IPv4 in dotted decimal (a.b.c.d)");
            }
        }
        if (!v4.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException(bad + " is not an IPv4 or IPv6 address");
        }
        if (p.length != 4) {
            throw new IllegalArgumentException(bad + " has " + p.length + " part" + (p.length == 1 ? "" : "s")
                    + "; IPv4 needs exactly 4 in dotted decimal (a.b.c.d), shorthand forms are read differently by"
                    + " different tools");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String q = p[i];
            if (!isAsciiDigits(q)) {
                throw new IllegalArgumentException(bad + ": part " + (i + 1) + " is empty");
            }
            if (q.length() > 1 && q.charAt(0) == '0') {
                throw new IllegalArgumentException(bad + ": part \"" + q + "\" has a leading zero, which iproute2"
                        + " and ping read as octal; write it without leading zeros");
            }
            if (q.length() > 3 || Integer.parseInt(q) > 255) {
                throw new IllegalArgumentException(bad + ": part " + q + " is above 255");
            }
            b[i] = (byte) Integer.parseInt(q);
        }
        return b;
    }

    /**
     * Wraps 4 or 16 bytes.
     *
     * @param b the address bytes, network order
     * @return the address
     */
    public static InetAddress of(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address needs 4 or 16 bytes, got " + b.length);
        }
    }

    /**
     * {@return true for an IPv4 address}
     *
     * @param a the address
     */
    public static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }

    /**
     * AF_INET or AF_INET6.
     *
     * @param a the address
     * @return the family
     */
    public static int family(InetAddress a) {
        return a instanceof Inet4Address ? 2 : 10;
    }

    /**
     * Bit length: 32 or 128.
     *
     * @param a the address
     * @return 32 or 128
     */
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
     *
     * @param a the address
     * @return its text
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
