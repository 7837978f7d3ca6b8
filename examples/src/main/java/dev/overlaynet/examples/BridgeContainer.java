package dev.overlaynet.examples;

import dev.overlaynet.Netlink;
import java.util.Set;

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
    Set<String> realOptions() {
        return Set.of("container-ip", "netns", "veth", "gateway");
    }

    @Override
    Set<String> realFlags() {
        return Set.of("create-bridge");
    }

    @Override
    Set<String> simulateOptions() {
        return Set.of();
    }

    @Override
    void real(Args a) throws Exception {
        // Every argument is read and checked before anything is changed.
        String containerIp = ExampleChecks.cidr("container-ip", a.require("container-ip"));
        String netns = ExampleChecks.netns(a.get("netns", "ns1"));
        String gw = ExampleChecks.cidr("gateway", a.get("gateway", "10.233.0.1/16"));
        String veth = ExampleChecks.linkName("veth", a.get("veth", "veth0"));
        try (Netlink nl = Netlink.open(); ExampleNamespace ns = ExampleNamespace.openOrCreate(netns)) {
            Walkthrough w = new Walkthrough();
            try {
                if (a.flag("create-bridge")) {
                    w.bridge(nl, null);
                    w.gateway(nl, gw);
                } else if (nl.links().find("br0").isEmpty()) {
                    throw new IllegalArgumentException("there is no br0 on this host; pass --create-bridge to create it"
                            + " with the gateway");
                }
                w.container(nl, ns.ns(), veth, containerIp, gw.split("/")[0]);
                ns.keep();
            } catch (Exception e) {
                w.rollback(e);
                throw e;
            }
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        try (Simulation sim = Simulation.create("ovex-br-", 1, false)) {
            Walkthrough w = new Walkthrough(); // the simulation's namespaces go, with all in them, at close
            Netlink h = sim.handle("h1");
            w.bridge(h, null);
            w.gateway(h, "10.233.0.1/16");
            for (int i = 1; i <= n; i++) {
                w.container(h, sim.namespace("c" + i), "veth" + (i - 1), "10.233.0." + (i + 1) + "/16", "10.233.0.1");
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
