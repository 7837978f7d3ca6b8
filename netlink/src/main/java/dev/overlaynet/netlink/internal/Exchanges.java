package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.NetlinkTransport;
import dev.overlaynet.netlink.RequestDescriber;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchanges of a {@link NetlinkSocket} and their sequence matching: acked
 * requests and batches, nfnetlink transactions and dumps, over a
 * {@link NetlinkTransport}. Stamps each request with flags and a sequence
 * number, matches every reply to its request by port id and sequence
 * (dropping and counting the rest), and drains a dump an earlier call left
 * unread so the kernel does not refuse the next one with EBUSY.
 *
 * <p>Not thread-safe: every method runs under the owning socket's lock. The
 * readers, the message index and the sequence counter are reused, so an
 * exchange allocates nothing per message.
 */
public final class Exchanges {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkSocket.class);

    private final NetlinkTransport transport;
    private final NetlinkProtocol protocol;
    private final NetlinkSocketOptions options;
    private final NetlinkListener listener;
    private final int portId;
    private final int chunkMessages;
    private final AtomicLong dropped = new AtomicLong();
    private final MessageReader reader = new MessageReader();
    private final MessageReader scan = new MessageReader();
    private final AttrReader ackAttrs = new AttrReader();
    private int nextSeq = 1;
    /** Sequence of a dump left unread by a failure (timeout, overrun); 0 if none. */
    private int abandonedDumpSeq;
    private final int[] oneErrno = new int[1];
    private final NetlinkException[] oneFailure = new NetlinkException[1];
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];

    Exchanges(NetlinkTransport transport, NetlinkSocketOptions options) {
        this.transport = transport;
        this.protocol = transport.protocol();
        this.options = options;
        this.listener = options.listener();
        this.portId = transport.portId();
        // The kernel runs a whole sendmsg before we read, so a chunk's acks must fit at
        // once. A capped ack costs 832 bytes of receive buffer (skb truesize, measured
        // via /proc/net/netlink Rmem on 6.18); budget 2 KiB each so error acks with
        // ext-ack text fit too. Overflow would drop acks and fail the batch with ENOBUFS.
        // Large replies (a batch of GETs) are not budgeted: use dumps for bulk reads.
        int fit = Math.max(1, transport.receiveBufferBytes() / 2048);
        this.chunkMessages = Math.max(1, Math.min(options.maxBatchMessages(), fit));
    }

    int chunkMessages() {
        return chunkMessages;
    }

    /** Replies dropped because they came for another port or sequence. */
    long dropped() {
        return dropped.get();
    }

    // ---- exchanges ----------------------------------------------------------------

    BatchResult exchange(MessageWriter w, AckMode mode, MessageHandler onReply) throws NetlinkException {
        int count = w.messageCount();
        drainAbandonedDump();
        ByteBuffer b = w.buffer();
        index(b, w.length(), count);
        // One request (the per-request path): reused slots, and a shared result when it succeeds.
        int[] errnos = count == 1 ? oneErrno : new int[count];
        NetlinkException[] failures = count == 1 ? oneFailure : new NetlinkException[count];
        errnos[0] = 0;
        failures[0] = null;
        int first = 0;
        while (first < count) {
            int last = chunkEnd(first, count);
            int seq0 = reserveSeq(last - first + 1);
            for (int i = first; i <= last; i++) {
                int off = offsets[i];
                int flags = b.getShort(off + 6) & 0xffff;
                boolean ack = mode == AckMode.EACH || i == last;
                flags = ack ? flags | Nlmsg.NLM_F_ACK : flags & ~Nlmsg.NLM_F_ACK;
                b.putShort(off + 6, (short) (flags | Nlmsg.NLM_F_REQUEST));
                b.putInt(off + 8, seq0 + (i - first));
            }
            int seqLast = seq0 + (last - first);
            int start = offsets[first];
            send(b, start, offsets[last] + lengths[last] - start);
            collect(b, first, seq0, seqLast, mode, errnos, failures, onReply);
            first = last + 1;
        }
        if (count == 1) {
            if (errnos[0] == 0) {
                return BatchResult.ONE_OK;
            }
            return new BatchResult(1, new int[] {errnos[0]}, new NetlinkException[] {failures[0]});
        }
        return new BatchResult(count, errnos, failures);
    }

    private void collect(ByteBuffer req, int first, int seq0, int seqLast, AckMode mode, int[] errnos,
                         NetlinkException[] failures, MessageHandler onReply) throws NetlinkException {
        int outstanding = mode == AckMode.EACH ? seqLast - seq0 + 1 : 1;
        RuntimeException handlerFailure = null;
        while (outstanding > 0) {
            int n = receive(req, offsets[first], lengths[first], onReply == null, outstanding);
            reader.reset(transport.buffer(), 0, n);
            while (reader.next()) {
                if (!mine(reader, seq0, seqLast)) {
                    continue;
                }
                int seq = reader.seq();
                int i = first + (seq - seq0);
                if (reader.type() == Nlmsg.NLMSG_ERROR) {
                    int err = ErrorAcks.errorCode(reader);
                    if (err != 0) {
                        errnos[i] = err;
                        failures[i] = errorFrom(reader, err, req, offsets[i], lengths[i]);
                    }
                    if (mode == AckMode.EACH || seq == seqLast) {
                        outstanding--;
                    }
                } else if (onReply != null && handlerFailure == null && reader.type() >= Nlmsg.NLMSG_MIN_TYPE) {
                    try {
                        onReply.onMessage(reader);
                    } catch (RuntimeException e) {
                        handlerFailure = e;
                    }
                }
            }
        }
        if (handlerFailure != null) {
            throw handlerFailure;
        }
    }

    BatchResult transaction(MessageWriter w) throws NetlinkException {
        int count = w.messageCount();
        drainAbandonedDump();
        ByteBuffer b = w.buffer();
        index(b, w.length(), count);
        int seq0 = reserveSeq(count);
        for (int i = 0; i < count; i++) {
            int off = offsets[i];
            int flags = b.getShort(off + 6) & 0xffff;
            boolean envelope = i == 0 || i == count - 1;
            flags = envelope ? flags & ~Nlmsg.NLM_F_ACK : flags | Nlmsg.NLM_F_ACK;
            b.putShort(off + 6, (short) (flags | Nlmsg.NLM_F_REQUEST));
            b.putInt(off + 8, seq0 + i);
        }
        int seqLast = seq0 + count - 1;
        send(b, 0, w.length());
        int[] errnos = new int[count];
        NetlinkException[] failures = new NetlinkException[count];
        int outstanding = count - 2;
        // A failure in the kernel's commit phase is reported on the first change in
        // addition to that change's own ack (nfnetlink_rcv_batch): count each once.
        boolean[] answered = new boolean[count];
        boolean whole = false;
        while (outstanding > 0 && !whole) {
            int n = receive(b, offsets[0], lengths[0], true, outstanding);
            reader.reset(transport.buffer(), 0, n);
            while (reader.next()) {
                if (!mine(reader, seq0, seqLast) || reader.type() != Nlmsg.NLMSG_ERROR) {
                    continue;
                }
                int i = reader.seq() - seq0;
                int err = ErrorAcks.errorCode(reader);
                if (i == 0 || i == count - 1) {
                    if (err != 0) {
                        NetlinkException e = errorFrom(reader, err, b, offsets[i], lengths[i]);
                        for (int k = 0; k < count; k++) {
                            if (errnos[k] == 0) {
                                errnos[k] = err;
                                failures[k] = e;
                            }
                        }
                        whole = true;
                    }
                    continue;
                }
                if (err != 0 && errnos[i] == 0) {
                    errnos[i] = err;
                    failures[i] = errorFrom(reader, err, b, offsets[i], lengths[i]);
                }
                if (!answered[i]) {
                    answered[i] = true;
                    outstanding--;
                }
            }
        }
        return new BatchResult(count, errnos, failures);
    }

    /**
     * Runs one dump and streams its entries to {@code handler}; true when the
     * kernel flagged it as interrupted. See {@link NetlinkSocket#dump}.
     */
    boolean dumpOnce(MessageWriter w, MessageHandler handler) throws NetlinkException {
        ByteBuffer b = w.buffer();
        drainAbandonedDump();
        int seq = reserveSeq(1);
        int flags = b.getShort(6) & 0xffff;
        b.putInt(8, seq);
        b.putShort(6, (short) ((flags | Nlmsg.NLM_F_DUMP | Nlmsg.NLM_F_REQUEST) & ~Nlmsg.NLM_F_ACK));
        send(b, 0, w.length());
        // Until its NLMSG_DONE is read, the kernel holds this dump open and would
        // answer the next dump on this socket with EBUSY.
        abandonedDumpSeq = seq;
        boolean interrupted = false;
        RuntimeException handlerFailure = null;
        NetlinkException failure = null;
        for (;;) {
            int n = receive(b, 0, w.length(), false, 1);
            reader.reset(transport.buffer(), 0, n);
            while (reader.next()) {
                if (!mine(reader, seq, seq)) {
                    continue;
                }
                if ((reader.flags() & Nlmsg.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                int type = reader.type();
                if (type == Nlmsg.NLMSG_DONE || type == Nlmsg.NLMSG_ERROR) {
                    abandonedDumpSeq = 0;
                    // NLMSG_DONE carries the dump's final errno (and ext-ack) like NLMSG_ERROR does.
                    int err = ErrorAcks.errorCode(reader);
                    if (err != 0 && failure == null) {
                        failure = errorFrom(reader, err, b, 0, w.length());
                    }
                    if (handlerFailure != null) {
                        throw handlerFailure;
                    }
                    if (failure != null) {
                        throw failure;
                    }
                    return interrupted;
                }
                if (type == Nlmsg.NLMSG_NOOP || type == Nlmsg.NLMSG_OVERRUN) {
                    continue;
                }
                if (handlerFailure == null && handler != null) {
                    try {
                        handler.onMessage(reader);
                    } catch (RuntimeException e) {
                        // Keep reading to NLMSG_DONE so the socket stays usable.
                        handlerFailure = e;
                    }
                }
            }
        }
    }

    /**
     * Reads and discards the rest of a dump an earlier call gave up on (e.g.
     * after a receive timeout), so that the kernel ends it and the next dump
     * is not refused with EBUSY. Throws (and stays pending) if it times out again.
     */
    private void drainAbandonedDump() throws NetlinkException {
        int seq = abandonedDumpSeq;
        if (seq == 0) {
            return;
        }
        LOG.debug("draining abandoned dump seq={} on port {}", Integer.toUnsignedString(seq), portId);
        for (;;) {
            int n = transport.receive();
            reader.reset(transport.buffer(), 0, n);
            while (reader.next()) {
                if (reader.seq() == seq && reader.portId() == portId
                        && (reader.type() == Nlmsg.NLMSG_DONE || reader.type() == Nlmsg.NLMSG_ERROR)) {
                    abandonedDumpSeq = 0;
                    return;
                }
            }
        }
    }

    // ---- send and receive ----------------------------------------------------------

    private void send(ByteBuffer b, int off, int len) throws NetlinkException {
        transport.send(b, off, len);
        if (listener != null) {
            scan.reset(b, off, off + len);
            while (scan.next()) {
                ListenerMessage m = new ListenerMessage(protocol, scan);
                try {
                    listener.requestSent(m);
                } catch (RuntimeException e) {
                    LOG.warn("NetlinkListener.requestSent threw; ignored", e);
                } finally {
                    m.detach();
                }
            }
        }
    }

    /**
     * Receives one datagram for an exchange: a failure (timeout, overrun)
     * names the request it was waiting for, e.g. {@code RTM_NEWNEIGH 10.0.0.1
     * dev 3 (recvfrom(NETLINK_ROUTE)): ETIMEDOUT}.
     */
    private int receive(ByteBuffer req, int off, int len, boolean acksOnly, int expected) throws NetlinkException {
        try {
            return acksOnly ? transport.receiveAcks(expected) : transport.receive();
        } catch (NetlinkException e) {
            NetlinkException named = new NetlinkException(e.errno(), describe(req, off, len) + " (" + e.request() + ")",
                    e.extAckMessage(), -1);
            failed(named);
            throw named;
        }
    }

    /** Is this reply for us and for a sequence we wait for? Drops and counts it if not. */
    private boolean mine(MessageReader m, int seqFirst, int seqLast) {
        int seq = m.seq();
        // Ranges never wrap through 0 (see reserveSeq), so an unsigned distance suffices.
        boolean ok = m.portId() == portId && Integer.compareUnsigned(seq - seqFirst, seqLast - seqFirst) <= 0;
        if (!ok) {
            dropped.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("dropped reply type={} seq={} port={} (want port={} seq {}..{})",
                        m.type(), Integer.toUnsignedString(seq), m.portId(), portId,
                        Integer.toUnsignedString(seqFirst), Integer.toUnsignedString(seqLast));
            }
        } else if (listener != null) {
            ListenerMessage copy = new ListenerMessage(protocol, m);
            try {
                listener.replyReceived(copy);
            } catch (RuntimeException e) {
                LOG.warn("NetlinkListener.replyReceived threw; ignored", e);
            } finally {
                copy.detach();
            }
        }
        return ok;
    }

    private NetlinkException errorFrom(MessageReader m, int errno, ByteBuffer req, int reqOff, int reqLen) {
        NetlinkException e = ErrorAcks.errorFrom(m, errno, describe(req, reqOff, reqLen), ackAttrs);
        failed(e);
        return e;
    }

    private void failed(NetlinkException e) {
        if (listener != null) {
            try {
                listener.requestFailed(protocol, e);
            } catch (RuntimeException t) {
                LOG.warn("NetlinkListener.requestFailed threw; ignored", t);
            }
        }
    }

    String describe(ByteBuffer req, int off, int len) {
        try {
            return options.describer().describe(req, off, len);
        } catch (RuntimeException e) {
            return RequestDescriber.NUMERIC.describe(req, off, len);
        }
    }

    // ---- message index and sequence numbers -----------------------------------------

    private int chunkEnd(int first, int count) {
        int maxBytes = options.maxBatchBytes();
        int last = first;
        int base = offsets[first];
        while (last + 1 < count && last + 1 - first < chunkMessages
                && offsets[last + 1] + lengths[last + 1] - base <= maxBytes) {
            last++;
        }
        return last;
    }

    /** Records where each message of the request buffer starts; validates lengths. */
    private void index(ByteBuffer b, int length, int count) {
        if (offsets.length < count) {
            int n = Integer.highestOneBit(count - 1) << 1;
            offsets = new int[n];
            lengths = new int[n];
        }
        scan.reset(b, 0, length);
        int i = 0;
        while (scan.next()) {
            if (i == count) {
                throw new IllegalStateException("writer holds more messages than it began");
            }
            offsets[i] = scan.offset();
            lengths[i] = scan.length();
            i++;
        }
        if (i != count) {
            throw new IllegalStateException("writer began " + count + " messages but holds " + i
                    + ": was end() called for each?");
        }
    }

    /**
     * Reserves {@code n} consecutive sequence numbers and returns the first.
     * Sequence 0 is never used (the kernel uses it for notifications), and a
     * range never wraps through 0, so {@code seq - first} is always the index
     * of the message within the range.
     */
    private int reserveSeq(int n) {
        if (Integer.toUnsignedLong(nextSeq) + n - 1 > 0xFFFF_FFFFL) {
            nextSeq = 1;
        }
        int first = nextSeq;
        nextSeq += n;
        if (nextSeq == 0) {
            nextSeq = 1;
        }
        return first;
    }

    int nextSequence() {
        return nextSeq;
    }

    void nextSequence(int seq) {
        nextSeq = seq == 0 ? 1 : seq;
    }
}
