package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.BatchResult;

/**
 * How a batch asks for acknowledgements.
 *
 * <pre>{@code
 * BatchResult r = socket.batch(writer, AckMode.LAST);
 * }</pre>
 */
public enum AckMode {
    /** Every request carries NLM_F_ACK; each gets its own ack or error. */
    EACH,
    /**
     * Only the last request of each sendmsg carries NLM_F_ACK. The kernel
     * still sends an error for every failed request, in order, so once the
     * last ack arrives every outcome is known: fewer datagrams, same truth.
     */
    LAST
}
