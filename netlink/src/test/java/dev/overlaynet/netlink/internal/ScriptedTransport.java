package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkTransport;

import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import jnr.constants.platform.Errno;

/**
 * A minimal in-process kernel for unit tests of this package: each request
 * message sent is handed to a responder, which queues reply datagrams; an
 * empty queue on receive is a timeout (ETIMEDOUT), at once.
 */
class ScriptedTransport implements NetlinkTransport {
    static final int PORT = 4242;

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final BiConsumer<MessageReader, ScriptedTransport> responder;
    final List<Integer> sentTypes = new ArrayList<>();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder());
    volatile boolean closed;

    ScriptedTransport(BiConsumer<MessageReader, ScriptedTransport> responder) {
        this.responder = responder;
    }

    /** Answers every request with NLM_F_ACK with a success ack. */
    static void ackEach(MessageReader m, ScriptedTransport t) {
        if ((m.flags() & Nlmsg.NLM_F_ACK) != 0) {
            t.queue(t.ack(m.seq(), 0));
        }
    }

    /** One datagram holding the given messages. */
    void queue(byte[]... messages) {
        int n = 0;
        for (byte[] m : messages) {
            n += m.length;
        }
        ByteBuffer d = ByteBuffer.allocate(n);
        for (byte[] m : messages) {
            d.put(m);
        }
        queue.add(d.array());
    }

    byte[] message(int type, int flags, int seq, int ifindex) {
        MessageWriter w = new MessageWriter(64);
        int m = w.begin(type, flags);
        w.ifinfomsg(0, 0, ifindex, 0, 0).end(m);
        return stamp(w, seq);
    }

    byte[] done(int seq) {
        MessageWriter w = new MessageWriter(64);
        int m = w.begin(Nlmsg.NLMSG_DONE, Nlmsg.NLM_F_MULTI);
        w.raw(new byte[4]).end(m);
        return stamp(w, seq);
    }

    byte[] ack(int seq, int errno) {
        MessageWriter w = new MessageWriter(64);
        int m = w.begin(Nlmsg.NLMSG_ERROR, Nlmsg.NLM_F_CAPPED);
        ByteBuffer p = ByteBuffer.allocate(4 + 16).order(ByteOrder.nativeOrder());
        p.putInt(0, -errno);
        w.raw(p.array()).end(m);
        return stamp(w, seq);
    }

    private static byte[] stamp(MessageWriter w, int seq) {
        byte[] b = w.toByteArray();
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(8, seq).putInt(12, PORT);
        return b;
    }

    @Override
    public NetlinkProtocol protocol() {
        return NetlinkProtocol.NETLINK_ROUTE;
    }

    @Override
    public int portId() {
        return PORT;
    }

    @Override
    public int receiveBufferBytes() {
        return 1 << 20;
    }

    @Override
    public void send(ByteBuffer b, int offset, int length) {
        MessageReader m = new MessageReader();
        m.reset(b, offset, offset + length);
        while (m.next()) {
            sentTypes.add(m.type());
            responder.accept(m, this);
        }
    }

    @Override
    public int receive() throws NetlinkException {
        byte[] d = queue.poll();
        if (d == null) {
            throw new NetlinkException(Errno.ETIMEDOUT.intValue(), "scripted receive", "no reply queued", -1);
        }
        buf.put(0, d);
        return d.length;
    }

    @Override
    public ByteBuffer buffer() {
        return buf;
    }

    @Override
    public long droppedDatagrams() {
        return 0;
    }

    @Override
    public int interfaceIndex(String name) throws NetlinkException {
        return -1;
    }

    @Override
    public void close() {
        closed = true;
    }
}
