package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.internal.ffi.LibC;

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
public final class AckReader {
    // One syscall for a whole default chunk (256 requests per sendmsg): with 32 slots a
    // batch of 10,000 acked requests took 313 recvmmsg calls, the C client 40 (strace -c).
    // Slots stay 2 KiB: a batch of GETs without a reply handler drains the replies here
    // too (a link message is 1-2 KiB). The slot array starts at 32 and grows to 256 only
    // for a socket that asks for that many acks at once, so a socket that never batches
    // keeps 64 KiB, not 512.
    public static final int SLOTS = 256;
    public static final int SLOT_BYTES = 2048;
    private static final int INITIAL_SLOTS = 32;
    private static final int MSGHDR = 64; // struct mmsghdr on LP64: msghdr (56) + msg_len + pad
    private static final int IOVEC = 16;
    private static final int SOCKADDR = 16;
    private static final int MSG_WAITFORONE = 0x10000;
    private static final int MSG_TRUNC = 0x20;

    private final LibC.Calls libc;
    private final int fd;
    private int capacity;
    private ByteBuffer data;
    private ByteBuffer vec;
    private long vecAddress;
    private ByteBuffer iov;
    private ByteBuffer names;
    private int count;
    private int next;

    AckReader(LibC.Calls libc, int fd) {
        this.libc = libc;
        this.fd = fd;
        allocate(INITIAL_SLOTS);
    }

    /** Slots currently allocated (test hook). */
    int capacity() {
        return capacity;
    }

    private void allocate(int slots) {
        data = direct(slots * SLOT_BYTES);
        vec = direct(slots * MSGHDR);
        iov = direct(slots * IOVEC);
        names = direct(slots * SOCKADDR);
        vecAddress = Native.address(vec);
        long dataAddr = Native.address(data);
        long iovAddr = Native.address(iov);
        long nameAddr = Native.address(names);
        for (int i = 0; i < slots; i++) {
            iov.putLong(i * IOVEC, dataAddr + (long) i * SLOT_BYTES);
            iov.putLong(i * IOVEC + 8, SLOT_BYTES);
            int h = i * MSGHDR;
            vec.putLong(h, nameAddr + (long) i * SOCKADDR);  // msg_name
            vec.putLong(h + 16, iovAddr + (long) i * IOVEC);  // msg_iov
            vec.putLong(h + 24, 1);                          // msg_iovlen
        }
        capacity = slots;
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
        if (slots > capacity) {
            if (hasPending()) {
                throw new IllegalStateException("recvmmsg slots regrown with datagrams pending");
            }
            allocate(Math.min(SLOTS, Integer.highestOneBit(slots - 1) << 1));
        }
        for (int i = 0; i < slots; i++) {
            int h = i * MSGHDR;
            vec.putInt(h + 8, 12); // msg_namelen: sockaddr_nl
            vec.putInt(h + 48, 0); // msg_flags
            vec.putInt(h + 56, 0); // msg_len
        }
        int n = libc.recvmmsg(fd, vecAddress, slots, MSG_WAITFORONE, 0L);
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

    public static boolean interrupted(int negErrno) {
        return -negErrno == Errno.EINTR.intValue();
    }
}
