package dev.overlaynet;

/**
 * Walks netlink attributes for a {@link LinkDriver}: {@link #next()} moves to
 * the next attribute, then {@link #type()} and one typed getter read it.
 * Getters check the payload length and throw an unchecked
 * {@code NetlinkDecodeException} naming the attribute and its byte offset when
 * the payload is too short. A decoder may throw IllegalArgumentException for
 * values it refuses; the library reports both as a malformed message.
 *
 * <pre>{@code
 * while (in.next()) {
 *     switch (in.type()) {
 *         case IFLA_MACVLAN_MODE -> mode = in.u32();
 *         default -> { }                      // ignore what you do not model
 *     }
 * }
 * }</pre>
 */
public interface AttributeReader {
    /**
     * Moves to the next attribute.
     *
     * @return false when there is none left
     */
    boolean next();

    /**
     * The current attribute's type, without the NLA_F_NESTED and
     * NLA_F_NET_BYTEORDER bits.
     *
     * @return the attribute type
     */
    int type();

    /**
     * The current attribute's payload length in bytes.
     *
     * @return the length, without header and padding
     */
    int length();

    /**
     * The payload as a u8.
     *
     * @return 0..255
     */
    int u8();

    /**
     * The payload as a host-order u16.
     *
     * @return 0..65535
     */
    int u16();

    /**
     * The payload as a host-order u32.
     *
     * @return the 32 bits (read as unsigned with {@link Integer#toUnsignedLong})
     */
    int u32();

    /**
     * The payload as a host-order u64.
     *
     * @return the 64 bits
     */
    long u64();

    /**
     * The payload as a __be16.
     *
     * @return 0..65535
     */
    int be16();

    /**
     * The payload as a __be32.
     *
     * @return the 32 bits
     */
    int be32();

    /**
     * The payload as a NUL-terminated string.
     *
     * @return the string, decoded as UTF-8
     */
    String string();

    /**
     * A copy of the payload.
     *
     * @return the payload bytes
     */
    byte[] bytes();

    /**
     * A reader over the current attribute's nested attributes.
     *
     * @return a new reader, positioned before the first child
     */
    AttributeReader nested();
}
