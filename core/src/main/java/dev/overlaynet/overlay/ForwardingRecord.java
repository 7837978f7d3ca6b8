package dev.overlaynet.overlay;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetlinkException;
import java.io.IOException;

/**
 * The ip_forward record: the value {@code net.ipv4.ip_forward} had before the
 * first overlay on a host turned it on, kept as an alias on the overlay's
 * vxlan device and on its bridge. It lives in the kernel, next to the devices
 * it belongs to, so the last overlay to leave (in this process or another,
 * before or after a restart) knows what to put back; being on both devices, a
 * repair after either was deleted by hand still finds it.
 *
 * <pre>{@code
 * String before = ForwardingRecord.toRestore(nl, overlay);   // "0" on a fresh host
 * ops.ensureAlias(overlay.vxlanName(), ForwardingRecord.alias(before));
 * }</pre>
 */
final class ForwardingRecord {
    /** Alias prefix carrying the record; the value follows it. */
    static final String MARK = "overlaynet ip_forward before=";

    private ForwardingRecord() {}

    /** The alias that records {@code value}. */
    static String alias(String value) {
        return MARK + value;
    }

    /** The recorded ip_forward value on {@code l}, or null when it carries no record. */
    static String readFrom(Link l) {
        String a = l.alias();
        return a != null && a.startsWith(MARK) ? a.substring(MARK.length()) : null;
    }

    /**
     * The records on this host, from one link dump: this overlay's own (from
     * its vxlan or its bridge; null if neither carries one or exists), and
     * another overlay's (null if none).
     */
    record Found(String own, String other) {
        boolean otherOverlayPresent() {
            return other != null;
        }
    }

    static Found find(Netlink nl, Overlay o) throws NetlinkException {
        String own = null;
        String other = null;
        for (Link l : nl.links().list()) {
            String v = readFrom(l);
            if (v == null) {
                continue;
            }
            if (l.name().equals(o.vxlanName()) || l.name().equals(o.bridgeName())) {
                own = own == null ? v : own;
            } else {
                other = v;
            }
        }
        return new Found(own, other);
    }

    /**
     * What the last overlay leaving this host should set ip_forward back to:
     * this overlay's own record if its vxlan or bridge exists from an earlier
     * run, else another overlay's record if that one turned forwarding on,
     * else the current value.
     */
    static String toRestore(Netlink nl, Overlay o) throws IOException {
        Found r = find(nl, o);
        if (r.own() != null) {
            return r.own();
        }
        String now = nl.sysctls().get("net.ipv4.ip_forward");
        return "1".equals(now) && r.other() != null ? r.other() : now;
    }
}
