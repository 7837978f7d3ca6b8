package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import java.util.Objects;

/**
 * One element of an nftables set: a key, and for interval sets whether it
 * opens a range or ends one ({@code NFT_SET_ELEM_INTERVAL_END}; the end key is
 * the first address after the range). {@link NftIntervals} turns prefixes
 * into such elements and back.
 *
 * <pre>{@code
 * NftSetElement start = NftSetElement.of(DataValue.of(10, 0, 0, 0));
 * NftSetElement end = NftSetElement.end(DataValue.of(11, 0, 0, 0));   // 10.0.0.0/8
 * }</pre>
 *
 * @param key   the key, in network byte order
 * @param flags {@code NFT_SET_ELEM_*}
 */
public record NftSetElement(DataValue key, int flags) {
    public NftSetElement {
        Objects.requireNonNull(key, "key");
    }

    public static NftSetElement of(DataValue key) {
        return new NftSetElement(key, 0);
    }

    public static NftSetElement end(DataValue key) {
        return new NftSetElement(key, NfTablesUapi.NFT_SET_ELEM_INTERVAL_END);
    }

    public boolean isIntervalEnd() {
        return (flags & NfTablesUapi.NFT_SET_ELEM_INTERVAL_END) != 0;
    }

    @Override
    public String toString() {
        return key + (isIntervalEnd() ? " [end]" : "");
    }
}
