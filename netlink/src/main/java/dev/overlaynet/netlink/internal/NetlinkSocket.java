package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.DumpInterruptedException;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.NetlinkTransport;

import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * truncated datagram is never parsed. The socket is connected to the kernel,
 * which therefore refuses other senders' unicasts to it (ECONNREFUSED) before
 * they are queued. Every reply is still checked: it must carry this socket's
 * port id and a sequence number it is waiting for (and, where the sender is
 * read, come from port 0); anything else is dropped and counted in
 * {@link #droppedReplies()}.
 *
 * <p>Thread safety: a socket is safe to share. It serves one exchange
 * (request, dump or batch) at a time and callers queue for it, so replies
 * never cross between callers and two dumps never overlap (the kernel would
 * answer the second with EBUSY). Use several sockets for parallel work.
 * A reply or dump callback must not use the socket it is called from: such
 * a call throws {@link IllegalStateException} at once.
 *
 * <p>The protocol logic lives here and in package-private parts (exchanges
 * and sequence matching, error and ext-ack parsing); the kernel is reached
 * through a {@link NetlinkTransport}, by default a native socket, or a fake
 * kernel in tests ({@link #over}).
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

    private final NetlinkTransport transport;
    private final NetlinkProtocol protocol;
    private final ReentrantLock lock = new ReentrantLock();
    private final Exchanges exchanges; // guarded by lock
    private volatile boolean closed;

    private NetlinkSocket(NetlinkTransport transport, NetlinkSocketOptions options) {
        this.transport = transport;
        this.protocol = transport.protocol();
        this.exchanges = new Exchanges(transport, options);
    }

    /** Opens a socket in the calling thread's network namespace with default options. */
    public static NetlinkSocket open(NetlinkProtocol protocol) throws NetlinkException {
        return open(protocol, NetlinkSocketOptions.defaults());
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NetlinkSocket open(NetlinkProtocol protocol, NetlinkSocketOptions options) throws NetlinkException {
        return new NetlinkSocket(NativeSocketOpener.open(protocol, options), options);
    }

    /**
     * A socket over {@code transport} instead of a native socket, e.g. a fake
     * kernel in a test. The socket owns the transport and closes it.
     * Options that configure the native socket (buffer sizes, timeout) are
     * the transport's business; the others apply.
     */
    public static NetlinkSocket over(NetlinkTransport transport, NetlinkSocketOptions options) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(options, "options");
        return new NetlinkSocket(transport, options);
    }

    /** The port id the kernel assigned (nl_pid). */
    public int portId() {
        return transport.portId();
    }

    public NetlinkProtocol protocol() {
        return protocol;
    }

    /** The receive buffer the kernel granted, in bytes (SO_RCVBUF as read back). */
    public int receiveBufferBytes() {
        return transport.receiveBufferBytes();
    }

    /** Most requests a batch puts into one sendmsg. */
    public int batchChunkMessages() {
        return exchanges.chunkMessages();
    }

    /** Replies dropped because they came from another sender, port or sequence. */
    public long droppedReplies() {
        return exchanges.dropped() + transport.droppedDatagrams();
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

    private BatchResult exchange(MessageWriter w, AckMode mode, MessageHandler onReply) throws NetlinkException {
        if (w.messageCount() == 0) {
            return new BatchResult(0, new int[0], new NetlinkException[0]);
        }
        enter();
        try {
            return exchanges.exchange(w, mode, onReply);
        } finally {
            lock.unlock();
        }
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
        enter();
        try {
            return exchanges.transaction(w);
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
            throw new DumpInterruptedException(exchanges.describe(w.buffer(), 0, w.length()), List.of(), 1);
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
                throw new DumpInterruptedException(exchanges.describe(w.buffer(), 0, w.length()), out, attempt);
            }
        }
    }

    private boolean dumpOnce(MessageWriter w, MessageHandler handler) throws NetlinkException {
        if (w.messageCount() != 1) {
            throw new IllegalArgumentException("a dump takes exactly one request, got " + w.messageCount());
        }
        enter();
        try {
            return exchanges.dumpOnce(w, handler);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the lock for an exchange, refusing a call from inside a callback
     * of this socket's own exchange: the nested exchange would read the outer
     * one's replies as foreign and drop them, truncating a dump silently and
     * then waiting for a DONE that was already consumed. On return the lock
     * is held and the socket open.
     */
    private void enter() throws NetlinkException {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(protocol + " socket used from inside a callback of its own "
                    + "request or dump; collect what the callback needs and act after the call returns");
        }
        lock.lock();
        if (closed) {
            lock.unlock();
            throw closedException();
        }
    }

    private NetlinkException closedException() {
        return new NetlinkException(Errno.EBADF.intValue(), protocol + " socket", "socket is closed", -1);
    }

    /** Test hook: the sequence number the next request will use. */
    int nextSequence() {
        lock.lock();
        try {
            return exchanges.nextSequence();
        } finally {
            lock.unlock();
        }
    }

    /** Test hook: makes the next request use {@code seq} (0 becomes 1), e.g. to exercise wrap-around. */
    void nextSequence(int seq) {
        lock.lock();
        try {
            exchanges.nextSequence(seq);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The index of interface {@code name} in this socket's namespace, or -1 if
     * there is none. On a native socket this is one ioctl (SIOCGIFINDEX, what
     * {@code if_nametoindex(3)} does) instead of a netlink round trip; the
     * socket's namespace is the one asked, whatever thread calls. On a closed
     * socket it fails with EBADF, also when the close races the call.
     */
    public int interfaceIndex(String name) throws NetlinkException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 15) {
            throw new IllegalArgumentException("interface name \"" + name + "\" must be 1..15 bytes");
        }
        // Under the lock close() takes: checked open and used open, never a reused fd number.
        lock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            return transport.interfaceIndex(name);
        } finally {
            lock.unlock();
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
            transport.close();
        } finally {
            lock.unlock();
        }
    }
}
