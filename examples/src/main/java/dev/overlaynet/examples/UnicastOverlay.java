package dev.overlaynet.examples;

import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
    Set<String> realOptions() {
        return Set.of("dev", "local-ip", "peers", "container-ip", "netns", "vni", "port", "remote");
    }

    @Override
    Set<String> simulateOptions() {
        return Set.of("vni", "port");
    }

    /** One --remote element, checked. */
    private record Remote(String ip, MacAddress mac, String peer) {
        static Remote parse(String r) {
            int eq = r.indexOf('=');
            int at = r.indexOf('@');
            if (eq < 0 || at < eq) {
                throw new IllegalArgumentException("--remote wants IP=MAC@PEER, got " + r);
            }
            return new Remote(ExampleChecks.ip("remote", r.substring(0, eq)), MacAddress.parse(r.substring(eq + 1, at)),
                    ExampleChecks.ip("remote peer", r.substring(at + 1)));
        }
    }

    @Override
    void real(Args a) throws Exception {
        // Every argument is read and checked before anything is changed.
        String dev = a.require("dev");
        String localIp = ExampleChecks.ip("local-ip", a.require("local-ip"));
        String containerIp = ExampleChecks.cidr("container-ip", a.require("container-ip"));
        String netns = ExampleChecks.netns(a.get("netns", "ns1"));
        int vni = ExampleChecks.vni(a);
        int port = ExampleChecks.port(a);
        List<String> peers = new ArrayList<>();
        for (String p : a.list("peers")) {
            peers.add(ExampleChecks.ip("peers", p));
        }
        List<Remote> remotes = new ArrayList<>();
        for (String r : a.list("remote")) {
            remotes.add(Remote.parse(r));
        }
        try (Netlink nl = Netlink.open(); ExampleNamespace ns = ExampleNamespace.openOrCreate(netns)) {
            Walkthrough w = new Walkthrough();
            try {
                w.vxlanUnicast(nl, vni, port, localIp, dev);
                w.bridge(nl, "vxlan0");
                w.gateway(nl, "10.233.0.1/16");
                w.container(nl, ns.ns(), "veth0", containerIp, "10.233.0.1");
                for (String p : peers) {
                    w.floodTo(nl, p);
                }
                for (Remote r : remotes) {
                    w.staticEndpoint(nl, r.ip(), r.mac(), r.peer());
                }
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
        try (Simulation sim = Simulation.create("ovex-uc-", n, false)) {
            Walkthrough w = new Walkthrough(); // the simulation's namespaces go, with all in them, at close
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + ":");
                Netlink h = sim.handle("h" + i);
                w.vxlanUnicast(h, vni, port, Simulation.underlayIp(i), "eth1");
                w.bridge(h, "vxlan0");
                w.gateway(h, "10.233.0.1/16");
                w.container(h, sim.namespace("c" + i), "veth0", "10.233.0." + (i + 1) + "/16", "10.233.0.1");
            }
            for (int i = 1; i <= n; i++) {
                System.out.println("host h" + i + " learns its peers from the program:");
                Netlink h = sim.handle("h" + i);
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        w.floodTo(h, Simulation.underlayIp(j));
                        MacAddress mac = Walkthrough.containerMac(sim.namespace("c" + j));
                        w.staticEndpoint(h, "10.233.0." + (j + 1), mac, Simulation.underlayIp(j));
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
