package dev.overlaynet.netlink.internal.ffi;
import dev.overlaynet.netlink.internal.EventSocket;
import dev.overlaynet.netlink.internal.Native;

import java.nio.ByteBuffer;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc calls an {@link EventSocket} needs beyond {@link LibC}: waiting on
 * the socket and a wakeup fd together, so that closing a subscription never
 * waits for a receive timeout. A separate binding (same libc, same errno) so
 * that the request path's binding stays untouched.
 */
public final class EventCalls {
    private EventCalls() {}

    /** Public only at the JVM level (jnr-ffi generates it); see {@link LibC.Calls}. */
    public interface Calls {
        int poll(@In @Out ByteBuffer fds, long nfds, int timeoutMillis);

        int eventfd(int initval, int flags);

        long write(int fd, @In ByteBuffer buf, long count);

        long read(int fd, @Out ByteBuffer buf, long count);

        int epoll_create1(int flags);

        int epoll_ctl(int epfd, int op, int fd, @In ByteBuffer event);

        /** With the address of the events array (no ByteBuffer: see {@link LibC.Calls#send(int, long, long, int)}). */
        int epoll_wait(int epfd, long events, int maxevents, int timeoutMillis);
    }

    private static final class Holder {
        static final Calls CALLS = LibraryLoader.create(Calls.class)
                .option(LibraryOption.LoadNow, Boolean.TRUE)
                .failImmediately()
                .load("c");
    }

    public static Calls calls() {
        Native.ensureAvailable();
        return Holder.CALLS;
    }
}
