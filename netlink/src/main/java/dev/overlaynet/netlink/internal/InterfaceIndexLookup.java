package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.ffi.LibC;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jnr.constants.platform.Errno;

/**
 * Looks up an interface index with one {@code SIOCGIFINDEX} ioctl on the
 * socket's fd (what {@code if_nametoindex(3)} does), instead of a netlink
 * round trip: the socket's namespace is the one asked, whatever thread calls.
 *
 * <p>Not thread-safe, and the fd must stay open for the call: the owning
 * {@link NetlinkSocket} calls it under its lock, the same lock
 * {@link NetlinkSocket#close()} takes, so a concurrent close can never let
 * the ioctl reach a reused fd number (a socket of another namespace).
 */
public final class InterfaceIndexLookup {
    private static final long SIOCGIFINDEX = 0x8933;
    private static final int IFREQ_LEN = 40;

    private final LibC.Calls libc;
    private final int fd;
    private final ByteBuffer ifreq = NativeSocketOpener.direct(IFREQ_LEN);
    private final long ifreqAddress = Native.address(ifreq);

    InterfaceIndexLookup(LibC.Calls libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** The index of {@code name}, or -1 when the namespace has no such interface. */
    int lookup(String name) throws NetlinkException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < IFREQ_LEN; i++) {
            ifreq.put(i, (byte) 0);
        }
        ifreq.put(0, b, 0, b.length);
        if (libc.ioctl(fd, SIOCGIFINDEX, ifreqAddress) < 0) {
            int e = Native.errno();
            if (e == Errno.ENODEV.intValue()) {
                return -1;
            }
            throw new NetlinkException(e, "SIOCGIFINDEX " + name, null, -1);
        }
        return ifreq.getInt(16);
    }
}
