package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import java.nio.charset.StandardCharsets;

/** Validation of object names before anything is sent. */
public final class NftNames {
    private NftNames() {}

    static void validate(String field, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n >= NfTablesUapi.NFT_TABLE_MAXNAMELEN) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is " + n + " bytes; max "
                    + (NfTablesUapi.NFT_TABLE_MAXNAMELEN - 1));
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must not contain NUL");
        }
    }
}
