package dev.overlaynet.examples;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;

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
    void real(Args a) throws Exception {
        String netns = a.get("netns", "ns1");
        try (Netlink nl = Netlink.open(); NetNs ns = NetNs.exists(netns) ? NetNs.open(netns) : NetNs.create(netns)) {
            Walkthrough.vxlanMulticast(nl, a.getInt("vni", 42), a.getInt("port", 4789), a.get("group", "239.1.1.1"), a.require("dev"));
            Walkthrough.bridge(nl, "vxlan0");
            Walkthrough.gateway(nl, a.get("gateway", "10.233.0.1/16"));
            String gw = a.get("gateway", "10.233.0.1/16").split("/")[0];
            Walkthrough.container(nl, ns, "veth0", a.require("container-ip"), gw);
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        int vni = a.getInt("vni", 42);
        try (Simulation sim = Simulation.create("ovex-mc-", n, false)) {
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + ":");
                Netlink h = sim.handle("h" + i);
                Walkthrough.vxlanMulticast(h, vni, a.getInt("port", 4789), a.get("group", "239.1.1.1"), "eth1");
                Walkthrough.bridge(h, "vxlan0");
                Walkthrough.gateway(h, "10.233.0.1/16");
                Walkthrough.container(h, sim.namespace("c" + i), "veth0", "10.233.0." + (i + 1) + "/16", "10.233.0.1");
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
