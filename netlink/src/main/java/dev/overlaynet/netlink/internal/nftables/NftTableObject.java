package dev.overlaynet.netlink.internal.nftables;

import java.util.Objects;

/**
 * A stateful object ({@code NFT_MSG_NEWOBJ}: counter, quota, limit, ct
 * helper, ...) or a flowtable ({@code NFT_MSG_NEWFLOWTABLE}) as read back:
 * only what names it. The library never writes either; it reads them to know
 * what else a table holds.
 *
 * <pre>{@code
 * for (NftTableObject o : client.objects(Netfilter.NFPROTO_IPV4, "overlaynet")) {
 *     log.info(o.kind() + " " + o.name());   // "counter hits", "flowtable ft"
 * }
 * }</pre>
 *
 * @param kind  nft's keyword: {@code flowtable}, or the object type ({@code counter}, {@code quota},
 *              {@code ct helper}, ...; {@code object type N} for a type without one)
 * @param family the table's family
 * @param table the table's name
 * @param name  the object's name
 */
public record NftTableObject(String kind, int family, String table, String name) {
    /** nft's keywords for NFT_OBJECT_* 1..10, by type number. */
    private static final String[] OBJECT_KINDS = {null, "counter", "quota", "ct helper", "limit", "connlimit",
        "tunnel", "ct timeout", "secmark", "ct expectation", "synproxy"};

    public NftTableObject {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(name, "name");
    }

    /** nft's keyword for object type {@code type} ({@code NFT_OBJECT_*}). */
    public static String objectKind(int type) {
        return type > 0 && type < OBJECT_KINDS.length ? OBJECT_KINDS[type] : "object type " + type;
    }
}
