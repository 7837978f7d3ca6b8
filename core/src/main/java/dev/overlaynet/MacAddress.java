package dev.overlaynet;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 48-bit Ethernet address. Immutable.
 *
 * <pre>{@code
 * MacAddress m = MacAddress.parse("02:42:ac:11:00:02");
 * MacAddress.ZERO.toString(); // "00:00:00:00:00:00", the flood entry's address
 * }</pre>
 */
public final class MacAddress {
    /** 00:00:00:00:00:00, used by the VXLAN all-zero (flood) FDB entry. */
    public static final MacAddress ZERO = new MacAddress(new byte[6]);

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'); hex digits in either case.
     *
     * @param s the text
     * @return the address
     */
    public static MacAddress parse(String s) {
        if (s == null) {
            throw new IllegalArgumentException("MAC address must not be null");
        }
        String[] parts = s.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address \"" + s + "\": expected 6 hex pairs like 02:42:ac:11:00:02");
        }
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            String p = parts[i];
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("bad MAC address \"" + s + "\": \"" + p + "\" is not a hex pair");
            }
            b[i] = (byte) Integer.parseInt(p, 16);
        }
        return new MacAddress(b);
    }

    /**
     * Wraps 6 bytes (copied).
     *
     * @param b 6 bytes
     * @return the address
     */
    public static MacAddress of(byte[] b) {
        if (b == null || b.length != 6) {
            throw new IllegalArgumentException("MAC address needs 6 bytes, got " + (b == null ? "null" : b.length));
        }
        return new MacAddress(b.clone());
    }

    /** Wraps 6 bytes without copying (decoders hand over a fresh array). */
    static MacAddress wrap(byte[] b) {
        return new MacAddress(b);
    }

    /** {@return a random locally administered unicast address (02:xx:...)} */
    public static MacAddress randomLocal() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        return new MacAddress(b);
    }

    /** {@return a copy of the 6 bytes} */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The 6 bytes without copying; callers must not modify them. */
    byte[] bytesUnsafe() {
        return bytes;
    }

    /** {@return true for 00:00:00:00:00:00 (the FDB's "all hosts" entry)} */
    public boolean isZero() {
        return equals(ZERO);
    }

    /** {@return true when the group bit (lowest bit of the first byte) is set; broadcast included} */
    public boolean isMulticast() {
        return (bytes[0] & 1) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && Arrays.equals(bytes, ((MacAddress) o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int v = bytes[i] & 0xff;
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        return sb.toString();
    }
}
