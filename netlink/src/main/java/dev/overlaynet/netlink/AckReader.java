package dev.overlaynet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.constants.platform.Errno;

/**
 * Drains acknowledgements with {@code recvmmsg(2)}: up to {@link #SLOTS}
 * datagrams per syscall (blocking for the first only), each in its own
 * {@link #SLOT_BYTES}-byte slot. Capped acks and errors are a few hundred
 * bytes at most; a datagram the kernel had to truncate is flagged with
 * MSG_TRUNC and reported, never parsed. Datagrams are handed out one at a
 * time so the caller's parsing is the same as for a single read.
 *
 * <p>Not thread-safe: owned by one {@link NetlinkSocket}, used under its lock.
 */
final class AckReader {
    // One syscall for a whole default chunk (256 requests per sendmsg): with 32 slots a
    // batch of 10,000 acked requests took 313 recvmmsg calls, the C client 40 (strace -c).
    // 256 slots of 1 KiB is the C client's layout; a capped ack with ext-ack text is a few
    // hundred bytes, and a longer one is flagged MSG_TRUNC and reported, never parsed.
    static final int SLOTS = 256;
    static final int SLOT_BYTES = 1024;
    private static final int MSGHDR = 64; // struct mmsghdr on LP64: msghdr (56) + msg_len + pad
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 16;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int MSG_TRUNC = 0x20;

    private final LibC.Calls libc;
    private final int fd;
    private final ByteBuffer data = direct(SLOTS * SLOT_BYTES);
    private final ByteBuffer vec = direct(SLOTS * MSGHDR);
    private final ByteBuffer iov = direct(SLOTS * IOVEC);
    private final ByteBuffer names = direct(SLOTS * SOCKADDR);
    private int count;
    private int next;

    AckReader(LibC.Calls libc, int fd) {
        this.libc = libc;
        this.fd = fd;
        long dataAddr = Native.address(data);
        long iovAddr = Native.address(iov);
        long nameAddr = Native.address(names);
        for (int i = 0; i < SLOTS; i++) {
            iov.putLong(i * IOVEC, dataAddr + (long) i * SLOT_BYTES);
            iov.putLong(i * IOVEC + 8, SLOT_BYTES);
            int h = i * MSGHDR;
            vec.putLong(h, nameAddr + (long) i * SOCKADDR);  // msg_name
            vec.putLong(h + 16, iovAddr + (long) i * IOVEC);  // msg_iov
            vec.putLong(h + 24, 1);                          // msg_iovlen
        }
    }

    private static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }

    /** True when datagrams from the last syscall are still waiting to be handed out. */
    boolean hasPending() {
        return next < count;
    }

    /**
     * Refills up to {@code expected} slots with one recvmmsg (asking for more
     * than are expected would only cost slot resets). Returns the number of
     * datagrams, or a negative errno.
     */
    int fill(int expected) {
        int slots = Math.max(1, Math.min(SLOTS, expected));
        for (int i = 0; i < slots; i++) {
            int h = i * MSGHDR;
            vec.putInt(h + 8, 12); // msg_namelen: sockaddr_nl
            vec.putInt(h + 48, 0); // msg_flags
            vec.putInt(h + 56, 0); // msg_len
        }
        int n = libc.recvmmsg(fd, vec, slots, MSG_WAITFORONE, null);
        if (n < 0) {
            return -Native.errno();
        }
        count = n;
        next = 0;
        return n;
    }

    /** The sender port (nl_pid) of the next pending datagram. */
    int senderOfNext() {
        return names.getInt(next * SOCKADDR + 4);
    }

    /** True when the kernel truncated the next pending datagram. */
    boolean nextTruncated() {
        return (vec.getInt(next * MSGHDR + 48) & MSG_TRUNC) != 0;
    }

    /** Length of the next pending datagram. */
    int lengthOfNext() {
        return vec.getInt(next * MSGHDR + 56);
    }

    /** Copies the next pending datagram to the start of {@code into} and returns its length. */
    int take(ByteBuffer into) {
        int len = lengthOfNext();
        into.put(0, data, next * SLOT_BYTES, len);
        next++;
        return len;
    }

    /** Skips the next pending datagram. */
    void skip() {
        next++;
    }

    static boolean interrupted(int negErrno) {
        return -negErrno == Errno.EINTR.intValue();
    }
}
