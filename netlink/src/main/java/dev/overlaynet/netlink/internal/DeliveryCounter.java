package dev.overlaynet.netlink.internal;

import dev.overlaynet.netlink.internal.ffi.BpfCalls;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, in memory this process can read without a system call, every
 * datagram the kernel lets through to one socket: a four-instruction BPF
 * socket filter adds one to a counter in a memory-mapped BPF array map, and
 * accepts the datagram whole.
 *
 * <p>Why: the filter runs inside the kernel's delivery to the socket, that is
 * inside the system call of whoever caused the notification (a rename, a
 * delete) and before that call returns. So "the counter equals what the
 * reader took off the socket" proves, with one memory read, what a
 * zero-timeout {@code epoll_wait} proves with a system call: nothing is
 * queued. Datagrams the kernel drops for a full buffer pass the filter first
 * (they are counted, not received: the count stays ahead until the reader
 * accounts for them, see {@link EventSocket#recount()}).
 *
 * <p>Needs {@code CAP_BPF} (or {@code CAP_SYS_ADMIN}) unless unprivileged BPF
 * is enabled, and x86-64 or arm64; {@link #attach(int)} returns null where it
 * cannot be had, and callers fall back to the system call. The map and program
 * fds are closed once attached and mapped (the socket holds the program, the
 * program and the mapping hold the map), so a counter costs no fd. The owner
 * releases the mapping with {@link #unmap()} once no thread can read it any
 * more (an {@link EventSocket} does so on close, after its readers are out).
 *
 * <pre>{@code
 * DeliveryCounter c = DeliveryCounter.attach(fd);   // before bind: counts from the first datagram
 * long delivered = c == null ? -1 : c.delivered();
 * }</pre>
 */
public final class DeliveryCounter {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryCounter.class);

    private static final int BPF_MAP_CREATE = 0;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_MAP_TYPE_ARRAY = 2;
    private static final int BPF_F_MMAPABLE = 1 << 10;
    private static final int BPF_PROG_TYPE_SOCKET_FILTER = 1;
    private static final int BPF_PSEUDO_MAP_FD = 1;
    private static final int BPF_FUNC_map_lookup_elem = 1;
    private static final int SO_ATTACH_BPF = 50;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    private static final int ATTR_BYTES = 128;
    private static final long MAPPING_BYTES = 4096;

    private final BpfCalls.Calls bpf;
    private final Pointer counter;
    private boolean unmapped;

    private DeliveryCounter(BpfCalls.Calls bpf, Pointer counter) {
        this.bpf = bpf;
        this.counter = counter;
    }

    /**
     * Creates a counter and attaches its filter to {@code socketFd}; null when
     * the kernel or the process's privileges do not allow it (logged at debug).
     * Attach before the socket joins any group or is bound, so that no
     * datagram reaches it uncounted.
     *
     * @param socketFd the socket to count
     * @return the counter, or null
     */
    public static DeliveryCounter attach(int socketFd) {
        long sysBpf = switch (Platform.getNativePlatform().getCPU()) {
            case X86_64 -> 321;
            case AARCH64 -> 280;
            default -> -1;
        };
        if (sysBpf < 0) {
            LOG.debug("no delivery counter: bpf(2) number unknown on {}", Platform.getNativePlatform().getCPU());
            return null;
        }
        BpfCalls.Calls bpf;
        try {
            bpf = BpfCalls.calls();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("no delivery counter: {}", e.toString());
            return null;
        }
        int mapFd = -1;
        int progFd = -1;
        Pointer mapping = null;
        java.util.List<ByteBuffer> attrs = new java.util.ArrayList<>(); // kept reachable until the calls are done
        try {
            ByteBuffer attr = keep(attrs, direct(ATTR_BYTES));
            attr.putInt(0, BPF_MAP_TYPE_ARRAY).putInt(4, 4).putInt(8, 8).putInt(12, 1).putInt(16, BPF_F_MMAPABLE);
            name(attr, 28, "overlaynet_dlv");
            mapFd = (int) bpf.syscall(sysBpf, BPF_MAP_CREATE, Native.address(attr), ATTR_BYTES);
            if (mapFd < 0) {
                return unavailable("BPF_MAP_CREATE", Native.errno());
            }
            mapping = bpf.mmap(null, MAPPING_BYTES, PROT_READ, MAP_SHARED, mapFd, 0);
            if (mapping == null || mapping.address() == -1L) {
                int e = Native.errno();
                mapping = null;
                return unavailable("mmap of the counter map", e);
            }
            ByteBuffer insns = keep(attrs, program(mapFd));
            ByteBuffer license = keep(attrs, direct(16).put("Apache-2.0".getBytes(StandardCharsets.US_ASCII)));
            attr = keep(attrs, direct(ATTR_BYTES));
            attr.putInt(0, BPF_PROG_TYPE_SOCKET_FILTER).putInt(4, insns.capacity() / 8)
                    .putLong(8, Native.address(insns)).putLong(16, Native.address(license));
            name(attr, 48, "overlaynet_dlv");
            progFd = (int) bpf.syscall(sysBpf, BPF_PROG_LOAD, Native.address(attr), ATTR_BYTES);
            if (progFd < 0) {
                return unavailable("BPF_PROG_LOAD", Native.errno());
            }
            ByteBuffer v = keep(attrs, direct(4).putInt(0, progFd));
            if (Native.libc().setsockopt(socketFd, NativeSocketOpener.SOL_SOCKET, SO_ATTACH_BPF, v, 4) < 0) {
                return unavailable("SO_ATTACH_BPF", Native.errno());
            }
            DeliveryCounter c = new DeliveryCounter(bpf, mapping);
            mapping = null; // owned by the counter now
            return c;
        } finally {
            java.lang.ref.Reference.reachabilityFence(attrs);
            if (mapping != null) {
                bpf.munmap(mapping.address(), MAPPING_BYTES);
            }
            if (progFd >= 0) {
                bpf.close(progFd);
            }
            if (mapFd >= 0) {
                bpf.close(mapFd);
            }
        }
    }

    /**
     * {@return datagrams delivered so far: let through by the filter, whether
     * queued or then dropped for a full buffer} An acquire read: a later read
     * of other state is not moved before it.
     */
    public long delivered() {
        long n = counter.getLong(0);
        VarHandle.acquireFence();
        return n;
    }

    /**
     * Releases the mapping. The caller guarantees that no thread is in, or will
     * enter, {@link #delivered()}: reading unmapped memory crashes the JVM.
     * Idempotent; not thread-safe.
     */
    public void unmap() {
        if (!unmapped) {
            unmapped = true;
            bpf.munmap(counter.address(), MAPPING_BYTES);
        }
    }

    /**
     * The filter, as the verifier sees it:
     * {@code key = 0; v = map_lookup_elem(map, &key); if (v) lock *v += 1; return 0xffffffff}
     * (a socket filter returns how many bytes to keep: all of them).
     */
    private static ByteBuffer program(int mapFd) {
        int[][] p = {
            // code, dst, src, off, imm
            {0x62, 10, 0, -4, 0},                         // *(u32 *)(r10 - 4) = 0
            {0xbf, 2, 10, 0, 0},                          // r2 = r10
            {0x07, 2, 0, 0, -4},                          // r2 += -4
            {0x18, 1, BPF_PSEUDO_MAP_FD, 0, mapFd},       // r1 = map (ld_imm64, first half)
            {0x00, 0, 0, 0, 0},                           //          (second half)
            {0x85, 0, 0, 0, BPF_FUNC_map_lookup_elem},    // call map_lookup_elem
            {0x15, 0, 0, 2, 0},                           // if r0 == 0 goto +2
            {0xb7, 1, 0, 0, 1},                           // r1 = 1
            {0xdb, 0, 1, 0, 0},                           // lock *(u64 *)(r0 + 0) += r1
            {0xb4, 0, 0, 0, -1},                          // w0 = 0xffffffff
            {0x95, 0, 0, 0, 0},                           // exit
        };
        ByteBuffer b = direct(p.length * 8);
        for (int i = 0; i < p.length; i++) {
            b.put(i * 8, (byte) p[i][0]);
            b.put(i * 8 + 1, (byte) (p[i][1] | (p[i][2] << 4)));
            b.putShort(i * 8 + 2, (short) p[i][3]);
            b.putInt(i * 8 + 4, p[i][4]);
        }
        return b;
    }

    private static void name(ByteBuffer attr, int at, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n.length && i < 15; i++) {
            attr.put(at + i, n[i]);
        }
    }

    private static DeliveryCounter unavailable(String step, int errno) {
        LOG.debug("no delivery counter: {} failed with {}; lookups prove freshness with a syscall instead",
                step, jnr.constants.platform.Errno.valueOf(errno));
        return null;
    }

    private static ByteBuffer keep(java.util.List<ByteBuffer> kept, ByteBuffer b) {
        kept.add(b);
        return b;
    }

    private static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }
}
