package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.NetlinkTransport;
import dev.overlaynet.netlink.internal.ffi.LibC;

import dev.overlaynet.netlink.internal.codec.Nlmsg;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import jnr.constants.platform.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link NetlinkTransport}: a native {@code AF_NETLINK} socket,
 * opened by {@link NativeSocketOpener}. This is the send and receive/ack
 * path.
 *
 * <p>Every datagram is first peeked with {@code MSG_PEEK|MSG_TRUNC} to learn
 * its true size, so a truncated datagram is never parsed; the receive buffer
 * grows when a datagram is larger. When only acks are expected they are
 * drained with {@code recvmmsg}, many per syscall ({@link AckReader}).
 * The socket is connected to the kernel, which then refuses every other
 * sender's unicast (ECONNREFUSED) before it reaches the queue; the receive
 * paths that take the sender address anyway (peek, recvmmsg) still drop and
 * count any datagram not from port 0, as a second line. One expected ack is
 * read with {@code recv(2)}, which copies no address. Nothing here allocates
 * per message.
 */
public final class NativeTransport implements NetlinkTransport {
    private static final Logger LOG = LoggerFactory.getLogger(NativeTransport.class);
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_TRUNC = 0x20;
    private static final int SOCKADDR_NL_LEN = NativeSocketOpener.SOCKADDR_NL_LEN;
    /**
     * Smallest buffer that {@link #receiveAcks(int)} reads into directly. With
     * NETLINK_CAP_ACK an ack or error is a 36-byte header plus extended-ack
     * attributes (a short text, an offset, a small policy nest): far below this.
     */
    private static final int ACK_READ_MIN = 16 << 10;

    private final LibC.Calls libc;
    private final int fd;
    private final int portId;
    private final NetlinkProtocol protocol;
    private final NetlinkSocketOptions options;
    private final int receiveBufferBytes;
    private final AtomicLong dropped = new AtomicLong();
    private final ByteBuffer addr = NativeSocketOpener.direct(SOCKADDR_NL_LEN);
    /** One {@code struct msghdr} (56 bytes) and its {@code struct iovec} (16) for recvmsg into {@link #rbuf}. */
    private final ByteBuffer msghdr = NativeSocketOpener.direct(72);
    private final long msghdrAddress = Native.address(msghdr);
    private final InterfaceIndexLookup ifindex;
    private ByteBuffer rbuf;
    /** The native address of {@link #rbuf}, set with it. */
    private long rbufAddress;
    private AckReader acks;
    /** The last buffer sent from and its address: writers are pooled, so this almost always hits. */
    private ByteBuffer lastSent;
    private long lastSentAddress;

    NativeTransport(LibC.Calls libc, int fd, int portId, NetlinkProtocol protocol, NetlinkSocketOptions options,
                    int receiveBufferBytes) {
        this.libc = libc;
        this.fd = fd;
        this.portId = portId;
        this.protocol = protocol;
        this.options = options;
        this.receiveBufferBytes = receiveBufferBytes;
        this.rbuf = NativeSocketOpener.direct(options.initialReadBufferBytes());
        msghdr.putLong(0, Native.address(addr));   // msg_name
        msghdr.putLong(16, msghdrAddress + 56);      // msg_iov
        msghdr.putLong(24, 1);                       // msg_iovlen
        readInto(rbuf);
        this.ifindex = new InterfaceIndexLookup(libc, fd);
    }

