package dev.overlaynet.netlink.internal.ffi;

import dev.overlaynet.netlink.internal.Native;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;

/**
 * The libc calls a delivery counter needs: {@code bpf(2)} (through
 * {@code syscall(2)}: glibc has no wrapper), {@code mmap(2)} of the counter's
 * array map and {@code munmap(2)}. A separate binding, loaded only when a
 * counter is asked for.
 */
public final class BpfCalls {
    private BpfCalls() {}

    /** Public only at the JVM level (jnr-ffi generates it); see {@link LibC.Calls}. */
    public interface Calls {
        /** {@code syscall(SYS_bpf, cmd, attr, size)}. */
        long syscall(long number, long cmd, long attr, long size);

        /**
         * {@code mmap} with a {@link Pointer} first argument on purpose: it keeps
         * jnr-ffi off its all-primitive fast path, which passes a sixth
         * primitive argument corrupted (here {@code offset}; see
         * {@link LibC.Calls#send(int, long, long, int)}).
         */
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(long addr, long length);

        int close(int fd);
    }

    private static final class Holder {
        static final Calls CALLS = LibraryLoader.create(Calls.class)
                .option(LibraryOption.LoadNow, Boolean.TRUE)
                .failImmediately()
                .load("c");
    }

    /** The binding (throws {@link UnsupportedOperationException} when native access is unavailable). */
    public static Calls calls() {
        Native.ensureAvailable();
        return Holder.CALLS;
    }
}
