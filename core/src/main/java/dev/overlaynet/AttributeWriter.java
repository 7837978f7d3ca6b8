package dev.overlaynet;

import java.util.function.Consumer;

/**
 * Writes netlink attributes (type, length, payload, padded to 4 bytes) for a
 * {@link LinkDriver}. Integers are in host byte order unless the method name
 * says {@code be} (network order), as in the uapi headers' {@code __be16}.
 * Lengths of nests are filled in by the writer.
 *
 * <pre>{@code
 * out.u32(IFLA_MACVLAN_MODE, 4).u16(IFLA_MACVLAN_FLAGS, 0);
 * out.nested(IFLA_FOO_NEST, n -> n.string(1, "x"));
 * }</pre>
 */
public interface AttributeWriter {
    /**
     * An NLA_FLAG: the attribute with no payload.
     *
     * @param type the attribute type
     * @return this writer
     */
    AttributeWriter flag(int type);

    /**
     * A u8 attribute.
     *
     * @param type  the attribute type
     * @param value 0..255
     * @return this writer
     */
    AttributeWriter u8(int type, int value);

    /**
     * A u16 attribute, host byte order.
     *
     * @param type  the attribute type
     * @param value 0..65535
     * @return this writer
     */
    AttributeWriter u16(int type, int value);

    /**
     * A u32 attribute, host byte order.
     *
     * @param type  the attribute type
     * @param value the 32 bits, as unsigned
     * @return this writer
     */
    AttributeWriter u32(int type, int value);

    /**
     * A u64 attribute, host byte order.
     *
     * @param type  the attribute type
     * @param value the 64 bits, as unsigned
     * @return this writer
     */
    AttributeWriter u64(int type, long value);

    /**
     * A __be16 attribute (a port, for instance).
     *
     * @param type  the attribute type
     * @param value 0..65535
     * @return this writer
     */
    AttributeWriter be16(int type, int value);

    /**
     * A __be32 attribute.
     *
     * @param type  the attribute type
     * @param value the 32 bits
     * @return this writer
     */
    AttributeWriter be32(int type, int value);

    /**
     * A NUL-terminated string attribute.
     *
     * @param type  the attribute type
     * @param value the string, written as UTF-8
     * @return this writer
     */
    AttributeWriter string(int type, String value);

    /**
     * An attribute with a raw payload (an address, a struct).
     *
     * @param type  the attribute type
     * @param value the payload
     * @return this writer
     */
    AttributeWriter bytes(int type, byte[] value);

    /**
     * A nested attribute whose children {@code children} writes.
     *
     * @param type     the attribute type (NLA_F_NESTED is not added: say it in {@code type} if the kind wants it)
     * @param children writes the nested attributes
     * @return this writer
     */
    AttributeWriter nested(int type, Consumer<AttributeWriter> children);
}
