package dev.overlaynet.netlink;

import dev.overlaynet.netlink.NetlinkException;

/**
 * A generation-guarded nf_tables batch was refused (ERESTART) because the
 * ruleset changed after its generation was read: nothing of the batch was
 * applied. Re-read the ruleset and decide again.
 *
 * <pre>{@code
 * try {
 *     nft.commit(batch);
 * } catch (ConcurrentRulesetChangeException e) {
 *     // someone else committed: re-dump, recompute, retry
 * }
 * }</pre>
 */
public final class ConcurrentRulesetChangeException extends NetlinkException {
    private static final long serialVersionUID = 1L;
    /** Linux ERESTART. */
    public static final int ERESTART = 85;

    /** The generation the refused batch was guarded by. */
    private final int expectedGeneration;

    /**
     * Wraps the kernel's ERESTART refusal of a batch guarded by {@code expectedGeneration}.
     *
     * @param cause the ERESTART failure; its request and ext-ack text are kept
     * @param expectedGeneration the generation the batch was guarded by
     */
    public ConcurrentRulesetChangeException(NetlinkException cause, int expectedGeneration) {
        super(cause.errno(), cause.request(), "ruleset changed since generation "
                + Integer.toUnsignedString(expectedGeneration)
                + (cause.extAckMessage() != null ? "; " + cause.extAckMessage() : ""), cause.extAckOffset());
        this.expectedGeneration = expectedGeneration;
        initCause(cause);
    }

    /** {@return the generation the batch was guarded by} */
    public int expectedGeneration() {
        return expectedGeneration;
    }
}
