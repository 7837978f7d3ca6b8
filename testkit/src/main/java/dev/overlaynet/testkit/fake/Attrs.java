package dev.overlaynet.testkit.fake;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Netlink attributes as plain values: an ordered map from type (flag bits
 * stripped) to payload, kept with the type as sent so that it echoes back
 * byte for byte. The fake kernel stores objects this way and answers reads
 * with what was written, as the kernel does for most attributes.
 */
final class Attrs {
    static final int NLA_TYPE_MASK = 0x3fff;

    /** Raw type as sent, by masked type. */
    final Map<Integer, Integer> rawTypes = new LinkedHashMap<>();
    final Map<Integer, byte[]> values = new LinkedHashMap<>();

    static Attrs parse(byte[] b, int off, int end) {
        Attrs a = new Attrs();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        int p = off;
        while (p + 4 <= end) {
            int len = bb.getShort(p) & 0xffff;
            int type = bb.getShort(p + 2) & 0xffff;
            if (len < 4 || p + len > end) {
                throw new IllegalArgumentException("malformed attribute at " + p + ": length " + len);
            }
            a.put(type, Arrays.copyOfRange(b, p + 4, p + len));
            p += (len + 3) & ~3;
        }
        return a;
    }

    static Attrs parse(byte[] payload) {
        return parse(payload, 0, payload.length);
    }

    Attrs copy() {
        Attrs c = new Attrs();
        rawTypes.forEach((t, r) -> c.put(r, values.get(t).clone()));
        return c;
    }

    void put(int rawType, byte[] value) {
        int t = rawType & NLA_TYPE_MASK;
        rawTypes.put(t, rawType);
        values.put(t, value);
    }

    void remove(int type) {
        rawTypes.remove(type);
        values.remove(type);
    }

    boolean has(int type) {
        return values.containsKey(type);
    }

    byte[] get(int type) {
        return values.get(type);
    }

    Integer u32(int type) {
        byte[] v = values.get(type);
        return v == null || v.length < 4 ? null : ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt(0);
    }

    String string(int type) {
        byte[] v = values.get(type);
        if (v == null) {
            return null;
        }
        int n = 0;
        while (n < v.length && v[n] != 0) {
            n++;
        }
        return new String(v, 0, n, StandardCharsets.UTF_8);
    }

    /** Every attribute of {@code other} replaces or joins ours. */
    void merge(Attrs other) {
        other.rawTypes.forEach((t, r) -> put(r, other.values.get(t)));
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rawTypes.forEach((t, r) -> write(out, r, values.get(t)));
        return out.toByteArray();
    }

    static void write(ByteArrayOutputStream out, int rawType, byte[] value) {
        ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        h.putShort(0, (short) (4 + value.length)).putShort(2, (short) rawType);
        out.writeBytes(h.array());
        out.writeBytes(value);
        for (int pad = ((value.length + 3) & ~3) - value.length; pad > 0; pad--) {
            out.write(0);
        }
    }

    static byte[] u32Bytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v).array();
    }

    static byte[] stringBytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }

    /** A canonical text of the attributes, for snapshots. */
    String describe() {
        List<String> parts = new ArrayList<>();
        values.forEach((t, v) -> parts.add(t + "=" + hex(v)));
        return String.join(",", parts);
    }

    static String hex(byte[] v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
