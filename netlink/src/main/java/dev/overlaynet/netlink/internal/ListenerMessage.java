package dev.overlaynet.netlink.internal;

import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import java.nio.ByteBuffer;

/**
 * The {@link NetlinkMessage} a listener gets: the header read from the reader's
 * current message, the bytes copied only if asked, and only until
 * {@link #detach()} (the buffer is reused after the call). Made only when a
 * listener is set.
 */
final class ListenerMessage implements NetlinkMessage {
    private final NetlinkProtocol protocol;
    private final int type;
    private final int flags;
    private final int seq;
    private final int portId;
    private final int length;
    private ByteBuffer buf;
    private final int offset;

    ListenerMessage(NetlinkProtocol protocol, MessageReader m) {
        this.protocol = protocol;
        this.type = m.type();
        this.flags = m.flags();
        this.seq = m.seq();
        this.portId = m.portId();
        this.length = m.length();
        this.buf = m.buffer();
        this.offset = m.offset();
    }

    /** Ends access to the bytes: the listener call returned. */
    void detach() {
        buf = null;
    }

    @Override
    public NetlinkProtocol protocol() {
        return protocol;
    }

    @Override
    public int type() {
        return type;
    }

    @Override
    public int flags() {
        return flags;
    }

    @Override
    public int seq() {
        return seq;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public byte[] bytes() {
        ByteBuffer b = buf;
        if (b == null) {
            throw new IllegalStateException("a listener message's bytes are readable only during the listener call");
        }
        byte[] out = new byte[length];
        b.get(offset, out);
        return out;
    }

    @Override
    public String toString() {
        return protocol + " type=" + type + " flags=0x" + Integer.toHexString(flags) + " seq="
                + Integer.toUnsignedString(seq) + " pid=" + Integer.toUnsignedString(portId) + " len=" + length;
    }
}
