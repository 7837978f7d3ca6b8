package dev.overlaynet.examples;

import dev.overlaynet.Netlink;
import java.util.Set;

/**
 * Walkthrough step 6: forwarding on and masquerade of traffic from the
 * container network to anywhere else, over nftables netlink.
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.NatOut --simulate 1
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.NatOut --cidr 10.233.0.0/16
 * }</pre>
 */
public final class NatOut extends ExampleMain {
    public static void main(String[] argv) {
        new NatOut().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: NatOut [--simulate 1] | [--cidr 10.233.0.0/16]",
                "(--simulate takes only 1: one host, a container and a wan namespace)",
                "Turns on IPv4 forwarding and masquerades CIDR -> not CIDR on this host (table ip overlaynet).",
                "With --simulate: a host, a container behind br0 and a wan namespace; the wan side reports the",
                "source address it sees (the host's, not the container's).");
    }

    @Override
    Set<String> realOptions() {
        return Set.of("cidr");
    }

    @Override
    Set<String> simulateOptions() {
        return Set.of();
    }

    /** The simulation is one host behind a wan namespace; a larger N is refused rather than ignored. */
    @Override
    int maxSimulatedHosts() {
        return 1;
    }

    @Override
    void real(Args a) throws Exception {
        String cidr = ExampleChecks.cidr("cidr", a.get("cidr", "10.233.0.0/16"));
        try (Netlink nl = Netlink.open()) {
            Walkthrough w = new Walkthrough();
            try {
                w.natOut(nl, cidr);
            } catch (Exception e) {
                w.rollback(e);
                throw e;
            }
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        try (Simulation sim = Simulation.create("ovex-nat-", 1, true)) {
            Walkthrough w = new Walkthrough(); // the simulation's namespaces go, with all in them, at close
            Netlink h = sim.handle("h1");
            w.bridge(h, null);
            w.gateway(h, "10.233.0.1/16");
            w.container(h, sim.namespace("c1"), "veth0", "10.233.0.2/16", "10.233.0.1");
            w.natOut(h, "10.233.0.0/16");
            check(Probes.ping(sim.namespace("c1"), Simulation.WAN_IP), "c1 -> wan " + Simulation.WAN_IP);
            try (Probes.SourceReporter wan = new Probes.SourceReporter(sim.namespace("wan"), Simulation.WAN_IP, 8080)) {
                Probes.connectAndRead(sim.namespace("c1"), Simulation.WAN_IP, 8080);
                String seen = wan.seenSource();
                check(new Probes.Result(Simulation.H1_WAN_IP.equals(seen), "wan saw " + seen),
                        "wan sees the host's address " + Simulation.H1_WAN_IP + ", not 10.233.0.2");
            }
        }
    }
}
