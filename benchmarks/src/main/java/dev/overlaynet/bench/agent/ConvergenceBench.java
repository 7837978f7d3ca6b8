package dev.overlaynet.bench.agent;

import dev.overlaynet.Bridge;
import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.agent.AgentOptions;
import dev.overlaynet.agent.ConvergeReport;
import dev.overlaynet.agent.Converger;
import dev.overlaynet.agent.DesiredRemotes;
import dev.overlaynet.agent.OverlayAgent;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.etcd.EtcdDirectory;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The many-hosts figures, measured in one run against one etcd: the floor
 * (raw etcd put to watch event), convergence latency from a publish on one
 * host to another host's kernel holding the neighbour and FDB entries, a new
 * host converging on an overlay of many endpoints, an unchanged re-converge,
 * and leaving a host with many containers. Simulated hosts are namespaces on
 * one underlay bridge; each agent has its own etcd client, as on real hosts.
 * Prints one JSON line per figure. Run by {@code run-agent-bench.sh}, which
 * starts and stops etcd.
 *
 * <p>Arguments: ETCD_URL HOSTS ATTACHES ENDPOINTS CONTAINERS
 */
public final class ConvergenceBench {
    private static final Overlay OVERLAY = Overlay.builder().cidr("10.64.0.0/10").vni(4242).dstPort(4789)
            .unicast().build();

    private ConvergenceBench() {}

    public static void main(String[] args) throws Exception {
        // Keep jetcd's Vert.x from creating /tmp/vertx-cache-<uuid> (left behind if this is killed).
        if (System.getProperty("vertx.disableFileCPResolving") == null) {
            System.setProperty("vertx.disableFileCPResolving", "true");
        }
        String etcd = args[0];
        int hosts = Integer.parseInt(args[1]);
        int attaches = Integer.parseInt(args[2]);
        int endpoints = Integer.parseInt(args[3]);
        int containers = Integer.parseInt(args[4]);
        String tag = "ovcb" + ProcessHandle.current().pid();
        List<String> made = new ArrayList<>();
        try {
            floor(etcd, attaches);
            convergence(etcd, tag, made, hosts, attaches);
            newHost(etcd, tag, made, endpoints);
            leave(tag, made, containers);
        } finally {
            for (String ns : made) {
                NetNs.deleteIfExists(ns);
            }
        }
    }

    private static void print(String figure, String fields) {
        System.out.println("{\"figure\":\"" + figure + "\"," + fields + "}");
    }

