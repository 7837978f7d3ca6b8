package dev.overlaynet.netlink;

/**
 * One netlink message as a {@link NetlinkListener} sees it: the protocol and
 * the {@code nlmsghdr} fields, which never change, and the message's bytes on
 * request.
 *
 * <p>The header values are read once, when the message is handed to the
 * listener. The bytes are not copied unless {@link #bytes()} is called, and
 * only during the listener call: the socket reuses its buffers afterwards, so
 * a later {@code bytes()} throws {@link IllegalStateException}. Keep the copy
 * if you need the bytes later.
 *
 * <pre>{@code
 * NetlinkListener l = new NetlinkListener() {
 *     public void requestSent(NetlinkMessage m) {
 *         log.debug("sent type {} seq {} ({} bytes)", m.type(), Integer.toUnsignedString(m.seq()), m.length());
 *     }
 * };
 * }</pre>
 */
public interface NetlinkMessage {
    /**
     * The socket's protocol.
     *
     * @return the protocol the message went or came over
     */
    NetlinkProtocol protocol();

    /**
     * {@code nlmsg_type}, e.g. {@code RTM_NEWLINK} (16), {@code NLMSG_ERROR} (2),
     * {@code NLMSG_DONE} (3); for nfnetlink, subsystem {@code << 8 |} message.
     *
     * @return the message type, 0 to 65535
     */
    int type();

    /**
     * {@code nlmsg_flags} ({@code NLM_F_REQUEST}, {@code NLM_F_ACK}, {@code NLM_F_MULTI}, ...).
     *
     * @return the flags, 0 to 65535
     */
    int flags();

    /**
     * {@code nlmsg_seq}, unsigned: read it with {@link Integer#toUnsignedString(int)}.
     *
     * @return the sequence number
     */
    int seq();

    /**
     * {@code nlmsg_pid}: 0 on requests to the kernel, the socket's port id on replies.
     *
     * @return the port id
     */
    int portId();

    /**
     * {@code nlmsg_len}: the header (16 bytes) and the payload, without trailing padding.
     *
     * @return the length in bytes
     */
    int length();

    /**
     * A copy of the whole message, header included, in host byte order.
     * Available only during the listener call that handed out this message.
     *
     * @return a new array of {@link #length()} bytes
     * @throws IllegalStateException after the listener call returned
     */
    byte[] bytes();
}