    @Override
    public NetlinkProtocol protocol() {
        return protocol;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    @Override
    public ByteBuffer buffer() {
        return rbuf;
    }

    @Override
    public long droppedDatagrams() {
        return dropped.get();
    }

    @Override
    public void send(ByteBuffer b, int off, int len) throws NetlinkException {
        if (off < 0 || len < 0 || off + len > b.capacity()) {
            throw new IndexOutOfBoundsException("send " + len + " bytes at " + off + " of " + b.capacity());
        }
        if (b != lastSent) {
            lastSentAddress = Native.address(b);
            lastSent = b;
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("send {} bytes on port {}: {}", len, portId, Hex.dump(b, off, len));
        }
        try {
            for (;;) {
                // send(2): an unconnected netlink socket's default destination is the kernel.
                long n = libc.send(fd, lastSentAddress + off, len, 0);
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
        } finally {
            Reference.reachabilityFence(b);
        }
    }

    /**
     * Reads one datagram when only acks and errors are expected: they are
     * drained with recvmmsg, many per syscall, instead of a peek and a read
     * each. The kernel flags a datagram that did not fit its slot with
     * MSG_TRUNC; it is reported and never parsed (it cannot happen for capped
     * acks, but if it does the exchange fails loudly).
     */
    @Override
    public int receiveAcks(int expected) throws NetlinkException {
        if (rbuf.capacity() < ACK_READ_MIN) {
            return receive();
        }
        if (expected == 1 && (acks == null || !acks.hasPending())) {
            return receiveOne();
        }
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

    /**
     * One expected ack: a single recv straight into the read buffer (at least
     * {@link #ACK_READ_MIN} bytes), without the peek. MSG_TRUNC makes the
     * kernel return the datagram's true length, so one that did not fit is
     * detected, reported and never parsed, as in {@link #nextPendingAck()}.
     * recv, not recvmsg: the socket is connected to the kernel, so no other
     * sender's datagram can be queued, and the kernel copies no msghdr in and
     * no address out (the difference is ~0.23 us per call here, about 5% of a
     * one-request neighbour add).
     */
    private int receiveOne() throws NetlinkException {
        int cap = rbuf.capacity();
        long n = recv(MSG_TRUNC);
        if (n > cap) {
            throw new NetlinkException(Errno.EMSGSIZE.intValue(), "recvfrom(" + protocol + ")",
                    "a reply of " + n + " bytes, longer than the " + cap
                            + "-byte buffer, was truncated by the kernel and dropped unread", -1);
        }
        return received(n);
    }

    /** One recv(2) into {@link #rbuf}, retried on EINTR; the datagram's length (its true length with MSG_TRUNC). */
    private long recv(int flags) throws NetlinkException {
        for (;;) {
            long n = libc.recv(fd, rbufAddress, rbuf.capacity(), flags);
            Reference.reachabilityFence(rbuf);
            if (n >= 0) {
                return n;
            }
            int e = Native.errno();
            if (e != Errno.EINTR.intValue()) {
                throw receiveFailure(e);
            }
        }
    }

    /** Makes {@code b} the read buffer and the iovec of {@link #msghdr}. */
    private void readInto(ByteBuffer b) {
        rbuf = b;
        rbufAddress = Native.address(b);
        msghdr.putLong(56, rbufAddress);          // iov_base
        msghdr.putLong(64, b.capacity());        // iov_len
    }

    /**
     * One recvmsg(2) into {@link #rbuf}, the sender's address into
     * {@link #addr}, retried on EINTR; the datagram's length (its true length
     * with MSG_TRUNC).
     */
    private long recvmsg(int flags) throws NetlinkException {
        for (;;) {
            msghdr.putInt(8, SOCKADDR_NL_LEN);   // msg_namelen (the kernel writes it back)
            long n = libc.recvmsg(fd, msghdrAddress, flags);
            Reference.reachabilityFence(rbuf);
            if (n >= 0) {
                return n;
            }
            int e = Native.errno();
            if (e != Errno.EINTR.intValue()) {
                throw receiveFailure(e);
            }
        }
    }

    /** True (and counted) when the datagram just read came from a sender other than the kernel. */
    private boolean fromOtherSender(long n) {
        int sender = addr.getInt(4);
        if (sender == 0) {
            return false;
        }
        dropped.incrementAndGet();
        LOG.debug("dropped {}-byte datagram from port {} (not the kernel)", n, sender);
        return true;
    }

    private int received(long n) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("recv {} bytes on port {}: {}", n, portId, Hex.dump(rbuf, 0, (int) n));
        }
        return (int) n;
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
    @Override
    public int receive() throws NetlinkException {
        // Datagrams already taken off the socket by a recvmmsg come first, in order.
        while (acks != null && acks.hasPending()) {
            int n = nextPendingAck();
            if (n >= 0) {
                return n;
            }
        }
        for (;;) {
            int cap = rbuf.capacity();
            long n = recvmsg(MSG_PEEK | MSG_TRUNC);
            if (n > cap) {
                int grown = Nlmsg.align((int) n + 4095) & ~4095;
                LOG.debug("datagram of {} bytes exceeds {}-byte buffer; growing to {}", n, cap, grown);
                readInto(NativeSocketOpener.direct(grown));
                continue;
            }
            // Dequeue what we peeked; a zero-length read copies nothing.
            while (libc.recvfrom(fd, null, 0, 0, null, null) < 0) {
                int e = Native.errno();
                if (e != Errno.EINTR.intValue()) {
                    throw new NetlinkException(e, "recvfrom(" + protocol + ")", null, -1);
                }
            }
            if (fromOtherSender(n)) {
                continue;
            }
            return received(n);
        }
    }

    @Override
    public int interfaceIndex(String name) throws NetlinkException {
        return ifindex.lookup(name);
    }

    @Override
    public void close() {
        libc.close(fd);
        LOG.debug("closed {} fd={} port={}", protocol, fd, portId);
    }
}