    private static String percentiles(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "\"n\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f", s.length,
                s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)] / 1e6,
                s[s.length - 1] / 1e6);
    }

    /** Raw etcd: a put on one client until the watch event on another. */
    static void floor(String etcd, int n) throws Exception {
        try (Client writer = Client.builder().endpoints(etcd).build();
                Client reader = Client.builder().endpoints(etcd).build()) {
            ByteSequence prefix = ByteSequence.from("/ovbench/floor/", StandardCharsets.UTF_8);
            ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();
            try (Watch.Watcher w = reader.getWatchClient().watch(prefix, WatchOption.builder().isPrefix(true).build(),
                    r -> r.getEvents().forEach(e -> seen.put(e.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
                            System.nanoTime())))) {
                Thread.sleep(200);
                long[] lat = new long[n];
                for (int i = 0; i < n + 50; i++) {
                    String k = "/ovbench/floor/" + i;
                    long t0 = System.nanoTime();
                    writer.getKVClient().put(ByteSequence.from(k, StandardCharsets.UTF_8),
                            ByteSequence.from("x", StandardCharsets.UTF_8)).get();
                    while (!seen.containsKey(k)) {
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                    }
                    if (i >= 50) {
                        lat[i - 50] = seen.get(k) - t0;
                    }
                }
                print("etcd_put_to_watch", percentiles(lat));
            }
            writer.getKVClient().delete(prefix, io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get();
        }
    }

    /** One simulated host: namespace on the underlay switch with eth1 = 172.16.(i/250).(i%250+1)/16. */
    static final class SimHost implements AutoCloseable {
        final NetNs ns;
        final Netlink nl;
        final String underlay;

        SimHost(String tag, List<String> made, Netlink sw, NetNs swNs, int i) throws Exception {
            String name = tag + "-h" + i;
            made.add(name);
            ns = NetNs.create(name);
            nl = Netlink.open(ns);
            underlay = "172.16." + (i / 250) + "." + (i % 250 + 1);
            nl.links().up("lo");
            nl.links().add(Veth.builder().name("eth1").peer("p" + i).peerNamespace(swNs).build());
            sw.links().setMaster("p" + i, "ul0");
            sw.links().up("p" + i);
            nl.addresses().add("eth1", underlay + "/16");
            nl.links().up("eth1");
        }

        HostSpec spec() {
            return HostSpec.builder().underlayDevice("eth1").localAddress(underlay).build();
        }

        @Override
        public void close() throws Exception {
            nl.close();
            ns.close();
        }
    }

    static Netlink switchNs(String tag, List<String> made, NetNs[] out) throws Exception {
        String name = tag + "-sw";
        made.add(name);
        NetNs sw = NetNs.create(name);
        Netlink nl = Netlink.open(sw);
        nl.links().add(Bridge.builder().name("ul0").mcastSnooping(false).build());
        nl.links().up("lo", "ul0");
        out[0] = sw;
        return nl;
    }

    private static MacAddress mac(int i) {
        return MacAddress.parse(String.format("0a:58:%02x:%02x:%02x:%02x", 0x40 | (i >> 24) & 0x3f, (i >> 16) & 0xff,
                (i >> 8) & 0xff, i & 0xff));
    }

    private static InetAddress ip(int i) {
        int v = ((10 << 24) | (0x40 << 16)) + 0x100 + i; // 10.64.1.0 and up, inside 10.64.0.0/10
        return Ip.of(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /**
     * Convergence latency: a publisher standing in for host A publishes one
     * endpoint at a time (what an attach on A publishes); the time until host B's
     * kernel holds its neighbour and FDB entries, with {@code hosts} agents running.
     */
    static void convergence(String etcd, String tag, List<String> made, int hosts, int attaches) throws Exception {
        NetNs[] swNs = new NetNs[1];
        List<SimHost> sims = new ArrayList<>();
        List<OverlayAgent> agents = new ArrayList<>();
        List<EtcdDirectory> dirs = new ArrayList<>();
        try (Netlink sw = switchNs(tag, made, swNs)) {
            for (int i = 1; i <= hosts; i++) {
                SimHost h = new SimHost(tag, made, sw, swNs[0], i);
                sims.add(h);
                EtcdDirectory d = EtcdDirectory.connect(EtcdDirectory.endpoints(etcd), tag + "-conv");
                dirs.add(d);
                agents.add(OverlayAgent.start(h.nl, d, OVERLAY, h.spec(),
                        AgentOptions.builder().hostName("h" + i).resyncInterval(Duration.ofSeconds(60)).build()));
            }
            EtcdDirectory pub = EtcdDirectory.connect(EtcdDirectory.endpoints(etcd), tag + "-conv");
            dirs.add(pub);
            HostLease a = pub.register(new HostRecord("hA", Ip.parse("172.16.9.9"), MacAddress.parse("0a:58:ac:10:09:09")),
                    Duration.ofSeconds(30));
            Netlink b = sims.get(0).nl;
            long[] lat = new long[attaches];
            for (int i = 0; i < attaches + 20; i++) {
                InetAddress ip = ip(i);
                long t0 = System.nanoTime();
                a.publish(new EndpointRecord(ip, mac(i), "hA"));
                // Poll B's kernel every 100 us: spinning would take a core from the agents on a 2-core machine.
                while (b.neighbours().get(OVERLAY.bridgeName(), Ip.text(ip)).isEmpty()
                        || b.fdb().get(OVERLAY.vxlanName(), mac(i).toString()).isEmpty()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                if (i >= 20) {
                    lat[i - 20] = System.nanoTime() - t0;
                }
            }
            print("attach_to_remote_converged", "\"hosts\":" + hosts + "," + percentiles(lat));
            a.close();
            for (OverlayAgent ag : agents) {
                ag.leave();
            }
        } finally {
            for (OverlayAgent ag : agents) {
                ag.close();
            }
            for (EtcdDirectory d : dirs) {
                d.close();
            }
            for (SimHost h : sims) {
                h.close();
            }
            if (swNs[0] != null) {
                swNs[0].close();
            }
        }
    }

    /** A new host joining an overlay of {@code n} endpoints on 100 other hosts, then an unchanged pass. */
    static void newHost(String etcd, String tag, List<String> made, int n) throws Exception {
        NetNs[] swNs = new NetNs[1];
        List<HostLease> leases = new ArrayList<>();
        try (Netlink sw = switchNs(tag + "n", made, swNs);
                EtcdDirectory pub = EtcdDirectory.connect(EtcdDirectory.endpoints(etcd), tag + "-join");
                EtcdDirectory dir = EtcdDirectory.connect(EtcdDirectory.endpoints(etcd), tag + "-join")) {
            pub.ensureSpec(OVERLAY);
            int others = 100;
            for (int h = 0; h < others; h++) {
                leases.add(pub.register(new HostRecord("o" + h, Ip.parse("172.17." + (h / 250) + "." + (h % 250 + 1)),
                        mac(1_000_000 + h)), Duration.ofSeconds(60)));
            }
            for (int i = 0; i < n; i++) {
                leases.get(i % others).publish(new EndpointRecord(ip(i), mac(i), "o" + (i % others)));
            }
            long rev = dir.view().revision();
            try (SimHost h = new SimHost(tag + "n", made, sw, swNs[0], 1)) {
                long t0 = System.nanoTime();
                OverlayAgent agent = OverlayAgent.start(h.nl, dir, OVERLAY, h.spec(),
                        AgentOptions.builder().hostName("new").resyncInterval(Duration.ofSeconds(60)).build());
                if (!agent.awaitRevision(rev, Duration.ofSeconds(120))) {
                    throw new IllegalStateException("new host did not converge");
                }
                long joined = System.nanoTime() - t0;
                print("new_host_converged", String.format(Locale.ROOT, "\"endpoints\":%d,\"ms\":%.1f,\"report\":\"%s\"",
                        n, joined / 1e6, agent.status().lastReport()));
                long[] unchanged = new long[10];
                ConvergeReport r = null;
                DesiredRemotes want = DesiredRemotes.of(dir.view(), "new");
                for (int k = 0; k < unchanged.length; k++) {
                    long t1 = System.nanoTime();
                    r = Converger.converge(h.nl, OVERLAY, want);
                    unchanged[k] = System.nanoTime() - t1;
                }
                print("unchanged_reconverge", "\"endpoints\":" + n + ",\"unchanged\":" + r.unchanged() + ","
                        + percentiles(unchanged));
                agent.leave();
            }
            for (HostLease l : leases) {
                l.close();
            }
        } finally {
            if (swNs[0] != null) {
                swNs[0].close();
            }
        }
    }

    /** Leave of a host with {@code n} containers (one link-group delete for their veths). */
    static void leave(String tag, List<String> made, int n) throws Exception {
        NetNs[] swNs = new NetNs[1];
        List<NetNs> cs = new ArrayList<>();
        try (Netlink sw = switchNs(tag + "l", made, swNs); SimHost h = new SimHost(tag + "l", made, sw, swNs[0], 1)) {
            OverlayHost host = OverlayHost.join(h.nl, OVERLAY, h.spec());
            for (int i = 0; i < n; i++) {
                String name = tag + "-c" + i;
                made.add(name);
                NetNs c = NetNs.create(name);
                cs.add(c);
                host.attach(ContainerSpec.builder().namespace(c).ip(Ip.text(ip(i))).build());
            }
            Thread.sleep(500); // let the attaches' own RCU work settle
            long t0 = System.nanoTime();
            host.leave();
            long ns = System.nanoTime() - t0;
            print("leave_with_containers", String.format(Locale.ROOT, "\"containers\":%d,\"ms\":%.1f", n, ns / 1e6));
        } finally {
            for (NetNs c : cs) {
                c.close();
            }
            if (swNs[0] != null) {
                swNs[0].close();
            }
        }
    }

}
