package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;

import java.util.Objects;

/**
 * An nftables chain. A base chain has a {@code type} ("filter", "nat",
 * "route"), a {@code hook} ({@code NF_INET_*}), a {@code priority} and a
 * {@code policy} ({@code NF_ACCEPT}/{@code NF_DROP}); a regular chain has
 * none of them. Fields left null are not sent.
 *
 * <pre>{@code
 * NftChain post = NftChain.base(Netfilter.NFPROTO_IPV4, "overlaynet", "postrouting",
 *     "nat", Netfilter.NF_INET_POST_ROUTING, 100, Netfilter.NF_ACCEPT);
 * }</pre>
 *
 * @param handle kernel handle (read only), or null
 * @param flags  {@code NFT_CHAIN_*} as the kernel reports them (read only), or null
 * @param use    number of rules and references (read only), or null
 */
public record NftChain(int family, String table, String name, String type, Integer hook, Integer priority,
                       Integer policy, Long handle, Integer flags, Integer use) {
    /** Priority of {@code srcnat} (NF_IP_PRI_NAT_SRC). */
    public static final int PRIORITY_SRCNAT = 100;
    /** Priority of {@code dstnat} (NF_IP_PRI_NAT_DST). */
    public static final int PRIORITY_DSTNAT = -100;

    public NftChain {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
        NftNames.validate("table name", table);
        NftNames.validate("chain name", name);
        if ((hook == null) != (priority == null) || (hook == null) != (type == null)) {
            throw new IllegalArgumentException("chain " + name + ": a base chain needs type, hook and priority together");
        }
    }

    public static NftChain base(int family, String table, String name, String type, int hook, int priority,
                                int policy) {
        return new NftChain(family, table, name, type, hook, priority, policy, null, null, null);
    }

    public static NftChain regular(int family, String table, String name) {
        return new NftChain(family, table, name, null, null, null, null, null, null, null);
    }

    public boolean isBase() {
        return hook != null;
    }
}
