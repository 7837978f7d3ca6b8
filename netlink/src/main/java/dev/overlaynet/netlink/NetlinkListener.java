package dev.overlaynet.netlink;

/**
 * Observes the messages a socket exchanges with the kernel, to count, log or
 * trace requests (OkHttp's {@code EventListener} idea). Set it with
 * {@link NetlinkSocketOptions.Builder#listener}; without one the exchange
 * path pays nothing.
 *
 * <p>Every method has an empty default, so implement only what you need.
 * Calls come on the thread doing the exchange, under the socket's lock, in
 * wire order; keep them short and do not use the socket from inside them.
 * A {@link NetlinkMessage}'s header stays valid; its bytes can be copied
 * only during the call.
 * What a listener throws is logged and ignored, so that it cannot break an
 * exchange half-way.
 *
 * <pre>{@code
 * LongAdder newlinks = new LongAdder();
 * NetlinkListener l = new NetlinkListener() {
 *     public void requestSent(NetlinkMessage m) {
 *         if (m.type() == 16) newlinks.increment(); // RTM_NEWLINK
 *     }
 * };
 * NetlinkSocketOptions o = NetlinkSocketOptions.builder().listener(l).build();
 * }</pre>
 */
public interface NetlinkListener {
    /**
     * One request message went to the kernel (once per message of a batch).
     *
     * @param request the message as sent, with its flags and sequence number
     */
    default void requestSent(NetlinkMessage request) {}

    /**
     * One message of a reply arrived for a request of this socket: an answer,
     * a dump entry, an ack or error ({@code NLMSG_ERROR}) or a dump's end
     * ({@code NLMSG_DONE}). Messages dropped as not ours are not reported.
     *
     * @param reply the message as received
     */
    default void replyReceived(NetlinkMessage reply) {}

    /**
     * A request failed: the kernel answered with an errno, or no answer came
     * (timeout, overrun). Called once per failure, before it is thrown or
     * recorded in a batch's result.
     *
     * @param protocol the socket's protocol
     * @param failure the failure, naming the request
     */
    default void requestFailed(NetlinkProtocol protocol, NetlinkException failure) {}
}
