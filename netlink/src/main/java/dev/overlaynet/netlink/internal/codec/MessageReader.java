package dev.overlaynet.netlink.internal.codec;
import dev.overlaynet.netlink.NetlinkDecodeException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Walks the netlink messages in a buffer region in place, checking every
 * length before it is used. A flyweight: {@link #next()} moves it to the
 * following message, and accessors describe the current one.
 *
 * <pre>{@code
 * MessageReader r = new MessageReader(buf, 0, n);
 * while (r.next()) {
 *     if (r.type() == RTM_NEWLINK) {
 *         int index = r.i32(r.payloadOffset() + 4);
 *         AttrReader a = r.attrs(16); // attributes after the 16-byte ifinfomsg
 *     }
 * }
 * }</pre>
 */
public final class MessageReader {
    private ByteBuffer buf;
    private int pos;
    private int end;
    private int cur = -1;
    private int curLen;

    public MessageReader() {}

    public MessageReader(ByteBuffer buf, int start, int end) {
        reset(buf, start, end);
    }

    /** Points the reader at {@code [start, end)} of {@code buf}. */
    public MessageReader reset(ByteBuffer buf, int start, int end) {
        if (start < 0 || end > buf.capacity() || start > end) {
            throw new NetlinkDecodeException(start, "region [" + start + "," + end + ") outside buffer of " + buf.capacity());
        }
        this.buf = buf.order() == ByteOrder.nativeOrder() ? buf : buf.duplicate().order(ByteOrder.nativeOrder());
        this.pos = start;
        this.end = end;
        this.cur = -1;
        return this;
    }

    /** Wraps a byte array (tests, fuzzing). */
    public static MessageReader of(byte[] bytes) {
        return new MessageReader(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()), 0, bytes.length);
    }

    /** Advances to the next message; false at the end of the region. */
    public boolean next() {
        if (pos >= end) {
            cur = -1;
            return false;
        }
        if (end - pos < Nlmsg.NLMSG_HDRLEN) {
            throw new NetlinkDecodeException(pos, "truncated nlmsghdr: " + (end - pos) + " bytes left");
        }
        int len = buf.getInt(pos);
        if (len < Nlmsg.NLMSG_HDRLEN || len > end - pos) {
            throw new NetlinkDecodeException(pos, "nlmsg_len " + Integer.toUnsignedString(len)
                    + " outside [16, " + (end - pos) + "]");
        }
        cur = pos;
        curLen = len;
        int aligned = Nlmsg.align(len);
        // The last message of a datagram may omit its alignment padding.
        pos = aligned > end - pos ? end : pos + aligned;
        return true;
    }

    private void requireCurrent() {
        if (cur < 0) {
            throw new IllegalStateException("no current message: call next() first");
        }
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Offset of the current message's header. */
    public int offset() {
        requireCurrent();
        return cur;
    }

    /** nlmsg_len of the current message. */
    public int length() {
        requireCurrent();
        return curLen;
    }

    public int type() {
        requireCurrent();
        return buf.getShort(cur + 4) & 0xffff;
    }

    public int flags() {
        requireCurrent();
        return buf.getShort(cur + 6) & 0xffff;
    }

    public int seq() {
        requireCurrent();
        return buf.getInt(cur + 8);
    }

    public int portId() {
        requireCurrent();
        return buf.getInt(cur + 12);
    }

    /** Offset of the payload (the family header) of the current message. */
    public int payloadOffset() {
        requireCurrent();
        return cur + Nlmsg.NLMSG_HDRLEN;
    }

    /** Payload length of the current message. */
    public int payloadLength() {
        requireCurrent();
        return curLen - Nlmsg.NLMSG_HDRLEN;
    }

    private int checked(int payloadRel, int width) {
        requireCurrent();
        if (payloadRel < 0 || payloadRel + width > curLen - Nlmsg.NLMSG_HDRLEN) {
            throw new NetlinkDecodeException(cur + Nlmsg.NLMSG_HDRLEN + Math.max(0, payloadRel),
                    "family header field of " + width + " bytes at +" + payloadRel
                            + " beyond payload of " + (curLen - Nlmsg.NLMSG_HDRLEN));
        }
        return cur + Nlmsg.NLMSG_HDRLEN + payloadRel;
    }

    /** Unsigned byte at {@code rel} bytes into the payload. */
    public int u8(int rel) {
        return buf.get(checked(rel, 1)) & 0xff;
    }

    /** Host-order unsigned short at {@code rel} bytes into the payload. */
    public int u16(int rel) {
        return buf.getShort(checked(rel, 2)) & 0xffff;
    }

    /** Host-order int at {@code rel} bytes into the payload. */
    public int i32(int rel) {
        return buf.getInt(checked(rel, 4));
    }

    /** Network-order unsigned short at {@code rel} bytes into the payload. */
    public int be16(int rel) {
        int at = checked(rel, 2);
        return ((buf.get(at) & 0xff) << 8) | (buf.get(at + 1) & 0xff);
    }

    /** Requires the payload to hold at least a family header of {@code size} bytes. */
    public void requireHeader(int size) {
        checked(0, size);
    }

    /**
     * Attributes that follow a family header of {@code familyHeaderLen} bytes.
     * Returns a fresh reader; use {@link #attrs(int, AttrReader)} to reuse one.
     */
    public AttrReader attrs(int familyHeaderLen) {
        return attrs(familyHeaderLen, new AttrReader());
    }

    /** Points {@code into} at the attributes after the family header and returns it. */
    public AttrReader attrs(int familyHeaderLen, AttrReader into) {
        if (familyHeaderLen < 0) {
            throw new IllegalArgumentException("familyHeaderLen " + familyHeaderLen + " < 0");
        }
        int start = checked(0, familyHeaderLen) + Nlmsg.align(familyHeaderLen);
        int msgEnd = cur + curLen;
        return into.reset(buf, Math.min(start, msgEnd), msgEnd);
    }
}
