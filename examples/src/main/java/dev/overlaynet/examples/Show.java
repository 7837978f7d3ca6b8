package dev.overlaynet.examples;

import dev.overlaynet.Bridge;
import dev.overlaynet.Link;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.Vxlan;

/** Compact, ip(8)-like one-line renderings for the example programs' output. */
final class Show {
    private Show() {}

    static String link(Link l) {
        StringBuilder sb = new StringBuilder(l.name()).append(": ").append(l.kind());
        if (l instanceof Vxlan v) {
            sb.append(" id ").append(v.vni());
            if (v.group() != null) {
                sb.append(" group ").append(v.group().getHostAddress());
            }
            if (v.local() != null) {
                sb.append(" local ").append(v.local().getHostAddress());
            }
            if (v.device() != null) {
                sb.append(" dev ").append(v.device());
            }
            sb.append(" dstport ").append(v.dstPort());
            if (Boolean.FALSE.equals(v.learning())) {
                sb.append(" nolearning");
            }
        } else if (l instanceof Bridge b) {
            sb.append(" stp ").append(Boolean.TRUE.equals(b.stp()) ? "on" : "off");
        }
        if (l.mtu() != null) {
            sb.append(" mtu ").append(l.mtu());
        }
        if (l.address() != null) {
            sb.append(" mac ").append(l.address());
        }
        if (l.master() != null) {
            sb.append(" master ").append(l.master());
        }
        sb.append(Boolean.TRUE.equals(l.up()) ? " up" : " down");
        return sb.toString();
    }

    static String rule(OwnedRule r) {
        return r.natRule().map(Object::toString).orElse(r.description()) + " (handle " + r.handle() + ")";
    }
}
