package dev.overlaynet.testkit.fake;

import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The messages answering one request, built by a {@link Responder} or the
 * fake kernel's model. Every message gets the request's sequence number and
 * the socket's port id; they travel in one datagram.
 *
 * <pre>{@code
 * (request, reply) -> {
 *     reply.message(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_MULTI, payload);
 *     reply.done();
 * }
 * }</pre>
 */
public final class Reply {
    private final Request request;
    private final int portId;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int errno = -1;

    Reply(Request request, int portId) {
        this.request = request;
        this.portId = portId;
    }

    /**
     * One message of {@code type} with {@code payload} (family header and attributes).
     *
     * @param type nlmsg_type
     * @param flags nlmsg_flags
     * @param payload the family header and attributes
     * @return this reply
     */
    public Reply message(int type, int flags, byte[] payload) {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        int len = 16 + payload.length;
        h.putInt(0, len).putShort(4, (short) type).putShort(6, (short) flags)
                .putInt(8, request.seq()).putInt(12, portId);
        out.writeBytes(h.array());
        out.writeBytes(payload);
        for (int pad = ((len + 3) & ~3) - len; pad > 0; pad--) {
            out.write(0);
        }
        return this;
    }

    /**
     * The success ack, if the request asked for one (NLM_F_ACK).
     *
     * @return this reply
     */
    public Reply ack() {
        if ((request.flags() & Nlmsg.NLM_F_ACK) != 0) {
            errorMessage(0, null);
        }
        if (errno < 0) {
            errno = 0;
        }
        return this;
    }

    /**
     * The error {@code errno} (positive, e.g. {@code Errno.EEXIST.intValue()})
     * with optional extended-ack text, as the kernel sends it: capped, with
     * the request's header echoed.
     *
     * @param errno the positive errno, e.g. {@code Errno.EPERM.intValue()}
     * @param extAck the extended-ack text, or null
     * @return this reply
     */
    public Reply error(int errno, String extAck) {
        if (errno <= 0) {
            throw new IllegalArgumentException("errno " + errno + " must be positive; use ack() for success");
        }
        errorMessage(errno, extAck);
        this.errno = errno;
        return this;
    }

    /**
     * The end of a dump (NLMSG_DONE with error 0).
     *
     * @return this reply
     */
    public Reply done() {
        message(Nlmsg.NLMSG_DONE, Nlmsg.NLM_F_MULTI, new byte[4]);
        if (errno < 0) {
            errno = 0;
        }
        return this;
    }

    private void errorMessage(int errno, String extAck) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(Attrs.u32Bytes(-errno));
        p.write(request.raw(), 0, 16);
        int flags = Nlmsg.NLM_F_CAPPED;
        if (extAck != null) {
            flags |= Nlmsg.NLM_F_ACK_TLVS;
            Attrs.write(p, Nlmsg.NLMSGERR_ATTR_MSG, Attrs.stringBytes(extAck));
        }
        message(Nlmsg.NLMSG_ERROR, flags, p.toByteArray());
    }

    /** The errno this reply carries: 0 for success, -1 when nothing decided it yet. */
    int errno() {
        return errno;
    }

    boolean isEmpty() {
        return out.size() == 0;
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
