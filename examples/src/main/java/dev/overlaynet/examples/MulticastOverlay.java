package dev.overlaynet.examples;

import dev.overlaynet.Netlink;
import java.util.Set;

/**
 * Walkthrough steps 1-5: a multicast VXLAN, a bridge, a container behind a
 * veth, the gateway; then pings across hosts.
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.MulticastOverlay --simulate 3
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.MulticastOverlay \
 *     --dev eth1 --vni 42 --group 239.1.1.1 --netns ns1 --container-ip 10.233.0.2/16
 * }</pre>
 */
public final class MulticastOverlay extends ExampleMain {
    public static void main(String[] argv) {
        new MulticastOverlay().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: MulticastOverlay [--simulate N] | --dev DEV --container-ip IP/LEN [--netns NAME]",
                "                        [--vni 42] [--port 4789] [--group 239.1.1.1] [--gateway 10.233.0.1/16]",
                "Builds vxlan0 (multicast), br0, a container namespace with eth0 and the gateway on this host.",
                "With --simulate N it does so on N simulated hosts and pings between their containers.");
    }

    @Override
    Set<String> realOptions() {
        return Set.of("dev", "container-ip", "netns", "vni", "port", "group", "gateway");
    }

    @Override
    Set<String> simulateOptions() {
        return Set.of("vni", "port", "group");
    }

    @Override
    void real(Args a) throws Exception {
        // Every argument is read and checked before anything is changed.
        String dev = a.require("dev");
        String containerIp = ExampleChecks.cidr("container-ip", a.require("container-ip"));
        String netns = ExampleChecks.netns(a.get("netns", "ns1"));
        int vni = ExampleChecks.vni(a);
        int port = ExampleChecks.port(a);
        String group = ExampleChecks.ip("group", a.get("group", "239.1.1.1"));
        String gateway = ExampleChecks.cidr("gateway", a.get("gateway", "10.233.0.1/16"));
        try (Netlink nl = Netlink.open(); ExampleNamespace ns = ExampleNamespace.openOrCreate(netns)) {
            Walkthrough w = new Walkthrough();
            try {
                w.vxlanMulticast(nl, vni, port, group, dev);
                w.bridge(nl, "vxlan0");
                w.gateway(nl, gateway);
                w.container(nl, ns.ns(), "veth0", containerIp, gateway.split("/")[0]);
                ns.keep();
            } catch (Exception e) {
                w.rollback(e);
                throw e;
            }
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        int vni = ExampleChecks.vni(a);
        int port = ExampleChecks.port(a);
        String group = ExampleChecks.ip("group", a.get("group", "239.1.1.1"));
        try (Simulation sim = Simulation.create("ovex-mc-", n, false)) {
            Walkthrough w = new Walkthrough(); // the simulation's namespaces go, with all in them, at close
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + ":");
                Netlink h = sim.handle("h" + i);
                w.vxlanMulticast(h, vni, port, group, "eth1");
                w.bridge(h, "vxlan0");
                w.gateway(h, "10.233.0.1/16");
                w.container(h, sim.namespace("c" + i), "veth0", "10.233.0." + (i + 1) + "/16", "10.233.0.1");
            }
            System.out.println("pings (step 5):");
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        String to = "10.233.0." + (j + 1);
                        check(Probes.ping(sim.namespace("c" + i), to), "c" + i + " -> " + to);
                    }
                }
                check(Probes.ping(sim.namespace("h" + i), "10.233.0." + (i + 1)), "h" + i + " -> its container");
            }
        }
    }
}
