package dev.overlaynet.examples;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.LinkName;
import dev.overlaynet.netlink.NetNs;

/**
 * Checks of the example programs' option values, made before anything is
 * changed; each error names the option.
 *
 * <pre>{@code
 * String cidr = ExampleChecks.cidr("container-ip", a.require("container-ip"));
 * }</pre>
 */
final class ExampleChecks {
    private ExampleChecks() {}

    static String ip(String option, String v) {
        Ip.parse("--" + option, v);
        return v;
    }

    static String cidr(String option, String v) {
        if (v.indexOf('/') < 0) {
            throw new IllegalArgumentException("--" + option + " wants ADDRESS/LENGTH, got \"" + v + "\"");
        }
        IpPrefix.parse("--" + option, v);
        return v;
    }

    static String netns(String v) {
        NetNs.validateName(v);
        return v;
    }

    static String linkName(String option, String v) {
        LinkName.validate("--" + option, v);
        return v;
    }

    static int vni(Args a) {
        return a.getInt("vni", 42, 0, (1 << 24) - 1);
    }

    static int port(Args a) {
        return a.getInt("port", 4789, 1, 65535);
    }
}
