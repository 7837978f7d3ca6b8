package dev.overlaynet.bench;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;

/** Private namespaces for end-to-end benchmarks: created per trial, always deleted. */
public final class BenchNamespaces {
    private BenchNamespaces() {}

    public static NetNs create(String label) throws Exception {
        String name = "ovbench-" + ProcessHandle.current().pid() + "-" + label;
        NetNs.deleteIfExists(name);
        NetNs ns = NetNs.create(name);
        // No IPv6 autoconf chatter inside (as the peer harness does).
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        return ns;
    }

    public static void destroy(Netlink nl, NetNs ns) throws Exception {
        if (nl != null) {
            nl.close();
        }
        if (ns != null) {
            String name = ns.name();
            ns.close();
            NetNs.deleteIfExists(name);
        }
    }
}
