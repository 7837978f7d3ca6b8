package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;

import java.util.Objects;

/**
 * An nftables table as written ({@code NFT_MSG_NEWTABLE}) or read back.
 * Fields left null are not sent; {@code handle} and {@code use} are the
 * kernel's and only read.
 *
 * <pre>{@code
 * NftTable t = NftTable.of(Netfilter.NFPROTO_IPV4, "overlaynet")
 *     .withUserdata(NftUserdata.comment("managed by overlaynet"));
 * }</pre>
 *
 * @param family   {@code NFPROTO_IPV4}, {@code NFPROTO_IPV6}, {@code NFPROTO_INET}, ...
 * @param name     table name
 * @param flags    {@code NFT_TABLE_F_*}, or null
 * @param userdata {@code NFTA_TABLE_USERDATA}, or null
 * @param handle   kernel handle (read only), or null
 * @param use      number of chains (read only), or null
 */
public record NftTable(int family, String name, Integer flags, DataValue userdata, Long handle, Integer use) {
    public NftTable {
        Objects.requireNonNull(name, "name");
        NftNames.validate("table name", name);
    }

    public static NftTable of(int family, String name) {
        return new NftTable(family, name, null, null, null, null);
    }

    public NftTable withUserdata(DataValue ud) {
        return new NftTable(family, name, flags, ud, handle, use);
    }

    /** The nft comment in the user data, or null. */
    public String comment() {
        return NftUserdata.comment(userdata);
    }
}
