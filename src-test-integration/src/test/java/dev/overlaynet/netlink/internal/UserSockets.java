package dev.overlaynet.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.ffi.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A plain NETLINK_ROUTE socket of another "process" in a test's namespace,
 * bound to an automatic port: the sender of forged datagrams. Open it inside
 * the namespace ({@code ns.call(UserSockets::open)}) and close it with
 * {@code Native.libc().close(fd)}.
 */
final class UserSockets {
    private UserSockets() {}

    static int open() {
        LibC.Calls libc = Native.libc();
        int fd = libc.socket(NativeSocketOpener.AF_NETLINK, NativeSocketOpener.SOCK_RAW | NativeSocketOpener.SOCK_CLOEXEC, 0);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        ByteBuffer sa = ByteBuffer.allocateDirect(12).order(ByteOrder.nativeOrder());
        sa.putShort(0, (short) NativeSocketOpener.AF_NETLINK);
        assertThat(libc.bind(fd, sa, 12)).isZero();
        return fd;
    }
}
