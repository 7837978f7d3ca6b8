package dev.overlaynet.netlink.internal.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Appends netlink messages (header, family header, attributes) into one
 * reusable direct buffer. Lengths of messages and nests are reserved and
 * patched afterwards, so writing allocates nothing once the buffer has grown
 * to its working size.
 *
 * <p>Byte order is in the method name: {@code u16/u32/u64} are host order,
 * {@code be16/be32/be64} network order. Several messages may be written one
 * after the other to form a batch; {@link dev.overlaynet.netlink.internal.NetlinkSocket}
 * stamps sequence numbers when it sends them.
 *
 * <pre>{@code
 * MessageWriter w = new MessageWriter(4096);
 * int msg = w.begin(RtNetlink.RTM_NEWLINK, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
 * w.ifinfomsg(AF_UNSPEC, 0, 0, 0, 0).string(IFLA_IFNAME, "br0");
 * int info = w.nestStart(IFLA_LINKINFO);
 * w.string(IFLA_INFO_KIND, "bridge");
 * w.nestEnd(info).end(msg);
 * }</pre>
 *
 * <p>Not thread-safe: one writer per thread or per request.
 */
public final class MessageWriter {
    private static final int MAX_CAPACITY = 64 << 20;
    private ByteBuffer buf;
    private int pos;
    private int messages;

    public MessageWriter() {
        this(8192);
    }

    public MessageWriter(int initialCapacity) {
        buf = ByteBuffer.allocateDirect(Math.max(64, initialCapacity)).order(ByteOrder.nativeOrder());
    }

    /** Forgets all messages; keeps the buffer. */
    public MessageWriter clear() {
        pos = 0;
        messages = 0;
        return this;
    }

    /** The backing direct buffer; bytes {@code [0, length())} are the messages written. */
    public ByteBuffer buffer() {
        return buf;
    }

    /** Bytes written so far. */
    public int length() {
        return pos;
    }

    /** Messages begun so far. */
    public int messageCount() {
        return messages;
    }

    private void ensure(int more) {
        int need = pos + more;
        if (need <= buf.capacity()) {
            return;
        }
        if (need > MAX_CAPACITY) {
            throw new IllegalStateException("netlink request would exceed " + MAX_CAPACITY + " bytes");
        }
        int cap = buf.capacity();
        while (cap < need) {
            cap <<= 1;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
        // Absolute copy: the buffer's position must stay 0, because native calls
        // (jnr-ffi) pass a direct buffer's address plus its position.
        bigger.put(0, buf, 0, pos);
        buf = bigger;
    }

    private void pad() {
        int aligned = Nlmsg.align(pos);
        while (pos < aligned) {
            buf.put(pos++, (byte) 0);
        }
    }

    /**
     * Starts a message: writes a {@code struct nlmsghdr} with length, sequence
     * and port left zero. Returns the message's offset for {@link #end(int)}.
     */
    public int begin(int type, int flags) {
        ensure(Nlmsg.NLMSG_HDRLEN);
        int start = pos;
        buf.putInt(pos, 0);
        buf.putShort(pos + 4, (short) type);
        buf.putShort(pos + 6, (short) (flags | Nlmsg.NLM_F_REQUEST));
        buf.putInt(pos + 8, 0);
        buf.putInt(pos + 12, 0);
        pos += Nlmsg.NLMSG_HDRLEN;
        messages++;
        return start;
    }

    /** Ends the message begun at {@code start}: patches its length and aligns. */
    public MessageWriter end(int start) {
        pad();
        buf.putInt(start, pos - start);
        return this;
    }

    // ---- family headers -------------------------------------------------

    /** struct ifinfomsg (16 bytes). */
    public MessageWriter ifinfomsg(int family, int type, int index, int flags, int change) {
        ensure(16);
        buf.put(pos, (byte) family);
        buf.put(pos + 1, (byte) 0);
        buf.putShort(pos + 2, (short) type);
        buf.putInt(pos + 4, index);
        buf.putInt(pos + 8, flags);
        buf.putInt(pos + 12, change);
        pos += 16;
        return this;
    }

    /** struct ifaddrmsg (8 bytes). */
    public MessageWriter ifaddrmsg(int family, int prefixlen, int flags, int scope, int index) {
        ensure(8);
        buf.put(pos, (byte) family);
        buf.put(pos + 1, (byte) prefixlen);
        buf.put(pos + 2, (byte) flags);
        buf.put(pos + 3, (byte) scope);
        buf.putInt(pos + 4, index);
        pos += 8;
        return this;
    }

    /** struct rtmsg (12 bytes). */
    public MessageWriter rtmsg(int family, int dstLen, int srcLen, int tos, int table, int protocol,
                               int scope, int type, int flags) {
        ensure(12);
        buf.put(pos, (byte) family);
        buf.put(pos + 1, (byte) dstLen);
        buf.put(pos + 2, (byte) srcLen);
        buf.put(pos + 3, (byte) tos);
        buf.put(pos + 4, (byte) table);
        buf.put(pos + 5, (byte) protocol);
        buf.put(pos + 6, (byte) scope);
        buf.put(pos + 7, (byte) type);
        buf.putInt(pos + 8, flags);
        pos += 12;
        return this;
    }

    /** struct ndmsg (12 bytes). */
    public MessageWriter ndmsg(int family, int ifindex, int state, int flags, int type) {
        ensure(12);
        buf.put(pos, (byte) family);
        buf.put(pos + 1, (byte) 0);
        buf.putShort(pos + 2, (short) 0);
        buf.putInt(pos + 4, ifindex);
        buf.putShort(pos + 8, (short) state);
        buf.put(pos + 10, (byte) flags);
        buf.put(pos + 11, (byte) type);
        pos += 12;
        return this;
    }

    /** struct nfgenmsg (4 bytes); {@code resId} is big-endian on the wire. */
    public MessageWriter nfgenmsg(int family, int version, int resId) {
        ensure(4);
        buf.put(pos, (byte) family);
        buf.put(pos + 1, (byte) version);
        buf.put(pos + 2, (byte) (resId >>> 8));
        buf.put(pos + 3, (byte) resId);
        pos += 4;
        return this;
    }

    /** Raw bytes without an attribute header (for family headers not listed here). */
    public MessageWriter raw(byte[] bytes) {
        ensure(bytes.length);
        buf.put(pos, bytes, 0, bytes.length);
        pos += bytes.length;
        return this;
    }

    // ---- attributes -----------------------------------------------------

    private void header(int type, int payloadLen) {
        ensure(Nlmsg.align(Nlmsg.NLA_HDRLEN + payloadLen));
        buf.putShort(pos, (short) (Nlmsg.NLA_HDRLEN + payloadLen));
        buf.putShort(pos + 2, (short) type);
        pos += Nlmsg.NLA_HDRLEN;
    }

    /** An attribute with no payload. */
    public MessageWriter flag(int type) {
        header(type, 0);
        return this;
    }

    public MessageWriter u8(int type, int v) {
        header(type, 1);
        buf.put(pos++, (byte) v);
        pad();
        return this;
    }

    /** Host byte order. */
    public MessageWriter u16(int type, int v) {
        header(type, 2);
        buf.putShort(pos, (short) v);
        pos += 2;
        pad();
        return this;
    }

    /** Host byte order. */
    public MessageWriter u32(int type, int v) {
        header(type, 4);
        buf.putInt(pos, v);
        pos += 4;
        return this;
    }

    /** Host byte order. */
    public MessageWriter u64(int type, long v) {
        header(type, 8);
        buf.putLong(pos, v);
        pos += 8;
        return this;
    }

    /** Network byte order. */
    public MessageWriter be16(int type, int v) {
        header(type, 2);
        buf.put(pos, (byte) (v >>> 8));
        buf.put(pos + 1, (byte) v);
        pos += 2;
        pad();
        return this;
    }

    /** Network byte order. */
    public MessageWriter be32(int type, int v) {
        header(type, 4);
        buf.putInt(pos, buf.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v));
        pos += 4;
        return this;
    }

    /** Network byte order. */
    public MessageWriter be64(int type, long v) {
        header(type, 8);
        buf.putLong(pos, buf.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v));
        pos += 8;
        return this;
    }

    /** A NUL-terminated string (NLA_NUL_STRING / NLA_STRING as iproute2 sends it). */
    public MessageWriter string(int type, String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (!ascii) {
            return stringBytes(type, s.getBytes(StandardCharsets.UTF_8));
        }
        header(type, n + 1);
        for (int i = 0; i < n; i++) {
            buf.put(pos++, (byte) s.charAt(i));
        }
        buf.put(pos++, (byte) 0);
        pad();
        return this;
    }

    /** A NUL-terminated string given as bytes (names are bytes to the kernel, not UTF-8). */
    public MessageWriter stringBytes(int type, byte[] s) {
        header(type, s.length + 1);
        buf.put(pos, s, 0, s.length);
        pos += s.length;
        buf.put(pos++, (byte) 0);
        pad();
        return this;
    }

    public MessageWriter bytes(int type, byte[] b) {
        return bytes(type, b, 0, b.length);
    }

    public MessageWriter bytes(int type, byte[] b, int off, int len) {
        header(type, len);
        buf.put(pos, b, off, len);
        pos += len;
        pad();
        return this;
    }

    /**
     * Opens a nested attribute; returns its offset for {@link #nestEnd(int)}.
     * Pass {@code type | Nlmsg.NLA_F_NESTED} where the family expects the flag
     * (nftables does, rtnetlink's IFLA_LINKINFO traditionally does not).
     */
    public int nestStart(int type) {
        int start = pos;
        header(type, 0);
        return start;
    }

    /** Closes the nest opened at {@code start}, patching its length. */
    public MessageWriter nestEnd(int start) {
        pad();
        buf.putShort(start, (short) (pos - start));
        return this;
    }

    /** Copies the written bytes out (for tests and logging). */
    public byte[] toByteArray() {
        byte[] out = new byte[pos];
        buf.get(0, out, 0, pos);
        return out;
    }
}
