package dev.overlaynet.examples;

import dev.overlaynet.Ip;
import dev.overlaynet.Netlink;
import dev.overlaynet.agent.AgentOptions;
import dev.overlaynet.agent.AgentStatus;
import dev.overlaynet.agent.OverlayAgent;
import dev.overlaynet.directory.Directory;
import dev.overlaynet.directory.InMemoryDirectory;
import dev.overlaynet.etcd.EtcdDirectory;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The per-host overlay agent: joins this host, publishes it and its
 * containers in etcd, and keeps the kernel converged to what the other hosts
 * publish, until SIGTERM.
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.Agent \
 *     --etcd http://10.0.0.5:2379,http://10.0.0.6:2379 --host-name h1 \
 *     --underlay-device eth1 --local 172.16.1.11 --attach ns1,ns2
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.Agent --simulate 3
 * }</pre>
 */
public final class Agent extends ExampleMain {
    public static void main(String[] argv) {
        // This process owns its JVM: keep jetcd's Vert.x from creating /tmp/vertx-cache-<uuid>,
        // which stays behind whenever the agent is killed (see EtcdDirectory). An explicit
        // -Dvertx.disableFileCPResolving on the command line wins.
        if (System.getProperty("vertx.disableFileCPResolving") == null) {
            System.setProperty("vertx.disableFileCPResolving", "true");
        }
        new Agent().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: Agent --etcd URL[,URL...] --host-name NAME --underlay-device DEV --local IP",
                "             [--netns NAME] [--attach NETNS[=IP][,NETNS[=IP]...]] [--overlay NAME]",
                "             [--cidr 10.233.0.0/16] [--vni 42] [--port 4789] [--mode unicast|multicast]",
                "             [--group 239.1.1.1] [--nat] [--ttl SECONDS] [--resync MS] [--leave-on-exit]",
                "       Agent --simulate N [--etcd URL[,URL...]]",
                "Joins this host (or namespace --netns) to the overlay, publishes it and the attached",
                "containers in etcd, converges FDB/neighbour entries to the other hosts' records, and",
                "repairs drift, until SIGTERM. On SIGTERM it stops and leaves the kernel as it is (other",
                "hosts forget it after --ttl unless it comes back); with --leave-on-exit it leaves.",
                "--simulate N runs N hosts in namespaces on this machine with one agent each, on an",
                "in-memory directory (or on --etcd), attaches a container per host, pings all pairs, leaves.");
    }

    private static final java.util.Set<String> OVERLAY_OPTIONS =
            java.util.Set.of("etcd", "overlay", "cidr", "vni", "port", "mode", "group", "ttl", "resync");

    @Override
    java.util.Set<String> realOptions() {
        java.util.Set<String> s = new java.util.HashSet<>(OVERLAY_OPTIONS);
        s.addAll(java.util.Set.of("host-name", "netns", "underlay-device", "local", "attach"));
        return s;
    }

    @Override
    java.util.Set<String> simulateOptions() {
        java.util.Set<String> s = new java.util.HashSet<>(OVERLAY_OPTIONS);
        s.add("nat");
        return s;
    }

    @Override
    java.util.Set<String> realFlags() {
        return java.util.Set.of("nat", "leave-on-exit");
    }

    static Overlay overlay(Args a) {
        Overlay.Builder b = Overlay.builder().cidr(a.get("cidr", "10.233.0.0/16")).vni(a.getInt("vni", 42, 1, 16_777_215))
                .dstPort(a.getInt("port", 4789, 1, 65_535)).nat(a.flag("nat"));
        String mode = a.get("mode", "unicast");
        switch (mode) {
            case "unicast" -> b.unicast();
            case "multicast" -> b.multicastGroup(a.get("group", "239.1.1.1"));
            default -> throw new IllegalArgumentException("--mode must be unicast or multicast, got \"" + mode + "\"");
        }
        return b.build();
    }

    static AgentOptions options(Args a, String hostName) {
        return AgentOptions.builder().hostName(hostName)
                .leaseTtl(Duration.ofSeconds(a.getInt("ttl", 5, 1, 3600)))
                .resyncInterval(Duration.ofMillis(a.getInt("resync", 10_000, 100, 3_600_000))).build();
    }

    @Override
    void real(Args a) throws Exception {
        Overlay overlay = overlay(a);
        String hostName = a.require("host-name");
        AgentOptions options = options(a, hostName);
        HostSpec hostSpec = HostSpec.builder().underlayDevice(a.require("underlay-device"))
                .localAddress(a.require("local")).build();
        List<String> attach = a.list("attach");
        String netns = a.get("netns", null);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Directory dir = EtcdDirectory.connect(EtcdDirectory.endpoints(a.require("etcd")), a.get("overlay", "overlaynet"));
                NetNs hostNs = netns == null ? NetNs.current() : NetNs.open(netns);
                Netlink nl = Netlink.open(hostNs)) {
            System.out.println("agent " + hostName + ": joining overlay " + dir.overlayName() + " " + overlay);
            OverlayAgent agent = OverlayAgent.start(nl, dir, overlay, hostSpec, options);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "agent-sigterm"));
            List<NetNs> containers = new ArrayList<>();
            try {
                for (String c : attach) {
                    String[] parts = c.split("=", 2);
                    NetNs ns = NetNs.open(parts[0]);
                    containers.add(ns);
                    Endpoint e = parts.length == 2
                            ? agent.attach(ContainerSpec.builder().namespace(ns).ip(parts[1]).build())
                            : agent.attach(ns);
                    System.out.println("agent " + hostName + ": attached " + parts[0] + " as " + e);
                }
                System.out.println("agent " + hostName + ": READY");
                AgentStatus last = null;
                while (!stop.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    AgentStatus s = agent.status();
                    if (last == null || s.revision() != last.revision()) {
                        System.out.println("agent " + hostName + ": converged revision " + s.revision() + ": "
                                + s.peers() + " peers, " + s.remotes() + " remote endpoints"
                                + (s.lastReport() == null ? "" : ", last pass " + s.lastReport()));
                        last = s;
                    }
                }
                AgentStatus s = agent.status();
                if (a.flag("leave-on-exit")) {
                    agent.leave();
                    System.out.println("agent " + hostName + ": left the overlay");
                } else {
                    agent.close();
                    System.out.println("agent " + hostName + ": stopped; kernel state kept, records expire after "
                            + options.leaseTtl().toSeconds() + " s unless restarted");
                }
                System.out.println("agent " + hostName + ": final state: revision " + s.revision() + ", "
                        + s.localEndpoints() + " local and " + s.remotes() + " remote endpoints, " + s.peers()
                        + " peers, " + s.passes() + " converge passes, " + s.rejectedRecords() + " rejected records");
            } finally {
                agent.close();
                for (NetNs ns : containers) {
                    ns.close();
                }
                stopped.countDown();
            }
        }
    }

    @Override
    void simulate(Args a, int n) throws Exception {
        Overlay overlay = overlay(a);
        String etcd = a.get("etcd", null);
        List<OverlayAgent> agents = new ArrayList<>();
        List<Directory> dirs = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        InMemoryDirectory shared = etcd == null ? new InMemoryDirectory("sim") : null;
        try (Simulation sim = Simulation.create("ovex-agent-", n, false)) {
            for (int i = 1; i <= n; i++) {
                Directory dir = shared != null ? shared
                        : EtcdDirectory.connect(EtcdDirectory.endpoints(etcd), a.get("overlay", "sim"));
                if (shared == null) {
                    dirs.add(dir);
                }
                agents.add(OverlayAgent.start(sim.handle("h" + i), dir, overlay,
                        HostSpec.builder().underlayDevice("eth1").localAddress(Simulation.underlayIp(i)).build(),
                        options(a, "h" + i)));
                System.out.println("host h" + i + ": agent started (" + (shared != null ? "in-memory" : "etcd")
                        + " directory)");
            }
            for (int i = 1; i <= n; i++) {
                Endpoint e = agents.get(i - 1).attach(sim.namespace("c" + i));
                endpoints.add(e);
                System.out.println("host h" + i + ": attached container c" + i + " as " + e);
            }
            long want = (shared != null ? shared : dirs.get(0)).view().revision();
            for (OverlayAgent ag : agents) {
                if (!ag.awaitRevision(want, Duration.ofSeconds(30))) {
                    throw new IllegalStateException("agent " + ag.status().host() + " did not converge");
                }
                AgentStatus s = ag.status();
                System.out.println("host " + s.host() + ": converged revision " + s.revision() + ": " + s.peers()
                        + " peers, " + s.remotes() + " remote endpoints, last pass " + s.lastReport());
            }
            System.out.println("pings:");
            for (int i = 1; i <= n; i++) {
                for (int j = 1; j <= n; j++) {
                    if (i != j) {
                        String to = Ip.text(endpoints.get(j - 1).ip());
                        check(Probes.ping(sim.namespace("c" + i), to), "c" + i + " -> c" + j + " " + to);
                    }
                }
            }
            for (OverlayAgent ag : agents) {
                ag.leave();
            }
            System.out.println("all hosts left the overlay");
        } finally {
            for (OverlayAgent ag : agents) {
                ag.close();
            }
            for (Directory d : dirs) {
                d.close();
            }
            if (shared != null) {
                shared.close();
            }
        }
    }
}
