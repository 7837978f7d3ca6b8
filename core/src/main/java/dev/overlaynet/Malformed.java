package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.NetlinkDecodeException;

/**
 * Turns a value object's refusal of kernel data (a prefix length of 255, a
 * 5-byte MAC) into the decode error it is. The typed decoders build value
 * objects whose builders validate; without this, such input would escape as
 * an IllegalArgumentException that reads like a caller's mistake.
 *
 * <pre>{@code
 * try { return decodeFields(m, names, a); }
 * catch (IllegalArgumentException e) { throw Malformed.message(m, "RTM_NEWADDR", e); }
 * }</pre>
 */
final class Malformed {
    private Malformed() {}

    static NetlinkDecodeException message(MessageReader m, String what, IllegalArgumentException e) {
        NetlinkDecodeException d = new NetlinkDecodeException(m.offset(), what + ": " + e.getMessage());
        d.initCause(e);
        return d;
    }
}
