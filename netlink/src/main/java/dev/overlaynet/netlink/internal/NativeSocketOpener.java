package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.ffi.LibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the native {@code AF_NETLINK} socket behind a {@link NetlinkSocket}
 * and sets its options: extended ACK, capped ACKs, strict checking (route
 * only), buffer sizes (forced when privileged) and the receive timeout. Binds
 * it and reads back the port id and the receive buffer the kernel granted.
 */
public final class NativeSocketOpener {
    private static final Logger LOG = LoggerFactory.getLogger(NativeSocketOpener.class);

    public static final int AF_NETLINK = 16;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_CAP_ACK = 10;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int NETLINK_GET_STRICT_CHK = 12;
    public static final int SOCKADDR_NL_LEN = 12;

    private NativeSocketOpener() {}

    public static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static NativeTransport open(NetlinkProtocol protocol, NetlinkSocketOptions options) throws NetlinkException {
        LibC.Calls libc = Native.libc();
        int fd = libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol.value());
        if (fd < 0) {
            throw new NetlinkException(Native.errno(), "socket(AF_NETLINK, " + protocol + ")", null, -1);
        }
        try {
            ByteBuffer one = direct(4);
            one.putInt(0, 1);
            setopt(libc, fd, SOL_NETLINK, NETLINK_EXT_ACK, one, "NETLINK_EXT_ACK");
            setopt(libc, fd, SOL_NETLINK, NETLINK_CAP_ACK, one, "NETLINK_CAP_ACK");
            if (protocol == NetlinkProtocol.NETLINK_ROUTE) {
                setopt(libc, fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, one, "NETLINK_GET_STRICT_CHK");
            }
            setBuffer(libc, fd, SO_RCVBUFFORCE, SO_RCVBUF, options.receiveBufferBytes());
            setBuffer(libc, fd, SO_SNDBUFFORCE, SO_SNDBUF, options.sendBufferBytes());
            ByteBuffer tv = direct(16);
            long ms = options.timeoutMillis();
            tv.putLong(0, ms / 1000);
            tv.putLong(8, (ms % 1000) * 1000);
            setopt(libc, fd, SOL_SOCKET, SO_RCVTIMEO, tv, "SO_RCVTIMEO");

            ByteBuffer sa = direct(SOCKADDR_NL_LEN);
            sa.putShort(0, (short) AF_NETLINK);
            if (libc.bind(fd, sa, SOCKADDR_NL_LEN) < 0) {
                throw new NetlinkException(Native.errno(), "bind(AF_NETLINK)", null, -1);
            }
            ByteBuffer len = direct(4);
            len.putInt(0, SOCKADDR_NL_LEN);
            if (libc.getsockname(fd, sa, len) < 0) {
                throw new NetlinkException(Native.errno(), "getsockname(AF_NETLINK)", null, -1);
            }
            int port = sa.getInt(4);
            // A forged reply never arrives, and the one-ack path can read with recv(2), which
            // copies no sender address. Requests still go to the kernel: the default destination.
            connectToKernel(libc, fd);
            ByteBuffer val = direct(4);
            ByteBuffer vlen = direct(4);
            vlen.putInt(0, 4);
            int rcv = options.receiveBufferBytes();
            if (libc.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, val, vlen) == 0) {
                rcv = val.getInt(0);
            }
            LOG.debug("opened {} fd={} port={} rcvbuf={}", protocol, fd, port, rcv);
            return new NativeTransport(libc, fd, port, protocol, options, rcv);
        } catch (NetlinkException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    /**
     * Connects {@code fd} to the kernel (port 0): the kernel then refuses any
     * other sender's unicast to it (ECONNREFUSED, in netlink_getsockbyportid)
     * before it is queued. Multicast delivery to joined groups is unaffected.
     */
    static void connectToKernel(LibC.Calls libc, int fd) throws NetlinkException {
        ByteBuffer kernel = direct(SOCKADDR_NL_LEN);
        kernel.putShort(0, (short) AF_NETLINK);
        if (libc.connect(fd, kernel, SOCKADDR_NL_LEN) < 0) {
            throw new NetlinkException(Native.errno(), "connect(AF_NETLINK, kernel)", null, -1);
        }
    }

    private static void setopt(LibC.Calls libc, int fd, int level, int name, ByteBuffer v, String what)
            throws NetlinkException {
        if (libc.setsockopt(fd, level, name, v, v.capacity()) < 0) {
            throw new NetlinkException(Native.errno(), "setsockopt(" + what + ")", null, -1);
        }
    }

    private static void setBuffer(LibC.Calls libc, int fd, int force, int plain, int bytes) throws NetlinkException {
        ByteBuffer v = direct(4);
        v.putInt(0, bytes);
        // FORCE needs CAP_NET_ADMIN and ignores net.core.rmem_max; without it the
        // kernel silently caps SO_RCVBUF at rmem_max, which we then read back.
        if (libc.setsockopt(fd, SOL_SOCKET, force, v, 4) < 0) {
            setopt(libc, fd, SOL_SOCKET, plain, v, plain == SO_RCVBUF ? "SO_RCVBUF" : "SO_SNDBUF");
        }
    }
}
