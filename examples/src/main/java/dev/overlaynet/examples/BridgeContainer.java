package dev.overlaynet.examples;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;

/**
 * Walkthrough steps 3-4 alone: a bridge with the gateway and containers
 * behind veth pairs (peer created as eth-tmp, moved, renamed eth0).
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.BridgeContainer --simulate 2
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.BridgeContainer --netns ns1 --container-ip 10.233.0.2/16
 * }</pre>
 */
public final class BridgeContainer extends ExampleMain {
    public static void main(String[] argv) {
        new BridgeContainer().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: BridgeContainer [--simulate N] | --container-ip IP/LEN [--netns ns1] [--veth veth0]",
                "                       [--gateway 10.233.0.1/16] [--create-bridge]",
                "Plugs a container namespace into br0 on this host (creates br0 and the gateway with --create-bridge).",
                "With --simulate N: one simulated host with N containers that ping the gateway and each other.");
    }

    @Override
    void real(Args a) throws Exception {
        String netns = a.get("netns", "ns1");
        String gw = a.get("gateway", "10.233.0.1/16");
        try (Netlink nl = Netlink.open(); NetNs ns = NetNs.exists(netns) ? NetNs.open(netns) : NetNs.create(netns)) {
            if (nl.links().find("br0").isEmpty()) {
                Walkthrough.bridge(nl, null);
                Walkthrough.gateway(nl, gw);
            }
            Walkthrough.container(nl, ns, a.get("veth", "veth0"), a.require("container-ip"), gw.split("/")[0]);
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        try (Simulation sim = Simulation.create("ovex-br-", 1, false)) {
            Netlink h = sim.handle("h1");
            Walkthrough.bridge(h, null);
            Walkthrough.gateway(h, "10.233.0.1/16");
            for (int i = 1; i <= n; i++) {
                Walkthrough.container(h, sim.namespace("c" + i), "veth" + (i - 1), "10.233.0." + (i + 1) + "/16", "10.233.0.1");
            }
            for (int i = 1; i <= n; i++) {
                check(Probes.ping(sim.namespace("c" + i), "10.233.0.1"), "c" + i + " -> gateway");
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        check(Probes.ping(sim.namespace("c" + i), "10.233.0." + (j + 1)), "c" + i + " -> c" + j);
                    }
                }
            }
        }
    }
}
