package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.internal.ffi.LibC;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;

/**
 * The single answer to "is netlink usable here, and if not, why".
 *
 * <p>overlaynet never falls back silently: if libc cannot be bound, or the
 * platform is not Linux, every entry point fails with the cause recorded
 * here.
 *
 * <pre>{@code
 * if (!Native.isAvailable()) {
 *     log.warn("overlaynet disabled", Native.unavailabilityCause());
 * }
 * Native.ensureAvailable(); // throws UnsupportedOperationException with the cause
 * }</pre>
 */
public final class Native {
    private static final LibC.Calls LIBC;
    private static final Runtime RUNTIME;
    private static final Throwable CAUSE;

    static {
        LibC.Calls libc = null;
        Runtime runtime = null;
        Throwable cause = null;
        try {
            String os = System.getProperty("os.name", "");
            if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                throw new UnsupportedOperationException("netlink needs Linux; this is " + os);
            }
            libc = LibraryLoader.create(LibC.Calls.class)
                    .option(LibraryOption.LoadNow, Boolean.TRUE)
                    .failImmediately()
                    .load("c");
            runtime = Runtime.getRuntime(libc);
            // Probe one syscall so a broken binding fails here, not in the middle of a request.
            libc.getpid();
        } catch (Throwable t) {
            cause = t;
            libc = null;
        }
        LIBC = libc;
        RUNTIME = runtime;
        CAUSE = cause;
    }

    private Native() {}

    /** True when libc is bound and netlink sockets can be created. */
    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why netlink is unusable, or {@code null} when it is usable. */
    public static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /** Throws {@link UnsupportedOperationException} carrying the cause when netlink is unusable. */
    public static void ensureAvailable() {
        if (CAUSE != null) {
            throw new UnsupportedOperationException("overlaynet native access unavailable: " + CAUSE, CAUSE);
        }
    }

    public static LibC.Calls libc() {
        ensureAvailable();
        return LIBC;
    }

    /** The native address of a direct buffer's first byte (its position is ignored). */
    public static long address(java.nio.ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return jnr.ffi.Pointer.wrap(RUNTIME, direct).address();
    }

    /** errno of the last native call on this thread. */
    public static int errno() {
        return RUNTIME.getLastError();
    }
}
