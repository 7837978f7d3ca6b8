package dev.overlaynet.testkit.fake;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkTransport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import jnr.constants.platform.Errno;

/**
 * A transport to a {@link FakeKernel}: each datagram sent is answered at
 * once by the kernel, and the answers wait here to be received. Nothing to
 * receive is a timeout, reported at once instead of after the socket's
 * timeout.
 */
final class FakeTransport implements NetlinkTransport {
    private final FakeKernel kernel;
    private final NetlinkProtocol protocol;
    private final int portId;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private ByteBuffer buf = direct(64 << 10);

    FakeTransport(FakeKernel kernel, NetlinkProtocol protocol, int portId) {
        this.kernel = kernel;
        this.protocol = protocol;
        this.portId = portId;
    }

    private static ByteBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
    }

    @Override
    public NetlinkProtocol protocol() {
        return protocol;
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public int receiveBufferBytes() {
        return 1 << 21;
    }

    @Override
    public void send(ByteBuffer b, int offset, int length) throws NetlinkException {
        byte[] d = new byte[length];
        b.get(offset, d, 0, length);
        pending.addAll(kernel.datagram(protocol, portId, d));
    }

    @Override
    public int receive() throws NetlinkException {
        byte[] d = pending.poll();
        if (d == null) {
            throw new NetlinkException(Errno.ETIMEDOUT.intValue(), "recvfrom(fake " + protocol + ")",
                    "the fake kernel sent no (further) reply", -1);
        }
        if (d.length > buf.capacity()) {
            buf = direct(Integer.highestOneBit(d.length) << 1);
        }
        buf.put(0, d);
        return d.length;
    }

    @Override
    public ByteBuffer buffer() {
        return buf;
    }

    @Override
    public long droppedDatagrams() {
        return 0;
    }

    @Override
    public int interfaceIndex(String name) {
        return kernel.interfaceIndex(name);
    }

    @Override
    public void close() {
        pending.clear();
    }
}
