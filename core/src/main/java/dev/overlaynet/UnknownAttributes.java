package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Attributes a codec does not model, kept as the raw TLVs in one array and
 * turned into a map only when someone asks. Decoding a large dump then costs
 * one small array per object instead of a tree map of arrays, and nothing is
 * dropped. Immutable once built.
 */
final class UnknownAttributes extends AbstractMap<Integer, byte[]> {
    private final byte[] tlvs;
    private final int length;
    private volatile Map<Integer, byte[]> parsed;

    private UnknownAttributes(byte[] tlvs, int length) {
        this.tlvs = tlvs;
        this.length = length;
    }

    /** Appends the current attribute of {@code a} to {@code acc} (null starts a new one). */
    static Acc keep(Acc acc, AttrReader a) {
        return keep(acc, a, 64);
    }

    /** As {@link #keep(Acc, AttrReader)}, sizing a new accumulator for {@code capacity} bytes at once. */
    static Acc keep(Acc acc, AttrReader a, int capacity) {
        Acc out = acc == null ? new Acc(capacity) : acc;
        out.add(a);
        return out;
    }

    /** Accumulates raw TLVs while one object is decoded. */
    static final class Acc extends AbstractMap<Integer, byte[]> {
        private byte[] buf;
        private int len;

        Acc(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void add(AttrReader a) {
            int n = a.payloadLength();
            int need = len + 4 + n;
            if (need > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
            }
            buf[len] = (byte) (4 + n);
            buf[len + 1] = (byte) ((4 + n) >>> 8);
            buf[len + 2] = (byte) a.type();
            buf[len + 3] = (byte) (a.type() >>> 8);
            a.copyPayload(buf, len + 4);
            len = need;
        }

        @Override
        public boolean isEmpty() {
            return len == 0;
        }

        UnknownAttributes freeze() {
            return new UnknownAttributes(buf, len);
        }

        @Override
        public Set<Entry<Integer, byte[]>> entrySet() {
            return freeze().entrySet();
        }
    }

    private Map<Integer, byte[]> map() {
        Map<Integer, byte[]> m = parsed;
        if (m == null) {
            TreeMap<Integer, byte[]> t = new TreeMap<>();
            int pos = 0;
            while (pos + 4 <= length) {
                int l = (tlvs[pos] & 0xff) | (tlvs[pos + 1] & 0xff) << 8;
                int type = (tlvs[pos + 2] & 0xff) | (tlvs[pos + 3] & 0xff) << 8;
                t.put(type, Arrays.copyOfRange(tlvs, pos + 4, pos + l));
                pos += l;
            }
            m = Collections.unmodifiableMap(t);
            parsed = m;
        }
        return m;
    }

    @Override
    public Set<Entry<Integer, byte[]>> entrySet() {
        return map().entrySet();
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public byte[] get(Object key) {
        return map().get(key);
    }
}
