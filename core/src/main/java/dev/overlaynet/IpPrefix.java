package dev.overlaynet;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address with a prefix length, as in {@code 10.233.0.1/16}. The address
 * keeps its host bits (an interface address is {@code 10.233.0.1/16}, not the
 * network); {@link #network()} masks them.
 *
 * <pre>{@code
 * IpPrefix p = IpPrefix.parse("10.233.0.0/16");
 * p.contains(Ip.parse("10.233.4.2")); // true
 * }</pre>
 */
public final class IpPrefix {
    private final InetAddress address;
    private final int length;

    private IpPrefix(InetAddress address, int length) {
        this.address = address;
        this.length = length;
    }

    /**
     * A prefix of {@code length} bits of {@code address}.
     *
     * @param address the address; host bits are kept
     * @param length 0..32 for IPv4, 0..128 for IPv6
     * @return the prefix
     */
    public static IpPrefix of(InetAddress address, int length) {
        Objects.requireNonNull(address, "address");
        if (length < 0 || length > Ip.bits(address)) {
            throw new IllegalArgumentException("prefix length " + length + " out of range [0.." + Ip.bits(address)
                    + "] for " + Ip.text(address));
        }
        return new IpPrefix(address, length);
    }

    /**
     * Parses {@code ADDR/LEN}; a bare address gets the full length (/32 or /128).
     *
     * @param s the text, e.g. {@code 10.233.0.0/16}
     * @return the prefix
     */
    public static IpPrefix parse(String s) {
        return parse("prefix", s);
    }

    /**
     * As {@link #parse(String)}, naming {@code field} in the error message.
     *
     * @param field the field name for the error message
     * @param s the text, e.g. {@code 10.233.0.0/16}
     * @return the prefix
     */
    public static IpPrefix parse(String field, String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            InetAddress a = Ip.parse(field, s);
            return new IpPrefix(a, Ip.bits(a));
        }
        InetAddress a = Ip.parse(field, s.substring(0, slash));
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(field + " \"" + s + "\": prefix length \"" + len + "\" is not a number");
        }
        if (len.length() > 1 && len.charAt(0) == '0') {
            // iproute2 reads a prefix length with strtoul(..., 0): "010" is 8 there.
            throw new IllegalArgumentException(field + " \"" + s + "\": prefix length \"" + len
                    + "\" has a leading zero, which iproute2 reads as octal");
        }
        int n = Integer.parseInt(len);
        if (n > Ip.bits(a)) {
            throw new IllegalArgumentException(field + " \"" + s + "\": prefix length " + n + " out of range [0.."
                    + Ip.bits(a) + "]");
        }
        return new IpPrefix(a, n);
    }

    /** {@return the address, host bits kept as given} */
    public InetAddress address() {
        return address;
    }

    /** {@return the prefix length} */
    public int length() {
        return length;
    }

    /** {@return true for an IPv4 prefix} */
    public boolean isV4() {
        return Ip.isV4(address);
    }

    /** {@return the prefix with host bits cleared} */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff << (8 - bitsHere));
        }
        return new IpPrefix(Ip.of(b), length);
    }

    /**
     * {@return true when {@code a} lies inside this prefix}
     *
     * @param a the address; one of the other family is never inside
     */
    public boolean contains(InetAddress a) {
        if (Ip.isV4(a) != isV4()) {
            return false;
        }
        return IpPrefix.of(a, length).network().address.equals(network().address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix && ((IpPrefix) o).length == length && ((IpPrefix) o).address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 31 + length;
    }

    @Override
    public String toString() {
        return Ip.text(address) + "/" + length;
    }
}
