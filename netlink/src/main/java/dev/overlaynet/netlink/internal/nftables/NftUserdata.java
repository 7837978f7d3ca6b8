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

    /** TLV type of a set's key byte order (NFTNL_UDATA_SET_KEYBYTEORDER). */
    public static final int SET_KEYBYTEORDER = 0;
    /** TLV type of a set's comment (NFTNL_UDATA_SET_COMMENT); sets number their TLVs apart from tables and rules. */
    public static final int SET_COMMENT = 7;
    /** nft's BYTEORDER_BIG_ENDIAN, the key byte order of ipv4_addr, ipv6_addr and inet_service. */
    public static final int BYTEORDER_BIG_ENDIAN = 2;

    /**
     * Set user data as nft writes it for {@code type ipv4_addr; comment "..."}:
     * the key byte order (u32 in host order) and then, unless null, the comment.
     */
    public static DataValue setUserdata(int keyByteOrder, String comment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(SET_KEYBYTEORDER);
        out.write(4);
        byte[] order = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(keyByteOrder).array();
        out.write(order, 0, 4);
        if (comment != null) {
            byte[] c = comment(comment).bytes();
            c[0] = (byte) SET_COMMENT;
            out.write(c, 0, c.length);
        }
        return DataValue.of(out.toByteArray());
    }

    /** The comment in a set's user data (TLV {@link #SET_COMMENT}), or null. */
    public static String setComment(DataValue userdata) {
        return comment(userdata, SET_COMMENT);
    }

    /** The comment in a user-data blob, or null when it has none or is malformed. */
    public static String comment(DataValue userdata) {
        return comment(userdata, COMMENT);
    }

    private static String comment(DataValue userdata, int commentType) {
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
            if (type == commentType) {
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
