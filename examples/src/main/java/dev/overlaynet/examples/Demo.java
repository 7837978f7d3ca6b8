package dev.overlaynet.examples;

import dev.overlaynet.Address;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The README demo: the whole walkthrough on 3 simulated hosts (namespaces on
 * this machine), first in multicast mode, then in unicast mode. Prints what
 * was created on each host, cross-host container pings, host-to-container
 * pings and NAT out as seen from a "wan" namespace. Exits non-zero if any
 * check fails, and always deletes every namespace it made.
 *
 * <pre>{@code
 * java -jar examples/target/overlaynet-examples.jar            # this demo
 * java -jar examples/target/overlaynet-examples.jar --hosts 5  # more hosts
 * }</pre>
 */
public final class Demo {
    private static final PrintStream OUT = System.out;
    private int failures;
    private int checks;

    static final String USAGE = "usage: Demo [--hosts N] [--mode multicast|unicast|both]\n"
            + "Runs the VXLAN overlay walkthrough on N simulated hosts (network namespaces); needs root.";

    public static void main(String[] argv) throws Exception {
        Args a;
        int hosts;
        String mode;
        try {
            a = Args.parse(argv, Set.of("hosts", "mode"), Set.of("help"));
            if (a.flag("help")) {
                OUT.println(USAGE);
                return;
            }
            hosts = a.getInt("hosts", 3, 1, Simulation.MAX_HOSTS);
            mode = a.choice("mode", "both", List.of("multicast", "unicast", "both"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Demo d = new Demo();
        if (mode.equals("both") || mode.equals("multicast")) {
            d.run(Overlay.Mode.MULTICAST, hosts);
        }
        if (mode.equals("both") || mode.equals("unicast")) {
            d.run(Overlay.Mode.UNICAST, hosts);
        }
        OUT.printf("%n%d checks, %d failed: %s%n", d.checks, d.failures, d.failures == 0 ? "DEMO OK" : "DEMO FAILED");
        System.exit(d.failures == 0 ? 0 : 1);
    }

    private void check(boolean ok, String what, String detail) {
        checks++;
        if (!ok) {
            failures++;
        }
        OUT.printf("  [%s] %s%s%n", ok ? " ok " : "FAIL", what, detail == null || detail.isEmpty() ? "" : "  (" + detail + ")");
    }

    private void run(Overlay.Mode mode, int n) throws Exception {
        String base = "ovdemo-" + (mode == Overlay.Mode.MULTICAST ? "m" : "u") + "-";
        OUT.printf("%n=== %s mode: %d hosts, VNI 42, 10.233.0.0/16 ===%n", mode.name().toLowerCase(), n);
        Overlay.Builder ob = Overlay.builder().cidr("10.233.0.0/16").vni(42).dstPort(4789).nat(true);
        Overlay overlay = mode == Overlay.Mode.MULTICAST ? ob.multicastGroup("239.1.1.1").build() : ob.unicast().build();
        Simulation sim = Simulation.create(base, n, true);
        String prefix = sim.prefix(); // with this run's random tag: other runs' namespaces are not ours
        Thread cleanup = new Thread(() -> {
            try {
                sim.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<OverlayHost> joined = new ArrayList<>();
        try {
            List<NetNs> containers = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                HostSpec hs = HostSpec.builder().underlayDevice("eth1").localAddress(Simulation.underlayIp(i))
                        .hostAddress("10.233.255." + (10 + i)).build();
                OverlayHost h = OverlayHost.join(sim.handle("h" + i), overlay, hs);
                joined.add(h);
                NetNs c = sim.namespace("c" + i);
                containers.add(c);
                h.attach(ContainerSpec.builder().namespace(c).ip(containerIp(i)).build());
            }
            if (mode == Overlay.Mode.UNICAST) {
                // The program, not flooding, tells every host where everything is.
                for (OverlayHost h : joined) {
                    for (OverlayHost other : joined) {
                        if (other == h) {
                            continue;
                        }
                        h.addPeer(other.host().localAddress());
                        for (Endpoint e : other.localEndpoints()) {
                            h.addRemote(e);
                        }
                    }
                }
            }
            for (int i = 1; i <= n; i++) {
                describeHost(sim, "h" + i, overlay);
            }
            OUT.println("\n-- container to container, across hosts");
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        Probes.Result r = Probes.ping(containers.get(i - 1), containerIp(j));
                        check(r.ok(), "c" + i + " (h" + i + ") -> c" + j + " (h" + j + ") " + containerIp(j), r.detail());
                    }
                }
            }
            OUT.println("\n-- host to container");
            for (int i = 1; i <= n; i++) {
                Probes.Result r = Probes.ping(sim.namespace("h" + i), containerIp(i));
                check(r.ok(), "h" + i + " -> local c" + i + " " + containerIp(i), r.detail());
                int j = i % n + 1;
                if (j != i) {
                    Probes.Result r2 = Probes.ping(sim.namespace("h" + i), containerIp(j));
                    check(r2.ok(), "h" + i + " -> remote c" + j + " " + containerIp(j), r2.detail());
                }
            }
            OUT.println("\n-- NAT out: c1 -> wan " + Simulation.WAN_IP + " via h1");
            Probes.Result pr = Probes.ping(containers.get(0), Simulation.WAN_IP);
            check(pr.ok(), "c1 -> wan " + Simulation.WAN_IP + " (ICMP)", pr.detail());
            try (Probes.SourceReporter wan = new Probes.SourceReporter(sim.namespace("wan"), Simulation.WAN_IP, 8080)) {
                String answer = Probes.connectAndRead(containers.get(0), Simulation.WAN_IP, 8080);
                String seen = wan.seenSource();
                check(Simulation.H1_WAN_IP.equals(seen), "wan sees c1's TCP connection coming from h1's "
                        + Simulation.H1_WAN_IP + " (masqueraded), not from " + containerIp(1), "seen " + seen + ", told c1 " + answer);
            }
        } finally {
            for (OverlayHost h : joined) {
                try {
                    h.leave();
                } catch (Exception e) {
                    check(false, "leave " + h.host().localAddress().getHostAddress(), e.toString());
                }
            }
            sim.close();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            List<String> left = new ArrayList<>();
            for (String ns : NetNs.list()) {
                if (ns.startsWith(prefix)) {
                    left.add(ns);
                }
            }
            check(left.isEmpty(), "cleanup: no " + prefix + "* namespace left", left.isEmpty() ? "" : left.toString());
        }
    }

    static String containerIp(int i) {
        return "10.233.0." + (i + 1);
    }

    private static void describeHost(Simulation sim, String label, Overlay o) throws Exception {
        Netlink nl = sim.handle(label);
        OUT.printf("%n-- %s (netns %s)%n", label, sim.realName(label));
        for (Link l : nl.links().list()) {
            if (l.name().equals(o.vxlanName()) || l.name().equals(o.bridgeName()) || l.name().startsWith("ov")) {
                OUT.printf("  link %s%n", Show.link(l));
            }
        }
        for (Address a : nl.addresses().list(o.bridgeName())) {
            if (a.isV4()) {
                OUT.printf("  addr %s%n", a);
            }
        }
        for (FdbEntry f : nl.fdb().list(o.vxlanName())) {
            if (f.dst() != null) {
                OUT.printf("  fdb  %s%n", f);
            }
        }
        nl.neighbours().list(o.bridgeName()).forEach(x -> {
            if (x.state().toString().contains("PERMANENT")) {
                OUT.printf("  neigh %s%n", x);
            }
        });
        for (OwnedRule r : nl.nftables().rules()) {
            OUT.printf("  nft  table %s: %s%n", r.table(), Show.rule(r));
        }
        OUT.printf("  sysctl net.ipv4.ip_forward=%s%n", nl.sysctls().get("net.ipv4.ip_forward"));
    }
}
