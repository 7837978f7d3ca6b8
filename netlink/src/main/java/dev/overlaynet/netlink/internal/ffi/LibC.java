package dev.overlaynet.netlink.internal.ffi;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.AckReader;
import dev.overlaynet.netlink.internal.InterfaceIndexLookup;
import dev.overlaynet.netlink.internal.Native;
import dev.overlaynet.netlink.internal.NativeSocketOpener;
import dev.overlaynet.netlink.internal.NativeTransport;

import java.nio.ByteBuffer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The one native binding of overlaynet: the libc calls netlink sockets and
 * network namespaces need. Package-private so that every native call goes
 * through this package's native parts ({@link NativeSocketOpener},
 * {@link NativeTransport}, {@link AckReader}, {@link InterfaceIndexLookup}),
 * {@link NetNs} or {@link Native}, which check arguments and turn errno into
 * {@link NetlinkException}.
 *
 * <p>Pointer arguments are direct {@link ByteBuffer}s: jnr-ffi passes their
 * address without copying, so the hot send/receive path allocates nothing.
 */
public final class LibC {
    private LibC() {}

    /**
     * The calls. Public only at the JVM level, because jnr-ffi generates the
     * implementation in its own class loader; Java code outside this package
     * cannot name it since {@link LibC} is package-private.
     */
    public interface Calls {
        int socket(int domain, int type, int protocol);

        int bind(int fd, @In ByteBuffer addr, int addrlen);

        int connect(int fd, @In ByteBuffer addr, int addrlen);

        int getsockname(int fd, @Out ByteBuffer addr, @In @Out ByteBuffer addrlen);

        int setsockopt(int fd, int level, int optname, @In ByteBuffer optval, int optlen);

        int getsockopt(int fd, int level, int optname, @Out ByteBuffer optval, @In @Out ByteBuffer optlen);

        long sendto(int fd, @In ByteBuffer buf, long len, int flags, @In ByteBuffer addr, int addrlen);

        long recvfrom(int fd, @Out ByteBuffer buf, long len, int flags, @Out ByteBuffer addr, @In @Out ByteBuffer addrlen);

        int close(int fd);

        int setns(int fd, int nstype);

        int unshare(int flags);

        int mount(String source, String target, String fstype, long flags, String data);

        int umount2(String target, int flags);

        int open(String path, int flags, int mode);

        int getpid();

        // The hot path's calls again, with pointers as native addresses the caller computed
        // once per buffer: a ByteBuffer argument costs jnr-ffi a JNI upcall per call
        // (GetDirectBufferAddress and its type check), ~15% of the Java time of one request
        // (perf, per-request neighbour add). Callers keep the buffers reachable across the call.
        // At most five arguments: jnr-ffi 2.2's all-primitive fast path passed a garbage sixth
        // argument to sendto(2) (strace: addrlen=-2070653478, EINVAL), so no sendto/recvfrom here.

        /** send(2) to the socket's default destination: for an unconnected netlink socket, the kernel. */
        long send(int fd, long buf, long len, int flags);

        /**
         * recv(2) into native memory: no {@code struct msghdr} for the kernel to copy in and
         * no sender address to copy out (~0.23 us less than recvmsg per call on this machine).
         * For sockets connected to the kernel, which refuses every other sender.
         */
        long recv(int fd, long buf, long len, int flags);

        /** recvmsg(2) with the address of a {@code struct msghdr}. */
        long recvmsg(int fd, long msghdr, int flags);

        /** recvmmsg(2); {@code timeout} must be 0 (NULL): the socket's SO_RCVTIMEO bounds the wait. */
        int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

        /** ioctl(2), only with a pointer argument (x86-64 and arm64 pass it like a fixed arg). */
        int ioctl(int fd, long request, long arg);
    }
}
