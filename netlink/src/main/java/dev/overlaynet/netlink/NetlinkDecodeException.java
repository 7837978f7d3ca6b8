package dev.overlaynet.netlink;

/**
 * Malformed bytes from the kernel (or from a fuzzer). The only exception any
 * decoder in overlaynet lets escape; it always names the byte offset at
 * which the input stopped making sense.
 *
 * <pre>{@code
 * try {
 *     reader.next();
 * } catch (NetlinkDecodeException e) {
 *     log.warn("bad reply at offset {}", e.offset());
 * }
 * }</pre>
 */
public final class NetlinkDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** Where decoding stopped making sense. */
    private final int offset;

    /**
     * Malformed input at {@code offset}; the message gets the offset appended.
     *
     * @param offset byte offset from the start of the buffer being decoded
     * @param message what was wrong
     */
    public NetlinkDecodeException(int offset, String message) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** {@return offset from the start of the buffer being decoded} */
    public int offset() {
        return offset;
    }
}
