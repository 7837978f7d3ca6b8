package dev.overlaynet.netlink;

import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.NetlinkDecodeException;
import dev.overlaynet.netlink.codec.Nlmsg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import jnr.constants.platform.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket of one protocol, bound to the network namespace it was
 * created in for its whole life.
 *
 * <p>Every socket has extended ACK, strict checking and capped ACKs on, a
 * 1 MiB receive buffer (forced when running as root) and a receive timeout,
 * so an unanswered request fails instead of hanging. Every datagram is first
 * peeked with {@code MSG_PEEK|MSG_TRUNC} to learn its true size, so a
 * truncated datagram is never parsed. Every reply is checked: it must come
 * from the kernel (sender port 0) and carry this socket's port id and a
 * sequence number it is waiting for; anything else is dropped and counted in
 * {@link #droppedReplies()}.
 *
 * <p>Thread safety: a socket is safe to share. It serves one exchange
 * (request, dump or batch) at a time and callers queue for it, so replies
 * never cross between callers and two dumps never overlap (the kernel would
 * answer the second with EBUSY). Use several sockets for parallel work.
 *
 * <pre>{@code
 * try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETLINK_ROUTE)) {
 *     MessageWriter w = new MessageWriter();
 *     int m = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
 *     w.ifinfomsg(0, 0, 0, 0, 0).end(m);
 *     s.dump(w, msg -> log.info(msg.type()));
 * }
 * }</pre>
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkSocket.class);

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;
    static final int NETLINK_GET_STRICT_CHK = 12;
    static final int MSG_PEEK = 0x2;
    static final int MSG_TRUNC = 0x20;
    static final int SOCKADDR_NL_LEN = 12;
    /** Largest errno the kernel returns (include/linux/err.h MAX_ERRNO). */
    static final int MAX_ERRNO = 4095;

    private final LibC.Calls libc;
    private final int fd;
    private final int portId;
    private final NetlinkProtocol protocol;
    private final NetlinkSocketOptions options;
    private final int receiveBufferBytes;
    private final int chunkMessages;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    // Guarded by lock.
    private ByteBuffer rbuf;
    private final ByteBuffer addr = direct(SOCKADDR_NL_LEN);
    private final ByteBuffer addrLen = direct(4);
    private final ByteBuffer kernel = direct(SOCKADDR_NL_LEN);
    private final MessageReader reader = new MessageReader();
    private final MessageReader scan = new MessageReader();
    private final AttrReader ackAttrs = new AttrReader();
    private int nextSeq = 1;
    /** Sequence of a dump left unread by a failure (timeout, overrun); 0 if none. */
    private int abandonedDumpSeq;
    private int[] offsets = new int[64];
    private int[] lengths = new int[64];

    private NetlinkSocket(LibC.Calls libc, int fd, int portId, NetlinkProtocol protocol,
                          NetlinkSocketOptions options, int receiveBufferBytes) {
        this.libc = libc;
        this.fd = fd;
        this.portId = portId;
        this.protocol = protocol;
        this.options = options;
        this.receiveBufferBytes = receiveBufferBytes;
        this.rbuf = direct(options.initialReadBufferBytes());
        kernel.putShort(0, (short) AF_NETLINK);
        // The kernel runs a whole sendmsg before we read, so a chunk's acks must fit at
        // once. A capped ack costs 832 bytes of receive buffer (skb truesize, measured
        // via /proc/net/netlink Rmem on 6.18); budget 2 KiB each so error acks with
        // ext-ack text fit too. Overflow would drop acks and fail the batch with ENOBUFS.
        // Large replies (a batch of GETs) are not budgeted: use dumps for bulk reads.
        int fit = Math.max(1, receiveBufferBytes / 2048);
        this.chunkMessages = Math.max(1, Math.min(options.maxBatchMessages(), fit));
    }

    private static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }

    /** Opens a socket in the calling thread's network namespace with default options. */
    public static NetlinkSocket open(NetlinkProtocol protocol) throws NetlinkException {
        return open(protocol, NetlinkSocketOptions.defaults());
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open(NetlinkProtocol protocol, NetlinkSocketOptions options) throws NetlinkException {
        LibC.Calls libc = Native.libc();
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol.value());
        if (fd < 0) {
            throw new NetlinkException(Native.errno(), "socket(AF_NETLINK, " + protocol + ")", null, -1);
        }
        try {
            ByteBuffer one = direct(4);
            one.putInt(0, 1);
            setopt(libc, fd, SOL_NETLINK, NETLINK_EXT_ACK, one, "NETLINK_EXT_ACK");
            setopt(libc, fd, SOL_NETLINK, NETLINK_CAP_ACK, one, "NETLINK_CAP_ACK");
            if (protocol == NetlinkProtocol.NETLINK_ROUTE) {
                setopt(libc, fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, one, "NETLINK_GET_STRICT_CHK");
            }
            setBuffer(libc, fd, SO_RCVBUFFORCE, SO_RCVBUF, options.receiveBufferBytes());
            setBuffer(libc, fd, SO_SNDBUFFORCE, SO_SNDBUF, options.sendBufferBytes());
            ByteBuffer tv = direct(16);
            long ms = options.timeoutMillis();
            tv.putLong(0, ms / 1000);
            tv.putLong(8, (ms % 1000) * 1000);
            setopt(libc, fd, SOL_SOCKET, SO_RCVTIMEO, tv, "SO_RCVTIMEO");

            ByteBuffer sa = direct(SOCKADDR_NL_LEN);
            sa.putShort(0, (short) AF_NETLINK);
            if (libc.bind(fd, sa, SOCKADDR_NL_LEN) < 0) {
                throw new NetlinkException(Native.errno(), "bind(AF_NETLINK)", null, -1);
            }
            ByteBuffer len = direct(4);
            len.putInt(0, SOCKADDR_NL_LEN);
            if (libc.getsockname(fd, sa, len) < 0) {
                throw new NetlinkException(Native.errno(), "getsockname(AF_NETLINK)", null, -1);
            }
            int port = sa.getInt(4);
            ByteBuffer val = direct(4);
            ByteBuffer vlen = direct(4);
            vlen.putInt(0, 4);
            int rcv = options.receiveBufferBytes();
            if (libc.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, val, vlen) == 0) {
                rcv = val.getInt(0);
            }
            LOG.debug("opened {} fd={} port={} rcvbuf={}", protocol, fd, port, rcv);
            return new NetlinkSocket(libc, fd, port, protocol, options, rcv);
        } catch (NetlinkException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    private static void setopt(LibC.Calls libc, int fd, int level, int name, ByteBuffer v, String what)
            throws NetlinkException {
        if (libc.setsockopt(fd, level, name, v, v.capacity()) < 0) {
            throw new NetlinkException(Native.errno(), "setsockopt(" + what + ")", null, -1);
        }
    }

    private static void setBuffer(LibC.Calls libc, int fd, int force, int plain, int bytes) throws NetlinkException {
        ByteBuffer v = direct(4);
        v.putInt(0, bytes);
        // FORCE needs CAP_NET_ADMIN and ignores net.core.rmem_max; without it the
        // kernel silently caps SO_RCVBUF at rmem_max, which we then read back.
        if (libc.setsockopt(fd, SOL_SOCKET, force, v, 4) < 0) {
            setopt(libc, fd, SOL_SOCKET, plain, v, plain == SO_RCVBUF ? "SO_RCVBUF" : "SO_SNDBUF");
        }
    }

    /** The port id the kernel assigned (nl_pid). */
    public int portId() {
        return portId;
    }

    public NetlinkProtocol protocol() {
        return protocol;
    }

    /** The receive buffer the kernel granted, in bytes (SO_RCVBUF as read back). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Most requests a batch puts into one sendmsg. */
    public int batchChunkMessages() {
        return chunkMessages;
    }

    /** Replies dropped because they came from another sender, port or sequence. */
    public long droppedReplies() {
        return dropped.get();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- exchanges --------------------------------------------------------------

    /**
     * Sends the request(s) in {@code w}, each with NLM_F_ACK, and waits for every
     * ack. Reply messages other than acks (e.g. the answer to a GET) go to
     * {@code onReply}, which may be null. Throws the first failure.
     */
    public void request(MessageWriter w, MessageHandler onReply) throws NetlinkException {
        exchange(w, AckMode.EACH, onReply).throwIfFailed();
    }

    /** Sends {@code w}'s requests and waits for their acks, throwing the first failure. */
    public void request(MessageWriter w) throws NetlinkException {
        request(w, null);
    }

    /**
     * Sends all requests in {@code w}, as many per sendmsg as the receive
     * buffer can acknowledge, and reports each request's outcome.
     */
    public BatchResult batch(MessageWriter w, AckMode mode) throws NetlinkException {
        return exchange(w, mode, null);
    }

    /**
     * Sends an nfnetlink transaction in one sendmsg: the first and last
     * messages of {@code w} are the envelope ({@code NFNL_MSG_BATCH_BEGIN} and
     * {@code NFNL_MSG_BATCH_END}, sent without NLM_F_ACK), every message
     * between them asks for an ack. The kernel applies the whole batch or none
     * of it. The result has one outcome per message of {@code w}, envelope
     * included; if the kernel refuses the batch as a whole (an error on the
     * BEGIN message, e.g. ERESTART from a generation-id guard), every message
     * carries that error.
     */
    public BatchResult transaction(MessageWriter w) throws NetlinkException {
        int count = w.messageCount();
        if (count < 2) {
            throw new IllegalArgumentException("a transaction needs BEGIN and END messages, got " + count + " message(s)");
        }
        lock.lock();
        try {
            ensureOpen();
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
                reader.reset(rbuf, 0, n);
                while (reader.next()) {
                    if (!mine(reader, seq0, seqLast) || reader.type() != Nlmsg.NLMSG_ERROR) {
                        continue;
                    }
                    int i = reader.seq() - seq0;
                    int err = errorCode(reader);
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
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the dump request in {@code w} (one message with NLM_F_DUMP) and
     * streams each reply to {@code handler}. Errors the kernel reports at the
     * start or inside NLMSG_DONE are thrown. If the kernel flagged the dump as
     * interrupted, {@link DumpInterruptedException} is thrown after the dump has
     * been read to its end: the handler has then seen an inconsistent view.
     */
    public void dump(MessageWriter w, MessageHandler handler) throws NetlinkException {
        if (dumpOnce(w, handler)) {
            throw new DumpInterruptedException(describe(w.buffer(), 0, w.length()), List.of(), 1);
        }
    }

    /**
     * Dumps and decodes into a list, retrying up to {@code maxAttempts} times
     * while the kernel flags the dump as interrupted. Never returns an
     * interrupted dump: after the last attempt it throws
     * {@link DumpInterruptedException} carrying that attempt's results.
     */
    public <T> List<T> dumpList(MessageWriter w, Function<MessageReader, T> decoder, int maxAttempts)
            throws NetlinkException {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " < 1");
        }
        List<T> out = new ArrayList<>();
        for (int attempt = 1; ; attempt++) {
            out.clear();
            boolean intr = dumpOnce(w, m -> {
                T t = decoder.apply(m);
                if (t != null) {
                    out.add(t);
                }
            });
            if (!intr) {
                return out;
            }
            LOG.debug("dump interrupted (attempt {}/{})", attempt, maxAttempts);
            if (attempt >= maxAttempts) {
                throw new DumpInterruptedException(describe(w.buffer(), 0, w.length()), out, attempt);
            }
        }
    }

    private boolean dumpOnce(MessageWriter w, MessageHandler handler) throws NetlinkException {
        if (w.messageCount() != 1) {
            throw new IllegalArgumentException("a dump takes exactly one request, got " + w.messageCount());
        }
        lock.lock();
        try {
            ensureOpen();
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
                int n = receive(b, 0, w.length());
                reader.reset(rbuf, 0, n);
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
                        int err = errorCode(reader);
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
        } finally {
            lock.unlock();
        }
    }

    private BatchResult exchange(MessageWriter w, AckMode mode, MessageHandler onReply) throws NetlinkException {
        int count = w.messageCount();
        if (count == 0) {
            return new BatchResult(0, new int[0], new NetlinkException[0]);
        }
        lock.lock();
        try {
            ensureOpen();
            drainAbandonedDump();
            ByteBuffer b = w.buffer();
            index(b, w.length(), count);
            int[] errnos = new int[count];
            NetlinkException[] failures = new NetlinkException[count];
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
            return new BatchResult(count, errnos, failures);
        } finally {
            lock.unlock();
        }
    }

    private void collect(ByteBuffer req, int first, int seq0, int seqLast, AckMode mode, int[] errnos,
                         NetlinkException[] failures, MessageHandler onReply) throws NetlinkException {
        int outstanding = mode == AckMode.EACH ? seqLast - seq0 + 1 : 1;
        RuntimeException handlerFailure = null;
        while (outstanding > 0) {
            int n = receive(req, offsets[first], lengths[first], onReply == null, outstanding);
            reader.reset(rbuf, 0, n);
            while (reader.next()) {
                if (!mine(reader, seq0, seqLast)) {
                    continue;
                }
                int seq = reader.seq();
                int i = first + (seq - seq0);
                if (reader.type() == Nlmsg.NLMSG_ERROR) {
                    int err = errorCode(reader);
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
            int n = receive();
            reader.reset(rbuf, 0, n);
            while (reader.next()) {
                if (reader.seq() == seq && reader.portId() == portId
                        && (reader.type() == Nlmsg.NLMSG_DONE || reader.type() == Nlmsg.NLMSG_ERROR)) {
                    abandonedDumpSeq = 0;
                    return;
                }
            }
        }
    }

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

    /** Test hook: the sequence number the next request will use. */
    int nextSequence() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Test hook: makes the next request use {@code seq} (0 becomes 1), e.g. to exercise wrap-around. */
    void nextSequence(int seq) {
        lock.lock();
        try {
            nextSeq = seq == 0 ? 1 : seq;
        } finally {
            lock.unlock();
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
        }
        return ok;
    }

    /**
     * The positive errno of an NLMSG_ERROR or NLMSG_DONE message, 0 for an ack
     * or a clean end of dump. An NLMSG_ERROR too short to hold its error code
     * is malformed, not a success.
     */
    static int errorCode(MessageReader m) {
        if (m.payloadLength() < 4) {
            if (m.type() == Nlmsg.NLMSG_DONE) {
                return 0; // a bare DONE (no errno word) ends a dump cleanly
            }
            throw new NetlinkDecodeException(m.offset(), "NLMSG_ERROR payload of " + m.payloadLength()
                    + " bytes has no error code");
        }
        int code = m.i32(0);
        // The kernel sends 0 or -errno; anything else is not an answer we can trust.
        if (code > 0 || code < -MAX_ERRNO) {
            throw new NetlinkDecodeException(m.payloadOffset(), "error code " + code + " outside [-" + MAX_ERRNO + ", 0]");
        }
        return -code;
    }

    private NetlinkException errorFrom(MessageReader m, int errno, ByteBuffer req, int reqOff, int reqLen) {
        return errorFrom(m, errno, describe(req, reqOff, reqLen), ackAttrs);
    }

    /**
     * Builds the exception for an NLMSG_ERROR or NLMSG_DONE carrying
     * {@code errno}, with the extended-ack text and offset when present.
     * NLMSG_DONE carries only the error word before its TLVs; NLMSG_ERROR
     * echoes the request's header (and, unless NLM_F_CAPPED, its payload)
     * first. A malformed ext-ack is ignored, never fatal: the errno is the
     * answer.
     */
    static NetlinkException errorFrom(MessageReader m, int errno, String request, AttrReader scratch) {
        String ext = null;
        int extOff = -1;
        try {
            if ((m.flags() & Nlmsg.NLM_F_ACK_TLVS) != 0) {
                int tlv = 4;
                int payload = m.payloadLength();
                if (m.type() == Nlmsg.NLMSG_ERROR) {
                    if ((m.flags() & Nlmsg.NLM_F_CAPPED) != 0) {
                        tlv += Nlmsg.NLMSG_HDRLEN;
                    } else {
                        int origLen = m.i32(4);
                        if (origLen < Nlmsg.NLMSG_HDRLEN || origLen > payload - 4) {
                            throw new NetlinkDecodeException(m.payloadOffset() + 4, "echoed nlmsg_len "
                                    + Integer.toUnsignedString(origLen) + " outside [16, " + (payload - 4) + "]");
                        }
                        tlv += Nlmsg.align(origLen);
                    }
                }
                if (tlv <= payload) {
                    AttrReader a = m.attrs(tlv, scratch);
                    while (a.next()) {
                        if (a.type() == Nlmsg.NLMSGERR_ATTR_MSG) {
                            ext = a.string().strip();
                        } else if (a.type() == Nlmsg.NLMSGERR_ATTR_OFFS) {
                            extOff = a.u32();
                        }
                    }
                }
            }
        } catch (NetlinkDecodeException e) {
            LOG.debug("malformed extended ack ignored: {}", e.getMessage());
        }
        return new NetlinkException(errno, request, ext, extOff);
    }

    private String describe(ByteBuffer req, int off, int len) {
        try {
            return options.describer().describe(req, off, len);
        } catch (RuntimeException e) {
            return RequestDescriber.NUMERIC.describe(req, off, len);
        }
    }

    // ---- syscalls -----------------------------------------------------------------

    private void send(ByteBuffer b, int off, int len) throws NetlinkException {
        // jnr-ffi passes a direct buffer's address plus its position: slice unless that is already off.
        ByteBuffer s = off == 0 && b.position() == 0 ? b : b.slice(off, len);
        if (LOG.isTraceEnabled()) {
            LOG.trace("send {} bytes on port {}: {}", len, portId, Hex.dump(b, off, len));
        }
        for (;;) {
            long n = libc.sendto(fd, s, len, 0, kernel, SOCKADDR_NL_LEN);
            if (n >= 0) {
                if (n != len) {
                    throw new NetlinkException("sendto", "short send: " + n + " of " + len + " bytes");
                }
                return;
            }
            int e = Native.errno();
            if (e != Errno.EINTR.intValue()) {
                throw new NetlinkException(e, "sendto(" + protocol + ", " + len + " bytes)", null, -1);
            }
        }
    }

    /**
     * {@link #receive()} for an exchange: a failure (timeout, overrun) names
     * the request it was waiting for, e.g. {@code RTM_NEWNEIGH 10.0.0.1 dev 3
     * (recvfrom(NETLINK_ROUTE)): ETIMEDOUT}.
     */
    private int receive(ByteBuffer req, int off, int len) throws NetlinkException {
        return receive(req, off, len, false, 1);
    }

    private int receive(ByteBuffer req, int off, int len, boolean acksOnly, int expected) throws NetlinkException {
        try {
            return acksOnly && rbuf.capacity() >= ACK_READ_MIN ? receiveAck(expected) : receive();
        } catch (NetlinkException e) {
            throw new NetlinkException(e.errno(), describe(req, off, len) + " (" + e.request() + ")",
                    e.extAckMessage(), -1);
        }
    }

    /**
     * Smallest buffer that {@link #receiveAck(int)} reads into directly. With
     * NETLINK_CAP_ACK an ack or error is a 36-byte header plus extended-ack
     * attributes (a short text, an offset, a small policy nest): far below this.
     */
    private static final int ACK_READ_MIN = 16 << 10;
    private AckReader acks;

    /**
     * Reads one datagram when only acks and errors are expected: they are
     * drained with recvmmsg, many per syscall, instead of a peek and a read
     * each. The kernel flags a datagram that did not fit its slot with
     * MSG_TRUNC; it is reported and never parsed (it cannot happen for capped
     * acks, but if it does the exchange fails loudly).
     */
    private int receiveAck(int expected) throws NetlinkException {
        if (acks == null) {
            acks = new AckReader(libc, fd);
        }
        for (;;) {
            while (acks.hasPending()) {
                int n = nextPendingAck();
                if (n >= 0) {
                    return n;
                }
            }
            int got = acks.fill(expected);
            if (got < 0) {
                if (AckReader.interrupted(got)) {
                    continue;
                }
                throw receiveFailure(-got);
            }
        }
    }

    /** Hands out the next datagram of the last recvmmsg into {@code rbuf}; -1 if it was dropped. */
    private int nextPendingAck() throws NetlinkException {
        int sender = acks.senderOfNext();
        if (sender != 0) {
            dropped.incrementAndGet();
            LOG.debug("dropped {}-byte datagram from port {} (not the kernel)", acks.lengthOfNext(), sender);
            acks.skip();
            return -1;
        }
        if (acks.nextTruncated()) {
            int len = acks.lengthOfNext();
            acks.skip();
            throw new NetlinkException(Errno.EMSGSIZE.intValue(), "recvmmsg(" + protocol + ")",
                    "a reply longer than " + AckReader.SLOT_BYTES + " bytes (" + len
                            + " kept) was truncated by the kernel and dropped unread", -1);
        }
        int n = acks.take(rbuf);
        if (LOG.isTraceEnabled()) {
            LOG.trace("recv {} bytes on port {}: {}", n, portId, Hex.dump(rbuf, 0, n));
        }
        return n;
    }

    private NetlinkException receiveFailure(int e) {
        if (e == Errno.EAGAIN.intValue() || e == Errno.EWOULDBLOCK.intValue()) {
            return new NetlinkException(Errno.ETIMEDOUT.intValue(), "recvfrom(" + protocol + ")",
                    "no reply within " + options.timeoutMillis() + " ms", -1);
        }
        return new NetlinkException(e, "recvfrom(" + protocol + ")",
                e == Errno.ENOBUFS.intValue() ? "receive buffer overrun: replies were lost" : null, -1);
    }

    /**
     * Reads one datagram from the kernel into {@code rbuf} and returns its
     * length. Peeks first to learn the true size, grows the buffer if needed,
     * then consumes the datagram; datagrams from other senders are dropped.
     */
    private int receive() throws NetlinkException {
        // Datagrams already taken off the socket by a recvmmsg come first, in order.
        while (acks != null && acks.hasPending()) {
            int n = nextPendingAck();
            if (n >= 0) {
                return n;
            }
        }
        for (;;) {
            int cap = rbuf.capacity();
            addrLen.putInt(0, SOCKADDR_NL_LEN);
            long n = libc.recvfrom(fd, rbuf, cap, MSG_PEEK | MSG_TRUNC, addr, addrLen);
            if (n < 0) {
                int e = Native.errno();
                if (e == Errno.EINTR.intValue()) {
                    continue;
                }
                throw receiveFailure(e);
            }
            if (n > cap) {
                int grown = Nlmsg.align((int) n + 4095) & ~4095;
                LOG.debug("datagram of {} bytes exceeds {}-byte buffer; growing to {}", n, cap, grown);
                rbuf = direct(grown);
                continue;
            }
            // Dequeue what we peeked; a zero-length read copies nothing.
            while (libc.recvfrom(fd, null, 0, 0, null, null) < 0) {
                int e = Native.errno();
                if (e != Errno.EINTR.intValue()) {
                    throw new NetlinkException(e, "recvfrom(" + protocol + ")", null, -1);
                }
            }
            int sender = addr.getInt(4);
            if (sender != 0) {
                dropped.incrementAndGet();
                LOG.debug("dropped {}-byte datagram from port {} (not the kernel)", n, sender);
                continue;
            }
            if (LOG.isTraceEnabled()) {
                LOG.trace("recv {} bytes on port {}: {}", n, portId, Hex.dump(rbuf, 0, (int) n));
            }
            return (int) n;
        }
    }

    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IFREQ_LEN = 40;

    /**
     * The index of interface {@code name} in this socket's namespace, or -1 if
     * there is none. One ioctl (SIOCGIFINDEX, what {@code if_nametoindex(3)}
     * does) instead of a netlink round trip; the socket's namespace is the one
     * asked, whatever thread calls.
     */
    public int interfaceIndex(String name) throws NetlinkException {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 15) {
            throw new IllegalArgumentException("interface name \"" + name + "\" must be 1..15 bytes");
        }
        ByteBuffer ifr = ifreq.get();
        for (int i = 0; i < IFREQ_LEN; i++) {
            ifr.put(i, (byte) 0);
        }
        ifr.put(0, b, 0, b.length);
        ensureOpen();
        if (libc.ioctl(fd, SIOCGIFINDEX, ifr) < 0) {
            int e = Native.errno();
            if (e == Errno.ENODEV.intValue()) {
                return -1;
            }
            throw new NetlinkException(e, "SIOCGIFINDEX " + name, null, -1);
        }
        return ifr.getInt(16);
    }

    private final ThreadLocal<ByteBuffer> ifreq = ThreadLocal.withInitial(() -> direct(IFREQ_LEN));

    private void ensureOpen() throws NetlinkException {
        if (closed) {
            throw new NetlinkException(Errno.EBADF.intValue(), protocol + " socket", "socket is closed", -1);
        }
    }

    /** Closes the socket; closing twice is harmless. Waits for an exchange in progress. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            libc.close(fd);
            LOG.debug("closed {} fd={} port={}", protocol, fd, portId);
        } finally {
            lock.unlock();
        }
    }
}
