package dev.overlaynet.netlink.internal.nftables;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable run of bytes as nftables carries it in {@code NFTA_DATA_VALUE}
 * (compare operands, masks, immediates) or as user data. Values are in
 * network byte order where the packet field is.
 *
 * <pre>{@code
 * DataValue net = DataValue.of(10, 233);            // first 2 bytes of 10.233.0.0/16
 * DataValue port = DataValue.be16(8080);            // 0x1f90
 * DataValue dev = DataValue.ifname("eth0");         // 16 bytes, NUL padded
 * }</pre>
 */
public final class DataValue {
    private final byte[] bytes;

    private DataValue(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies {@code bytes}. */
    public static DataValue of(byte[] bytes) {
        return new DataValue(bytes.clone());
    }

    /** Bytes given as ints 0..255 (for readable tests and constants). */
    public static DataValue of(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            if (bytes[i] < 0 || bytes[i] > 255) {
                throw new IllegalArgumentException("byte " + i + " = " + bytes[i] + " out of range [0..255]");
            }
            b[i] = (byte) bytes[i];
        }
        return new DataValue(b);
    }

    /** One byte. */
    public static DataValue u8(int v) {
        return new DataValue(new byte[] {(byte) v});
    }

    /** Two bytes, network order (ports). */
    public static DataValue be16(int v) {
        return new DataValue(new byte[] {(byte) (v >>> 8), (byte) v});
    }

    /** Four bytes, network order. */
    public static DataValue be32(int v) {
        return new DataValue(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** The 4 or 16 address bytes. */
    public static DataValue address(InetAddress a) {
        return new DataValue(a.getAddress());
    }

    /** An interface name as {@code meta oifname} compares it: 16 bytes, NUL padded. */
    public static DataValue ifname(String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 15) {
            throw new IllegalArgumentException("interface name \"" + name + "\" is " + n.length + " bytes; max 15");
        }
        return new DataValue(Arrays.copyOf(n, 16));
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Byte {@code i} as 0..255. */
    public int get(int i) {
        return bytes[i] & 0xff;
    }

    byte[] raw() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataValue && Arrays.equals(((DataValue) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex in wire order, e.g. {@code 0x0ae90000}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(2 + bytes.length * 2).append("0x");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
