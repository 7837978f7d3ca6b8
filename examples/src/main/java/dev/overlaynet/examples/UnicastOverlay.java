package dev.overlaynet.examples;

import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;

/**
 * Walkthrough step 7: no multicast on the underlay. vxlan0 without learning,
 * one all-zero FDB entry per peer (head-end replication), and every remote
 * container kept by the program as a static neighbour and FDB entry.
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.UnicastOverlay --simulate 3
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.UnicastOverlay --dev eth1 --local-ip 172.16.1.11 \
 *     --peers 172.16.1.12,172.16.1.13 --container-ip 10.233.0.2/16 \
 *     --remote 10.233.0.3=0a:58:0a:e9:00:03@172.16.1.12
 * }</pre>
 */
public final class UnicastOverlay extends ExampleMain {
    public static void main(String[] argv) {
        new UnicastOverlay().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: UnicastOverlay [--simulate N] | --dev DEV --local-ip IP --peers IP[,IP...] --container-ip IP/LEN",
                "                      [--netns ns1] [--vni 42] [--port 4789] [--remote IP=MAC@PEER[,...]]",
                "Builds the unicast overlay on this host: vxlan0 nolearning, br0, gateway, container, flood entries",
                "per peer and static neighbour + FDB entries for the remote containers given with --remote.",
                "With --simulate N: N simulated hosts that learn each other's containers from the program.");
    }

    @Override
    void real(Args a) throws Exception {
        String netns = a.get("netns", "ns1");
        try (Netlink nl = Netlink.open(); NetNs ns = NetNs.exists(netns) ? NetNs.open(netns) : NetNs.create(netns)) {
            Walkthrough.vxlanUnicast(nl, a.getInt("vni", 42), a.getInt("port", 4789), a.require("local-ip"), a.require("dev"));
            Walkthrough.bridge(nl, "vxlan0");
            Walkthrough.gateway(nl, "10.233.0.1/16");
            Walkthrough.container(nl, ns, "veth0", a.require("container-ip"), "10.233.0.1");
            for (String p : a.list("peers")) {
                Walkthrough.floodTo(nl, p);
            }
            for (String r : a.list("remote")) {
                int eq = r.indexOf('=');
                int at = r.indexOf('@');
                if (eq < 0 || at < eq) {
                    throw new IllegalArgumentException("--remote wants IP=MAC@PEER, got " + r);
                }
                Walkthrough.staticEndpoint(nl, r.substring(0, eq), MacAddress.parse(r.substring(eq + 1, at)), r.substring(at + 1));
            }
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        int vni = a.getInt("vni", 42);
        try (Simulation sim = Simulation.create("ovex-uc-", n, false)) {
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + ":");
                Netlink h = sim.handle("h" + i);
                Walkthrough.vxlanUnicast(h, vni, a.getInt("port", 4789), Simulation.underlayIp(i), "eth1");
                Walkthrough.bridge(h, "vxlan0");
                Walkthrough.gateway(h, "10.233.0.1/16");
                Walkthrough.container(h, sim.namespace("c" + i), "veth0", "10.233.0." + (i + 1) + "/16", "10.233.0.1");
            }
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + " learns its peers from the program:");
                Netlink h = sim.handle("h" + i);
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        Walkthrough.floodTo(h, Simulation.underlayIp(j));
                        MacAddress mac = Walkthrough.containerMac(sim.namespace("c" + j));
                        Walkthrough.staticEndpoint(h, "10.233.0." + (j + 1), mac, Simulation.underlayIp(j));
                    }
                }
            }
            System.out.println("pings:");
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        check(Probes.ping(sim.namespace("c" + i), "10.233.0." + (j + 1)), "c" + i + " -> c" + j);
                    }
                }
            }
        }
    }
}
