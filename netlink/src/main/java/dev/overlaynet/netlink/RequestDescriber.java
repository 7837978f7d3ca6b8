package dev.overlaynet.netlink;

import java.nio.ByteBuffer;

/**
 * Turns a request's bytes into words for error messages, e.g.
 * {@code RTM_NEWLINK vxlan0}. Called only when a request fails, so the happy
 * path pays nothing for good error messages.
 *
 * <pre>{@code
 * RequestDescriber d = (buf, off, len) -> "type " + (buf.getShort(off + 4) & 0xffff);
 * }</pre>
 */
@FunctionalInterface
public interface RequestDescriber {
    /**
     * Describes the message at {@code [offset, offset + length)} of {@code buf}.
     *
     * @param buf the bytes of the request (position and limit are not used)
     * @param offset where the message's nlmsghdr starts
     * @param length the message length in bytes
     * @return a short description for an error message, e.g. {@code RTM_NEWLINK vxlan0}
     */
    String describe(ByteBuffer buf, int offset, int length);

    /** Falls back to the numeric message type. */
    RequestDescriber NUMERIC = (buf, off, len) -> "nlmsg type " + (buf.getShort(off + 4) & 0xffff);
}
