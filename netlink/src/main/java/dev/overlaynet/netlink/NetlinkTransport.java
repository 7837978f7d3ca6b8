package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.NetlinkSocket;

import java.nio.ByteBuffer;

/**
 * Where a {@link NetlinkSocket}'s datagrams go and come from: the seam
 * between the portable protocol logic (sequence numbers, acks, dumps,
 * batches, error mapping) and the kernel. The real transport is a native
 * {@code AF_NETLINK} socket; a test can put a fake kernel behind this
 * interface that records requests and answers them, at the message level
 * (no syscall is faked).
 *
 * <p>A transport is used by one socket, always under that socket's lock, so
 * implementations need not be thread-safe, except that {@link #close()} may
 * come from any thread (also under the lock).
 *
 * <pre>{@code
 * NetlinkTransport t = myFakeKernel.open(NetlinkProtocol.NETLINK_ROUTE);
 * try (NetlinkSocket s = NetlinkSocket.over(t, NetlinkSocketOptions.defaults())) {
 *     s.request(writer);
 * }
 * }</pre>
 */
public interface NetlinkTransport extends AutoCloseable {
    /**
     * The protocol this transport speaks.
     *
     * @return the protocol
     */
    NetlinkProtocol protocol();

    /**
     * The port id (nl_pid) replies are addressed to; never 0.
     *
     * @return the port id
     */
    int portId();

    /**
     * How many bytes of replies may queue before the kernel drops some; sizes
     * how many acknowledged requests go into one datagram.
     *
     * @return the receive buffer size in bytes
     */
    int receiveBufferBytes();

    /**
     * Sends bytes {@code [offset, offset + length)} of {@code buf}, one or more
     * complete netlink messages, as one datagram. Must not keep {@code buf}.
     *
     * @param buf the messages
     * @param offset where the first message starts
     * @param length the bytes to send
     * @throws NetlinkException if the datagram cannot be sent
     */
    void send(ByteBuffer buf, int offset, int length) throws NetlinkException;

    /**
     * Waits for the next datagram from the kernel (datagrams from any other
     * sender are dropped and counted) and returns its length; the datagram is
     * then at {@code [0, length)} of {@link #buffer()}. Fails with ETIMEDOUT
     * when nothing arrives in time.
     *
     * @return the datagram's length
     * @throws NetlinkException on timeout (ETIMEDOUT) or another receive failure
     */
    int receive() throws NetlinkException;

    /**
     * {@link #receive()} when only acknowledgements are expected, about
     * {@code expected} of them: a transport may fetch several per call.
     *
     * @param expected how many acks the caller still waits for
     * @return the datagram's length
     * @throws NetlinkException on timeout (ETIMEDOUT) or another receive failure
     */
    default int receiveAcks(int expected) throws NetlinkException {
        return receive();
    }

    /**
     * The buffer the last {@link #receive()} filled, valid until the next
     * receive. Read with absolute offsets; its position is not meaningful.
     *
     * @return the receive buffer
     */
    ByteBuffer buffer();

    /**
     * Datagrams this transport dropped because another sender than the kernel sent them.
     *
     * @return the count
     */
    long droppedDatagrams();

    /**
     * The index of interface {@code name} in the transport's namespace, or -1
     * when there is none. {@code name} is already checked (1..15 bytes).
     *
     * @param name the interface name
     * @return the index, or -1
     * @throws NetlinkException if the lookup itself fails
     */
    int interfaceIndex(String name) throws NetlinkException;

    /** Releases the transport; called once. */
    @Override
    void close();
}
