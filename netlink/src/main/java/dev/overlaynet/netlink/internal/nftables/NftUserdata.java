package dev.overlaynet.netlink.internal.nftables;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The user-data format nft and libnftnl put in {@code NFTA_TABLE_USERDATA} and
 * {@code NFTA_RULE_USERDATA}: a list of TLVs (type u8, length u8, value). A
 * comment is type 0 ({@code NFTNL_UDATA_TABLE_COMMENT} /
 * {@code NFTNL_UDATA_RULE_COMMENT}) holding a NUL-terminated string, so
 * {@code nft list ruleset} shows it as {@code comment "..."}.
 *
 * <pre>{@code
 * DataValue ud = NftUserdata.comment("overlay-42");   // 00 0b "overlay-42\0"
 * String c = NftUserdata.comment(ud);                 // "overlay-42"
 * }</pre>
 */
public final class NftUserdata {
    private NftUserdata() {}

    /** TLV type of a comment, for tables, chains and rules alike. */
    public static final int COMMENT = 0;
    /** Longest comment nft accepts (NFTNL_UDATA_COMMENT_MAXLEN) including the NUL. */
    public static final int COMMENT_MAXLEN = 128;

    /** A user-data blob holding just {@code comment}. */
    public static DataValue comment(String comment) {
        byte[] c = comment.getBytes(StandardCharsets.UTF_8);
        if (c.length + 1 > COMMENT_MAXLEN) {
            throw new IllegalArgumentException("comment is " + c.length + " bytes; max " + (COMMENT_MAXLEN - 1));
        }
        if (comment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("comment must not contain NUL");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(c.length + 3);
        out.write(COMMENT);
        out.write(c.length + 1);
        out.write(c, 0, c.length);
        out.write(0);
        return DataValue.of(out.toByteArray());
    }

    /** The comment in a user-data blob, or null when it has none or is malformed. */
    public static String comment(DataValue userdata) {
        if (userdata == null) {
            return null;
        }
        byte[] b = userdata.raw();
        int i = 0;
        while (i + 2 <= b.length) {
            int type = b[i] & 0xff;
            int len = b[i + 1] & 0xff;
            if (i + 2 + len > b.length) {
                return null;
            }
            if (type == COMMENT) {
                int n = len;
                while (n > 0 && b[i + 2 + n - 1] == 0) {
                    n--;
                }
                return new String(b, i + 2, n, StandardCharsets.UTF_8);
            }
            i += 2 + len;
        }
        return null;
    }
}
