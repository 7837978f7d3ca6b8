package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import java.util.Objects;

/**
 * An nftables set as written ({@code NFT_MSG_NEWSET}) or read back: a named
 * set ({@code set ex { type ipv4_addr; flags interval; }}) or an anonymous
 * one ({@code __set%d}, flags {@code ANONYMOUS|CONSTANT}) that lives and dies
 * with the rule that uses it. A set added in a batch can be referred to in
 * the same batch by its {@code id} ({@link LookupExpr#setId()},
 * {@link NftBatch#addElements}).
 *
 * <pre>{@code
 * NftSet ex = NftSet.ipv4Intervals(Netfilter.NFPROTO_IPV4, "overlaynet", "no-nat", 1);
 * NftSet anon = NftSet.anonymousIpv4Intervals(Netfilter.NFPROTO_IPV4, "overlaynet", 2);
 * }</pre>
 *
 * @param family   {@code NFPROTO_IPV4}, {@code NFPROTO_IPV6}, {@code NFPROTO_INET}, ...
 * @param table    the table holding the set
 * @param name     set name; {@code __set%d} for an anonymous set (the kernel picks the number)
 * @param flags    {@code NFT_SET_*} ({@link NfTablesUapi#NFT_SET_INTERVAL}, ...)
 * @param keyType  nft's key data type: {@link #TYPE_IPV4_ADDR} or {@link #TYPE_IPV6_ADDR}, ...
 * @param keyLen   key length in bytes
 * @param id       in-batch id ({@code NFTA_SET_ID}), or null
 * @param userdata {@code NFTA_SET_USERDATA}, or null
 * @param handle   kernel handle (read only), or null
 */
public record NftSet(int family, String table, String name, int flags, int keyType, int keyLen, Integer id,
        DataValue userdata, Long handle) {
    /** nft's data type number of {@code ipv4_addr} (libnftables datatype.h, TYPE_IPADDR). */
    public static final int TYPE_IPV4_ADDR = 7;
    /** nft's data type number of {@code ipv6_addr} (TYPE_IP6ADDR). */
    public static final int TYPE_IPV6_ADDR = 8;
    /** nft's data type number of {@code inet_service}, a port (TYPE_INET_SERVICE). */
    public static final int TYPE_INET_SERVICE = 13;
    /** The name an anonymous set is sent with; the kernel replaces %d with a free number. */
    public static final String ANONYMOUS_NAME = "__set%d";

    public NftSet {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        NftNames.validate("table name", table);
        NftNames.validate("set name", name);
        if (keyLen <= 0 || keyLen > NfTablesUapi.NFT_DATA_VALUE_MAXLEN) {
            throw new IllegalArgumentException("set keyLen " + keyLen + " out of range [1.." + NfTablesUapi.NFT_DATA_VALUE_MAXLEN + "]");
        }
        if ((flags & NfTablesUapi.NFT_SET_ANONYMOUS) != 0 && (flags & NfTablesUapi.NFT_SET_CONSTANT) == 0) {
            throw new IllegalArgumentException("an anonymous set must also be constant (NFT_SET_CONSTANT)");
        }
    }

    /** A named set of IPv4 prefixes and ranges ({@code type ipv4_addr; flags interval}). */
    public static NftSet ipv4Intervals(int family, String table, String name, Integer id) {
        return new NftSet(family, table, name, NfTablesUapi.NFT_SET_INTERVAL, TYPE_IPV4_ADDR, 4, id, null, null);
    }

    /** A named set of IPv6 prefixes and ranges ({@code type ipv6_addr; flags interval}). */
    public static NftSet ipv6Intervals(int family, String table, String name, Integer id) {
        return new NftSet(family, table, name, NfTablesUapi.NFT_SET_INTERVAL, TYPE_IPV6_ADDR, 16, id, null, null);
    }

    /** An anonymous, constant IPv4 interval set, as {@code ip daddr != { 10.0.0.0/8, ... }} makes. */
    public static NftSet anonymousIpv4Intervals(int family, String table, int id) {
        return new NftSet(family, table, ANONYMOUS_NAME,
                NfTablesUapi.NFT_SET_ANONYMOUS | NfTablesUapi.NFT_SET_CONSTANT | NfTablesUapi.NFT_SET_INTERVAL, TYPE_IPV4_ADDR, 4,
                id, null, null);
    }

    public boolean isAnonymous() {
        return (flags & NfTablesUapi.NFT_SET_ANONYMOUS) != 0;
    }

    public boolean isInterval() {
        return (flags & NfTablesUapi.NFT_SET_INTERVAL) != 0;
    }

    public NftSet withUserdata(DataValue ud) {
        return new NftSet(family, table, name, flags, keyType, keyLen, id, ud, handle);
    }

    /** The nft comment in the user data (set TLV {@link NftUserdata#SET_COMMENT}), or null. */
    public String comment() {
        return NftUserdata.setComment(userdata);
    }
}
