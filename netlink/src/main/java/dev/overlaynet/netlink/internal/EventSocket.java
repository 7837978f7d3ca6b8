package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.ffi.EventCalls;
import dev.overlaynet.netlink.internal.ffi.LibC;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.constants.platform.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A netlink socket that listens to multicast groups (notifications), read by
 * one thread with {@code recvmmsg(2)}, many datagrams per syscall.
 *
 * <p>Like every socket of the library it belongs to the namespace it was
 * created in: open it inside the namespace (e.g. {@code ns.call(() ->
 * EventSocket.open(...))}). The reading thread blocks in {@code poll(2)} on
 * the socket and an eventfd, so {@link #wakeup()} returns it from
 * {@link #read()} at once (a netlink socket cannot be shut down, and a
 * receive timeout would make closing slow). The receive buffer defaults to
 * 32 MiB (SO_RCVBUFFORCE when privileged): the kernel charges ~832 bytes per
 * queued notification, so the 208 KiB default holds only ~256 of them.
 *
 * <p>{@link #read()} reports {@link #OVERRUN} when the kernel dropped
 * notifications (ENOBUFS): the reader must then treat its view as stale.
 * Datagrams keep their sender; callers drop those not from the kernel
 * ({@link #sender(int)} != 0).
 *
 * <pre>{@code
 * try (EventSocket s = ns.call(() -> EventSocket.open(NetlinkProtocol.NETLINK_ROUTE,
 *         new int[] {RtNetlink.RTNLGRP_NEIGH}, EventSocket.DEFAULT_RECEIVE_BUFFER, false))) {
 *     int n = s.read();                       // blocks; n datagrams, OVERRUN or WOKEN
 *     for (int i = 0; i < n; i++) {
 *         if (s.sender(i) == 0) handle(s.datagram(i));
 *     }
 * }
 * }</pre>
 */
public final class EventSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventSocket.class);

    /** {@link #read()}: the kernel dropped notifications (ENOBUFS). */
    public static final int OVERRUN = -1;
    /** {@link #read()}: {@link #wakeup()} was called (or the socket is closing). */
    public static final int WOKEN = -2;
    /** Receive buffer asked for by default: 32 MiB (the kernel doubles it). */
    public static final int DEFAULT_RECEIVE_BUFFER = 32 << 20;

    public static final int NETLINK_ADD_MEMBERSHIP = 1;
    public static final int NETLINK_LISTEN_ALL_NSID = 8;
    private static final int SLOTS = 64;
    private static final int MMSGHDR = 64;
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 16;
    private static final int CONTROL = 32; // CMSG_SPACE(sizeof(int))
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_TRUNC = 0x20;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int POLLIN = 0x1;
    private static final int EPOLLIN = 0x1;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CLOEXEC = 0x80000;

    private final LibC.Calls libc;
    private final EventCalls.Calls ev;
    private final int fd;
    private final int wakeFd;
    private final int portId;
    private final NetlinkProtocol protocol;
    private final int receiveBufferBytes;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer pollFds = direct(16);
    private final ByteBuffer wakeWord = direct(8);
    private final ByteBuffer drainWord = direct(8);
    private final ByteBuffer kernel = direct(SOCKADDR_NL);
    /** Where {@link #pending()}'s epoll_wait writes its (ignored) event; 16 bytes fit either layout. */
    private final ByteBuffer ready = direct(16);
    private final long readyAddress = Native.address(ready);
    /** The epoll set of {@link #pending()}, created on first use; -1 before. */
    private volatile int epfd = -1;
    /**
     * {@link #pending()} and {@link #nothingQueuedByCount()} calls under way:
     * {@link #close()} waits for them before it closes the fds and unmaps the counter.
     */
    private final java.util.concurrent.atomic.AtomicInteger checkers = new java.util.concurrent.atomic.AtomicInteger();
    private long truncated;
    /** Counts what the kernel let through to this socket; null without one. */
    private final DeliveryCounter counter;
    /** Datagrams taken off the socket (written by the one reader). */
    private volatile long consumed;
    /** Drops accounted for: {@link #nothingQueuedByCount()} holds when delivered == consumed + this. */
    private volatile long countOffset;
    /** False from an overrun (drops not yet accounted for) until {@link #recount()} succeeds. */
    private volatile boolean countTrusted;
    private int slotBytes = 16 << 10;
    private ByteBuffer data;
    private ByteBuffer vec;
    private long vecAddress;
    private ByteBuffer iov;
    private ByteBuffer names;
    private ByteBuffer control;
    private int count;

    private static final int SOCKADDR_NL = 12;
    private static final int SO_MEMINFO = 55;
    private static final int SK_MEMINFO_VARS = 9;
    private static final int SK_MEMINFO_DROPS = 8;

    private EventSocket(LibC.Calls libc, EventCalls.Calls ev, int fd, int wakeFd, int portId,
                        NetlinkProtocol protocol, int receiveBufferBytes, DeliveryCounter counter) {
        this.counter = counter;
        this.countTrusted = counter != null;
        this.libc = libc;
        this.ev = ev;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.portId = portId;
        this.protocol = protocol;
        this.receiveBufferBytes = receiveBufferBytes;
        kernel.putShort(0, (short) NativeSocketOpener.AF_NETLINK);
        pollFds.putInt(0, fd).putShort(4, (short) POLLIN);
        pollFds.putInt(8, wakeFd).putShort(12, (short) POLLIN);
        wakeWord.putLong(0, 1);
        allocate();
    }

    private static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }

    private void allocate() {
        data = direct(SLOTS * slotBytes);
        vec = direct(SLOTS * MMSGHDR);
        vecAddress = Native.address(vec);
        iov = direct(SLOTS * IOVEC);
        names = direct(SLOTS * SOCKADDR);
        control = direct(SLOTS * CONTROL);
        long dataAddr = Native.address(data);
        long iovAddr = Native.address(iov);
        long nameAddr = Native.address(names);
        long ctlAddr = Native.address(control);
        for (int i = 0; i < SLOTS; i++) {
            iov.putLong(i * IOVEC, dataAddr + (long) i * slotBytes);
            iov.putLong(i * IOVEC + 8, slotBytes);
            int h = i * MMSGHDR;
            vec.putLong(h, nameAddr + (long) i * SOCKADDR);
            vec.putLong(h + 16, iovAddr + (long) i * IOVEC);
            vec.putLong(h + 24, 1);
            vec.putLong(h + 32, ctlAddr + (long) i * CONTROL);
        }
    }

    /**
     * Opens a socket in the calling thread's namespace that has joined
     * {@code groups} (e.g. {@code RTNLGRP_NEIGH}); with {@code allNamespaces}
     * it also receives notifications of the namespaces that have an id in this
     * one (NETLINK_LISTEN_ALL_NSID), each tagged with that id.
     */
    public static EventSocket open(NetlinkProtocol protocol, int[] groups, int receiveBufferBytes,
                                   boolean allNamespaces) throws NetlinkException {
        return open(protocol, groups, receiveBufferBytes, allNamespaces, false);
    }

    /**
     * {@link #open(NetlinkProtocol, int[], int, boolean)}, and with
     * {@code countDeliveries} a {@link DeliveryCounter} attached before the
     * socket is bound, so {@link #nothingQueuedByCount()} can prove an empty
     * queue without a system call; such a socket is connected to the kernel, so
     * only the kernel's datagrams reach it. Where a counter cannot be had (privileges,
     * architecture) the socket is opened without one and
     * {@link #countsDeliveries()} is false.
     */
    public static EventSocket open(NetlinkProtocol protocol, int[] groups, int receiveBufferBytes,
                                   boolean allNamespaces, boolean countDeliveries) throws NetlinkException {
        if (receiveBufferBytes < 1) {
            throw new IllegalArgumentException("receiveBufferBytes " + receiveBufferBytes + " must be >= 1");
        }
        LibC.Calls libc = Native.libc();
        EventCalls.Calls ev = EventCalls.calls();
        int fd = libc.socket(NativeSocketOpener.AF_NETLINK, NativeSocketOpener.SOCK_RAW | NativeSocketOpener.SOCK_CLOEXEC,
                protocol.value());
        if (fd < 0) {
            throw new NetlinkException(Native.errno(), "socket(AF_NETLINK, " + protocol + ")", null, -1);
        }
        int wake = -1;
        try {
            DeliveryCounter counter = countDeliveries ? DeliveryCounter.attach(fd) : null;
            ByteBuffer v = direct(4);
            v.putInt(0, receiveBufferBytes);
            if (libc.setsockopt(fd, NativeSocketOpener.SOL_SOCKET, NativeSocketOpener.SO_RCVBUFFORCE, v, 4) < 0) {
                setopt(libc, fd, NativeSocketOpener.SOL_SOCKET, NativeSocketOpener.SO_RCVBUF, v, "SO_RCVBUF");
            }
            ByteBuffer sa = direct(SOCKADDR_NL);
            sa.putShort(0, (short) NativeSocketOpener.AF_NETLINK);
            if (libc.bind(fd, sa, SOCKADDR_NL) < 0) {
                throw new NetlinkException(Native.errno(), "bind(AF_NETLINK)", null, -1);
            }
            // A counted socket takes datagrams from the kernel only, so other senders are refused
            // before they reach the filter. That keeps the count exact: a blocked user sender
            // retries its delivery, and each retry would pass the filter again.
            if (counter != null) {
                NativeSocketOpener.connectToKernel(libc, fd);
            }
            for (int g : groups) {
                v.putInt(0, g);
                setopt(libc, fd, NativeSocketOpener.SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, v,
                        "NETLINK_ADD_MEMBERSHIP " + g);
            }
            if (allNamespaces) {
                v.putInt(0, 1);
                setopt(libc, fd, NativeSocketOpener.SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, v, "NETLINK_LISTEN_ALL_NSID");
            }
            ByteBuffer len = direct(4);
            len.putInt(0, SOCKADDR_NL);
            if (libc.getsockname(fd, sa, len) < 0) {
                throw new NetlinkException(Native.errno(), "getsockname(AF_NETLINK)", null, -1);
            }
            int port = sa.getInt(4);
            len.putInt(0, 4);
            int rcv = libc.getsockopt(fd, NativeSocketOpener.SOL_SOCKET, NativeSocketOpener.SO_RCVBUF, v, len) == 0
                    ? v.getInt(0) : receiveBufferBytes;
            wake = ev.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
            if (wake < 0) {
                throw new NetlinkException(Native.errno(), "eventfd", null, -1);
            }
            LOG.debug("opened event socket {} fd={} port={} groups={} rcvbuf={}", protocol, fd, port,
                    java.util.Arrays.toString(groups), rcv);
            return new EventSocket(libc, ev, fd, wake, port, protocol, rcv, counter);
        } catch (NetlinkException | RuntimeException e) {
            libc.close(fd);
            if (wake >= 0) {
                libc.close(wake);
            }
            throw e;
        }
    }

    private static void setopt(LibC.Calls libc, int fd, int level, int name, ByteBuffer v, String what)
            throws NetlinkException {
        if (libc.setsockopt(fd, level, name, v, 4) < 0) {
            throw new NetlinkException(Native.errno(), "setsockopt(" + what + ")", null, -1);
        }
    }

    public int portId() {
        return portId;
    }

    public NetlinkProtocol protocol() {
        return protocol;
    }

    /** The receive buffer the kernel granted (SO_RCVBUF read back, i.e. doubled). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Datagrams longer than a slot, dropped unread (each was reported as an overrun). */
    public long truncatedDatagrams() {
        return truncated;
    }

    /**
     * Blocks until datagrams are queued, then takes up to 64 of them with one
     * recvmmsg. Returns their number, {@link #OVERRUN} when the kernel dropped
     * notifications since the last read, or {@link #WOKEN}. Only one thread may
     * read; the datagrams stay valid until the next read.
     */
    public int read() throws NetlinkException {
        for (;;) {
            int n = readAvailable();
            if (n != 0) {
                return n;
            }
            if (!await()) {
                return WOKEN;
            }
        }
    }

    /**
     * Waits until a datagram (or an error) is queued, without taking it;
     * false when woken by {@link #wakeup()} or closing. With
     * {@link #readAvailable()} this lets a reader mark itself busy before it
     * takes anything off the socket.
     */
    public boolean await() throws NetlinkException {
        return await(-1);
    }

    /** {@link #await()} for at most {@code timeoutMillis} (-1: no limit); false on timeout too. */
    public boolean await(int timeoutMillis) throws NetlinkException {
        for (;;) {
            if (closed.get()) {
                return false;
            }
            pollFds.putShort(6, (short) 0).putShort(14, (short) 0);
            int p = ev.poll(pollFds, 2, timeoutMillis);
            if (p < 0) {
                int pe = Native.errno();
                if (pe != Errno.EINTR.intValue()) {
                    throw new NetlinkException(pe, "poll(" + protocol + " events)", null, -1);
                }
                continue;
            }
            if (p == 0) {
                return false;
            }
            if ((pollFds.getShort(14) & POLLIN) != 0) {
                ev.read(wakeFd, drainWord, 8);
                return false;
            }
            if (pollFds.getShort(6) != 0) {
                return true;
            }
        }
    }

    /**
     * Takes what is queued without waiting: up to 64 datagrams (their number),
     * 0 when none is, or {@link #OVERRUN}.
     */
    public int readAvailable() throws NetlinkException {
        for (;;) {
            for (int i = 0; i < SLOTS; i++) {
                int h = i * MMSGHDR;
                vec.putInt(h + 8, SOCKADDR_NL);
                vec.putLong(h + 40, CONTROL);
                vec.putInt(h + 48, 0);
                vec.putInt(h + 56, 0);
            }
            int n = libc.recvmmsg(fd, vecAddress, SLOTS, MSG_DONTWAIT, 0L);
            if (n > 0) {
                consumed += n; // single reader: no lost update
                count = n;
                for (int i = 0; i < n; i++) {
                    if (truncated(i)) {
                        truncated++;
                        LOG.warn("{}-byte notification exceeds the {}-byte slot and was dropped; slots grow",
                                length(i), slotBytes);
                        slotBytes = Math.min(slotBytes * 2, 1 << 20);
                        allocate();
                        count = 0;
                        return OVERRUN;
                    }
                }
                return n;
            }
            int e = n < 0 ? Native.errno() : Errno.EAGAIN.intValue();
            if (e == Errno.ENOBUFS.intValue()) {
                countTrusted = false; // drops were counted as delivered but never arrive
                return OVERRUN;
            }
            if (e == Errno.EAGAIN.intValue() || e == Errno.EWOULDBLOCK.intValue()) {
                return 0;
            }
            if (e != Errno.EINTR.intValue()) {
                throw new NetlinkException(e, "recvmmsg(" + protocol + " events)", null, -1);
            }
        }
    }

    /** {@return whether a {@link DeliveryCounter} counts this socket's datagrams} */
    public boolean countsDeliveries() {
        return counter != null;
    }

    /**
     * True when the delivery counter proves, without a system call, that
     * nothing is queued: every datagram the kernel let through since the socket
     * was opened was taken off it by a read, or dropped and accounted for.
     * False when it cannot tell (no counter, an overrun not yet accounted for
     * by {@link #recount()}, or something is queued). It sees what the filter
     * sees: a notification the kernel failed to allocate reaches the socket as
     * an error only (the reader's next read reports {@link #OVERRUN}), not as
     * a datagram. False once closed. Safe from any thread; meaningful while the
     * reader is idle.
     */
    public boolean nothingQueuedByCount() {
        if (!countTrusted) {
            return false;
        }
        // Registered before the closed check: close() unmaps the counter only when no check is in.
        checkers.incrementAndGet();
        try {
            return !closed.get() && counter.delivered() == consumed + countOffset;
        } finally {
            checkers.decrementAndGet();
        }
    }

    /**
     * After an overrun, accounts for the dropped datagrams so that
     * {@link #nothingQueuedByCount()} can hold again. Call from the reader when
     * it has drained the socket. It succeeds only when the kernel's drop count
     * explains the whole difference between delivered and consumed, which also
     * proves that no datagram is between the filter and the queue; otherwise
     * the counter stays untrusted until a later call. Returns whether the
     * counter is trusted now.
     */
    public boolean recount() throws NetlinkException {
        if (counter == null || countTrusted) {
            return countTrusted;
        }
        long drops = drops();
        long delivered = counter.delivered();
        if (delivered == consumed + drops) {
            countOffset = drops;
            countTrusted = true;
        }
        return countTrusted;
    }

    /** The kernel's drop count for this socket (SO_MEMINFO, SK_MEMINFO_DROPS). */
    private long drops() throws NetlinkException {
        ByteBuffer mem = direct(SK_MEMINFO_VARS * 4);
        ByteBuffer len = direct(4);
        len.putInt(0, SK_MEMINFO_VARS * 4);
        if (libc.getsockopt(fd, NativeSocketOpener.SOL_SOCKET, SO_MEMINFO, mem, len) < 0) {
            throw new NetlinkException(Native.errno(), "getsockopt(SO_MEMINFO)", null, -1);
        }
        return Integer.toUnsignedLong(mem.getInt(SK_MEMINFO_DROPS * 4));
    }

    /** Length of datagram {@code i} of the last read. */
    public int length(int i) {
        return vec.getInt(i * MMSGHDR + 56);
    }

    private boolean truncated(int i) {
        return (vec.getInt(i * MMSGHDR + 48) & MSG_TRUNC) != 0 || length(i) > slotBytes;
    }

    /** Sender port (nl_pid) of datagram {@code i}: 0 for the kernel. */
    public int sender(int i) {
        return names.getInt(i * SOCKADDR + 4);
    }

    /**
     * The namespace id of datagram {@code i} (its NETLINK_LISTEN_ALL_NSID
     * control message), or -1 when it has none: it comes from this socket's
     * own namespace.
     */
    public int nsid(int i) {
        long ctlLen = vec.getLong(i * MMSGHDR + 40);
        int base = i * CONTROL;
        if (ctlLen >= 20) {
            int level = control.getInt(base + 8);
            int type = control.getInt(base + 12);
            if (level == NativeSocketOpener.SOL_NETLINK && type == NETLINK_LISTEN_ALL_NSID) {
                return control.getInt(base + 16);
            }
        }
        return -1;
    }

    /** A copy of datagram {@code i}. */
    public byte[] datagram(int i) {
        byte[] b = new byte[length(i)];
        data.get(i * slotBytes, b);
        return b;
    }

    /**
     * True when a datagram (or an error) is queued on the socket, without
     * taking it: one {@code epoll_wait} with a zero timeout on an epoll set
     * holding only this socket, level-triggered. The kernel puts the socket on
     * the set's ready list inside the call that queues a notification, so a
     * change whose syscall returned before this call is seen; a ready entry is
     * re-checked against the queue by every epoll_wait, so an emptied queue
     * reads as not pending. Safe from any thread, also against {@link #close()}
     * (which waits for running checks). About half the cost of a
     * {@code MSG_PEEK} receive (229 against 430 ns on this machine's kernel),
     * which is what a link-cache lookup pays per name.
     */
    public boolean pending() throws NetlinkException {
        checkers.incrementAndGet();
        try {
            if (closed.get()) {
                throw new NetlinkException(Errno.EBADF.intValue(), protocol + " event socket", "socket is closed", -1);
            }
            int epfd = epollFd();
            for (;;) {
                int n = ev.epoll_wait(epfd, readyAddress, 1, 0);
                if (n >= 0) {
                    return n > 0;
                }
                int e = Native.errno();
                if (e != Errno.EINTR.intValue()) {
                    throw new NetlinkException(e, "epoll_wait(" + protocol + " events)", null, -1);
                }
            }
        } finally {
            checkers.decrementAndGet();
        }
    }

    private int epollFd() throws NetlinkException {
        int e = epfd;
        if (e >= 0) {
            return e;
        }
        synchronized (this) {
            if (epfd < 0) {
                int created = ev.epoll_create1(EPOLL_CLOEXEC);
                if (created < 0) {
                    throw new NetlinkException(Native.errno(), "epoll_create1", null, -1);
                }
                ByteBuffer event = direct(16);
                event.putInt(0, EPOLLIN); // events; the data word is never read (only the count is)
                if (ev.epoll_ctl(created, EPOLL_CTL_ADD, fd, event) < 0) {
                    int err = Native.errno();
                    libc.close(created);
                    throw new NetlinkException(err, "epoll_ctl(EPOLL_CTL_ADD)", null, -1);
                }
                epfd = created;
            }
            return epfd;
        }
    }

    /**
     * Sends the request(s) in {@code w} to the kernel from this socket; their
     * answers arrive among the notifications, in order (used as a barrier:
     * every notification queued before the request was handled precedes its
     * ack).
     */
    public void send(MessageWriter w) throws NetlinkException {
        if (closed.get()) {
            throw new NetlinkException(Errno.EBADF.intValue(), protocol + " event socket", "socket is closed", -1);
        }
        ByteBuffer b = w.buffer();
        ByteBuffer s = b.position() == 0 ? b : b.slice(0, w.length());
        long n = libc.sendto(fd, s, w.length(), 0, kernel, SOCKADDR_NL);
        if (n != w.length()) {
            throw new NetlinkException(n < 0 ? Native.errno() : Errno.EIO.intValue(),
                    "sendto(" + protocol + " events)", null, -1);
        }
    }

    /** Makes a blocked (or the next) {@link #read()} return {@link #WOKEN}. Any thread. */
    public void wakeup() {
        ev.write(wakeFd, wakeWord, 8);
    }

    /**
     * Closes the socket. Stop the reading thread first ({@link #wakeup()} and
     * wait for it): a descriptor closed under a blocked reader could be reused
     * by another open before the reader notices.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            // A pending() that passed its closed check may still be in epoll_wait: closing the
            // fds under it could let a new open reuse the numbers and answer in its place. A
            // nothingQueuedByCount() may still read the counter's mapping, unmapped below.
            while (checkers.get() != 0) {
                Thread.onSpinWait();
            }
            if (epfd >= 0) {
                libc.close(epfd);
            }
            libc.close(fd);
            libc.close(wakeFd);
            if (counter != null) {
                counter.unmap();
            }
            LOG.debug("closed event socket {} port={}", protocol, portId);
        }
    }

    /** {@return whether {@link #close()} has been called} */
    public boolean isClosed() {
        return closed.get();
    }

    /** Marks the socket closing and wakes its reader; {@link #read()} returns {@link #WOKEN} from now on. */
    public void shutdown() {
        if (!closed.get()) {
            wakeup();
        }
    }
}
