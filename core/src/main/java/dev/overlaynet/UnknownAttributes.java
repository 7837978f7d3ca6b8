package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /**
     * Accumulates raw TLVs while one object is decoded, exactly as they are on
     * the wire (header, payload, padding). Attributes that follow each other in
     * the message are copied as one run: a link message carries ~40 attributes
     * overlaynet does not model, and one small copy out of the direct buffer
     * each was most of the Java time of a link dump. The run is copied by
     * {@link #freeze()}, which every decoder calls before its message's buffer
     * is reused (the value's constructor does).
     */
    static final class Acc extends AbstractMap<Integer, byte[]> {
        private byte[] buf;
        private int len;
        private ByteBuffer runBuf;
        private int runStart;
        private int runEnd;

        Acc(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void add(AttrReader a) {
            int off = a.offset();
            if (runBuf == a.buffer() && off == runEnd) {
                runEnd = a.paddedEnd();
                return;
            }
            flush();
            runBuf = a.buffer();
            runStart = off;
            runEnd = a.paddedEnd();
        }

        private void flush() {
            int n = runEnd - runStart;
            if (n > 0) {
                if (len + n > buf.length) {
                    buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
                }
                runBuf.get(runStart, buf, len, n);
                len += n;
            }
            runBuf = null;
            runStart = 0;
            runEnd = 0;
        }

        @Override
        public boolean isEmpty() {
            return len == 0 && runEnd == runStart;
        }

        UnknownAttributes freeze() {
            flush();
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
            ByteBuffer b = ByteBuffer.wrap(tlvs, 0, length).order(ByteOrder.nativeOrder());
            int pos = 0;
            while (pos + Nlmsg.NLA_HDRLEN <= length) {
                int l = b.getShort(pos) & 0xffff;
                int type = b.getShort(pos + 2) & Nlmsg.NLA_TYPE_MASK;
                if (l < Nlmsg.NLA_HDRLEN || pos + l > length) {
                    break; // cannot happen: the decoder checked every attribute it kept
                }
                t.put(type, Arrays.copyOfRange(tlvs, pos + Nlmsg.NLA_HDRLEN, pos + l));
                pos += Nlmsg.align(l);
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
