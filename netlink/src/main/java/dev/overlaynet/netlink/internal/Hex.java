package dev.overlaynet.netlink.internal;

import java.nio.ByteBuffer;

/** Hex rendering for trace logs. */
public final class Hex {
    private Hex() {}

    public static String dump(ByteBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            int v = b.get(off + i) & 0xff;
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        return sb.toString();
    }
}
