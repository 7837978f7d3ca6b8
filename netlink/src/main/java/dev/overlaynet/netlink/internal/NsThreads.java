package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NsCallable;
import dev.overlaynet.netlink.internal.ffi.LibC;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicLong;
import jnr.constants.platform.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs code inside a network namespace on a fresh, library-owned platform
 * thread, so that no caller's thread (and never a virtual thread or its
 * carrier) is ever moved.
 *
 * <p>The thread reads its own original namespace from
 * {@code /proc/thread-self/ns/net}, enters the target, runs the task and
 * restores itself in {@code finally}. The thread then ends: it is never
 * pooled, so even a failed restore cannot leak a namespace into unrelated
 * work. A failed restore is counted and logged at error.
 */
public final class NsThreads {
    private static final Logger LOG = LoggerFactory.getLogger(NsThreads.class);
    public static final int CLONE_NEWNET = 0x40000000;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    private static final AtomicLong RESTORE_FAILURES = new AtomicLong();
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private NsThreads() {}

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // Java 17: there are no virtual threads
        }
    }

    public static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return false;
        }
    }

    /** Refuses to run a namespace switch on a virtual thread. */
    public static void requirePlatformThread() {
        if (isVirtual(Thread.currentThread())) {
            throw new IllegalStateException("setns refused on a virtual thread: it could leave its carrier in a foreign namespace");
        }
    }

    public static long restoreFailures() {
        return RESTORE_FAILURES.get();
    }

    /** Runs {@code task} inside the namespace open as {@code nsFd}, on a new platform thread. */
    public static <T, E extends Exception> T call(int nsFd, String what, NsCallable<T, E> task) throws E, NetlinkException {
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                result[0] = inside(nsFd, what, task);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "overlaynet-netns");
        t.setDaemon(true);
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                // The worker cannot be abandoned mid-setns; wait for it, then re-flag.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure[0];
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f instanceof NetlinkException e) {
            throw e;
        }
        if (f != null) {
            // Any other checked exception can only be the task's own E.
            @SuppressWarnings("unchecked")
            E e = (E) f;
            throw e;
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }

    private static <T, E extends Exception> T inside(int nsFd, String what, NsCallable<T, E> task)
            throws E, NetlinkException {
        requirePlatformThread();
        if (alreadyIn(nsFd)) {
            // A new thread starts in its creator's namespace: when that is the target, no setns
            // (which needs CAP_SYS_ADMIN) and no restore. A process with CAP_NET_ADMIN alone can
            // then use everything that works in its own namespace (link cache, subscriptions).
            return task.call();
        }
        LibC.Calls libc = Native.libc();
        int orig = libc.open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC, 0);
        if (orig < 0) {
            throw new NetlinkException(Native.errno(), "open(/proc/thread-self/ns/net)", null, -1);
        }
        try {
            if (libc.setns(nsFd, CLONE_NEWNET) < 0) {
                throw new NetlinkException(Native.errno(), "setns(" + what + ")", null, -1);
            }
            try {
                return task.call();
            } finally {
                if (libc.setns(orig, CLONE_NEWNET) < 0) {
                    RESTORE_FAILURES.incrementAndGet();
                    // This thread ends right after; it is never reused.
                    LOG.error("could not restore thread {} from {}: {}; the thread is discarded",
                            Thread.currentThread().getName(), what, Errno.valueOf(Native.errno()));
                }
            }
        } finally {
            libc.close(orig);
        }
    }

    /**
     * Whether the calling thread is in the namespace open as {@code nsFd}: the
     * two nsfs links name the same namespace inode ({@code net:[4026531840]}).
     * False when either cannot be read (then setns decides).
     */
    static boolean alreadyIn(int nsFd) {
        try {
            String mine = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net")).toString();
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + nsFd)).toString();
            return mine.startsWith("net:[") && mine.equals(target);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
