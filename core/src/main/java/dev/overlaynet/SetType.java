package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.NftSet;

/**
 * The key type of a {@link NamedSet}, as nft names it in
 * {@code set excluded { type ipv4_addr; }}.
 *
 * <pre>{@code
 * NamedSet s = NamedSet.builder().name("web").type(SetType.INET_SERVICE).elements("80", "443").build();
 * }</pre>
 */
public enum SetType {
    /** {@code ipv4_addr}: IPv4 addresses, or with {@code interval} IPv4 prefixes. */
    IPV4_ADDR("ipv4_addr", NftSet.TYPE_IPV4_ADDR, 4),
    /** {@code ipv6_addr}: IPv6 addresses, or with {@code interval} IPv6 prefixes. */
    IPV6_ADDR("ipv6_addr", NftSet.TYPE_IPV6_ADDR, 16),
    /** {@code inet_service}: TCP/UDP ports, or with {@code interval} port ranges. */
    INET_SERVICE("inet_service", NftSet.TYPE_INET_SERVICE, 2);

    private final String nftName;
    private final int typeNumber;
    private final int keyLength;

    SetType(String nftName, int typeNumber, int keyLength) {
        this.nftName = nftName;
        this.typeNumber = typeNumber;
        this.keyLength = keyLength;
    }

    /** {@return the type's name in nft's syntax, e.g. {@code ipv4_addr}} */
    public String nftName() {
        return nftName;
    }

    /** {@return whether the elements are addresses (prefixes) rather than ports} */
    public boolean isAddress() {
        return this != INET_SERVICE;
    }

    /** nft's data type number ({@code NFTA_SET_KEY_TYPE}). */
    int typeNumber() {
        return typeNumber;
    }

    /** The key length in bytes ({@code NFTA_SET_KEY_LEN}). */
    int keyLength() {
        return keyLength;
    }

    /** The type with this nft data type number and key length, or null for any other. */
    static SetType of(int typeNumber, int keyLength) {
        for (SetType t : values()) {
            if (t.typeNumber == typeNumber && t.keyLength == keyLength) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return nftName;
    }
}
