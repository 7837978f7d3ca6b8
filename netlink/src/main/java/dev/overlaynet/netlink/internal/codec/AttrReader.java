package dev.overlaynet.netlink.internal.codec;
import dev.overlaynet.netlink.NetlinkDecodeException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks netlink attributes ({@code struct nlattr}) in place. A flyweight:
 * {@link #next()} moves to the following attribute; typed getters check the
 * payload length and throw {@link NetlinkDecodeException} naming the offset.
 *
 * <pre>{@code
 * AttrReader a = msg.attrs(16);
 * while (a.next()) {
 *     switch (a.type()) {
 *         case IFLA_IFNAME -> name = a.string();
 *         case IFLA_MTU -> mtu = a.u32();
 *         case IFLA_LINKINFO -> parseLinkInfo(a.nested());
 *         default -> unknown.put(a.type(), a.bytes());
 *     }
 * }
 * }</pre>
 *
 * <p>Nesting is never followed implicitly: {@link #nested()} descends one
 * level on request, so hostile nesting depth costs neither stack nor time.
 * A reader knows its depth, and descending below {@link #MAX_DEPTH} throws,
 * so even a recursive decoder cannot be driven into a StackOverflowError.
 */
public final class AttrReader {
    /**
     * Deepest nesting {@link #nested()} follows. The kernel itself nests at most
     * a handful of levels (nftables expressions are the deepest, well below 16).
     */
    public static final int MAX_DEPTH = 32;
    private ByteBuffer buf;
    private int depth;
    private int start;
    private int pos;
    private int end;
    private int cur = -1;
    private int curLen;

    public AttrReader() {}

    public AttrReader(ByteBuffer buf, int start, int end) {
        reset(buf, start, end);
    }

    public AttrReader reset(ByteBuffer buf, int start, int end) {
        if (start < 0 || end > buf.capacity() || start > end) {
            throw new NetlinkDecodeException(start, "attribute region [" + start + "," + end + ") outside buffer");
        }
        this.buf = buf.order() == java.nio.ByteOrder.nativeOrder() ? buf : buf.duplicate().order(java.nio.ByteOrder.nativeOrder());
        this.start = start;
        this.pos = start;
        this.end = end;
        this.cur = -1;
        this.depth = 0;
        return this;
    }

    /** Nesting depth: 0 for top-level attributes, 1 inside one nest, and so on. */
    public int depth() {
        return depth;
    }

    /** Advances to the next attribute; false at the end of the region. */
    public boolean next() {
        if (pos >= end) {
            cur = -1;
            return false;
        }
        if (end - pos < Nlmsg.NLA_HDRLEN) {
            throw new NetlinkDecodeException(pos, "truncated nlattr header: " + (end - pos) + " bytes left");
        }
        int len = buf.getShort(pos) & 0xffff;
        if (len < Nlmsg.NLA_HDRLEN || len > end - pos) {
            throw new NetlinkDecodeException(pos, "nla_len " + len + " outside [4, " + (end - pos) + "]");
        }
        cur = pos;
        curLen = len;
        int aligned = Nlmsg.align(len);
        pos = aligned > end - pos ? end : pos + aligned;
        return true;
    }

    private void requireCurrent() {
        if (cur < 0) {
            throw new IllegalStateException("no current attribute: call next() first");
        }
    }

    /** Attribute type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits. */
    public int type() {
        requireCurrent();
        return buf.getShort(cur + 2) & Nlmsg.NLA_TYPE_MASK;
    }

    /** Attribute type as sent, flag bits included. */
    public int rawType() {
        requireCurrent();
        return buf.getShort(cur + 2) & 0xffff;
    }

    /** The buffer being read (in native byte order). */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Where the current attribute ends with its alignment padding, capped at the region's end. */
    public int paddedEnd() {
        requireCurrent();
        return Math.min(cur + Nlmsg.align(curLen), end);
    }

    /** Offset of the current attribute's header. */
    public int offset() {
        requireCurrent();
        return cur;
    }

    public int payloadOffset() {
        requireCurrent();
        return cur + Nlmsg.NLA_HDRLEN;
    }

    public int payloadLength() {
        requireCurrent();
        return curLen - Nlmsg.NLA_HDRLEN;
    }

    private int need(int width) {
        requireCurrent();
        int have = curLen - Nlmsg.NLA_HDRLEN;
        if (have < width) {
            throw new NetlinkDecodeException(cur, "attribute type " + type() + " has " + have
                    + " payload bytes; expected " + width);
        }
        return cur + Nlmsg.NLA_HDRLEN;
    }

    public int u8() {
        return buf.get(need(1)) & 0xff;
    }

    /** Host byte order. */
    public int u16() {
        return buf.getShort(need(2)) & 0xffff;
    }

    /** Host byte order. */
    public int u32() {
        return buf.getInt(need(4));
    }

    /** Host byte order. */
    public long u64() {
        return buf.getLong(need(8));
    }

    /** Network byte order. */
    public int be16() {
        int at = need(2);
        return ((buf.get(at) & 0xff) << 8) | (buf.get(at + 1) & 0xff);
    }

    /** Network byte order. */
    public int be32() {
        int at = need(4);
        return ((buf.get(at) & 0xff) << 24) | ((buf.get(at + 1) & 0xff) << 16)
                | ((buf.get(at + 2) & 0xff) << 8) | (buf.get(at + 3) & 0xff);
    }

    /** Network byte order. */
    public long be64() {
        int at = need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf.get(at + i) & 0xff);
        }
        return v;
    }

    /** Copies the payload into {@code dst} at {@code offset} (it must have {@link #payloadLength()} bytes free). */
    public void copyPayload(byte[] dst, int offset) {
        int at = need(0);
        buf.get(at, dst, offset, curLen - Nlmsg.NLA_HDRLEN);
    }

    /** The payload bytes. */
    public byte[] bytes() {
        int at = need(0);
        byte[] out = new byte[curLen - Nlmsg.NLA_HDRLEN];
        buf.get(at, out, 0, out.length);
        return out;
    }

    /** Byte offset where this reader's region starts (for errors about the region as a whole). */
    public int regionOffset() {
        return start;
    }

    /**
     * A copy of the whole region this reader walks, from its start whatever
     * {@link #next()} has consumed: for a reader from {@link #nested()}, the
     * nest's payload, to keep an attribute tree raw.
     */
    public byte[] regionBytes() {
        byte[] out = new byte[end - start];
        buf.get(start, out, 0, out.length);
        return out;
    }

    /** The payload up to the first NUL, as bytes (link names are bytes to the kernel). */
    public byte[] stringBytes() {
        int at = need(0);
        int n = curLen - Nlmsg.NLA_HDRLEN;
        int len = 0;
        while (len < n && buf.get(at + len) != 0) {
            len++;
        }
        byte[] out = new byte[len];
        buf.get(at, out, 0, len);
        return out;
    }

    /** The payload up to the first NUL, decoded as UTF-8 (malformed bytes become U+FFFD). */
    public String string() {
        return new String(stringBytes(), StandardCharsets.UTF_8);
    }

    /**
     * The payload as a copy when it is an IPv4 (4 bytes) or IPv6 (16 bytes)
     * address, the form value objects keep for encoding: decoding it this way
     * and building the {@link InetAddress} from it copies the bytes once.
     */
    public byte[] addressBytes() {
        int n = payloadLength();
        if (n != 4 && n != 16) {
            throw new NetlinkDecodeException(cur, "attribute type " + type() + " has " + n
                    + " bytes; expected an IPv4 (4) or IPv6 (16) address");
        }
        return bytes();
    }

    /** A 4- or 16-byte address payload. */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByAddress(addressBytes());
        } catch (UnknownHostException e) {
            throw new NetlinkDecodeException(cur, "bad address: " + e.getMessage());
        }
    }

    /** A fresh reader over the current attribute's payload. */
    public AttrReader nested() {
        return nested(new AttrReader());
    }

    /**
     * Points {@code into} at the current attribute's payload and returns it.
     * Throws {@link NetlinkDecodeException} beyond {@link #MAX_DEPTH} levels.
     */
    public AttrReader nested(AttrReader into) {
        int at = need(0);
        if (depth >= MAX_DEPTH) {
            throw new NetlinkDecodeException(cur, "attribute nesting deeper than " + MAX_DEPTH + " levels");
        }
        int d = depth + 1;
        into.reset(buf, at, cur + curLen);
        into.depth = d;
        return into;
    }
}
