package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.agent.AgentOptions;
import dev.overlaynet.agent.OverlayAgent;
import dev.overlaynet.directory.EndpointRecord;
import dev.overlaynet.directory.HostLease;
import dev.overlaynet.directory.HostRecord;
import dev.overlaynet.etcd.EtcdDirectory;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Crash points of the agent with a real etcd: a separate JVM
 * ({@link AgentCrashPointMain}) runs an {@link OverlayAgent} that starts
 * (spec, join, register, adopt, watch), attaches two containers (one claimed
 * address, one allocated), detaches one again, and converges to a live peer, and is halted at
 * point K, for every K: after every kernel change it sends and before and
 * after every directory call. Then a restarted agent on the same host and
 * the same etcd starts and leaves. Afterwards the host and both containers
 * read back exactly as before the first run (ip, bridge, nft, sysctl as the
 * oracle), and etcd holds exactly what it held before (etcdctl as the
 * oracle): no host record, endpoint or allocation of this host, nothing of
 * the peer's touched.
 *
 * <p>What the restarted agent does is what a real one does after a crash:
 * it does not know which containers the dead one attached (that lived in
 * its memory), so it re-attaches none; it adopts the containers the kernel
 * records on their veths, republishes them, and {@link OverlayAgent#leave()}
 * then removes them and releases their addresses. It does not wait for the
 * dead agent's lease to expire: nothing may be left even before the TTL.
 *
 * <p>No halted child leaves anything in its temp directory either (such as
 * Vert.x's {@code vertx-cache-<uuid>}, see {@link ChildJvm}).
 */
@ExtendWith(NetnsExtension.class)
class AgentCrashPointTest {
    private static final String PEER_IP = "10.233.2.2";

    /** The children's java.io.tmpdir: each halted child must leave it empty. */
    @TempDir
    Path childTmp;

    private String run(List<String> args) throws Exception {
        List<String> cmd = ChildJvm.command(childTmp, AgentCrashPointMain.class.getName(),
                List.of("-XX:TieredStopAtLevel=1"), args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not finish: " + out);
            }
            return out;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.Mode.class)
    void aKillAtAnyPointOfStartAttachAndPublishThenRestartAndLeaveLeavesNothing(Overlay.Mode mode,
            TestNamespaces nss) throws Exception {
        EtcdCluster.requireEtcd();
        long t0 = System.nanoTime();
        String ov = "crash-" + mode.name().toLowerCase();
        Overlay overlay = OverlaySim.overlay(mode);
        try (EtcdCluster etcd = EtcdCluster.start(1);
                EtcdDirectory dir = EtcdDirectory.connect(etcd.endpoints(), ov)) {
            OverlaySim sim = OverlaySim.create(nss, 2);
            NetNs c1 = sim.container("c1");
            NetNs c2 = sim.container("c2");
            // A live peer (its agent is not under test): the crashed agent converges to it,
            // the restarted one removes its entries again, and its records stay untouched.
            dir.ensureSpec(overlay);
            HostLease peer = dir.register(new HostRecord("h2", Ip.parse(OverlaySim.underlayIp(2)),
                    MacAddress.parse("0a:58:ac:10:01:0c")), Duration.ofSeconds(30));
            assertThat(dir.claim(Ip.parse(PEER_IP), "h2")).isTrue();
            peer.publish(new EndpointRecord(Ip.parse(PEER_IP), MacAddress.parse("0a:58:0a:e9:02:02"), "h2"));

            Map<String, Object> host = Snapshot.host(sim.hostName(1));
            Map<String, Object> before1 = Snapshot.container(c1.name());
            Map<String, Object> before2 = Snapshot.container(c2.name());
            Map<String, String> keys = keys(etcd, ov);
            System.out.println(mode + ": etcd before: " + keys.keySet());
            List<String> args = List.of(sim.hostName(1), c1.name(), c2.name(), etcd.endpointList(), ov, mode.name());

            String all = run(args);
            assertThat(all).as("full run").contains("POINTS ");
            ChildJvm.assertLeftNothing(childTmp, "by the full run");
            all.lines().filter(l -> l.startsWith("POINT ")).forEach(l -> System.out.println(mode + ": " + l));
            int points = Integer.parseInt(all.substring(all.indexOf("POINTS ") + 7).trim().split("\\s")[0]);
            System.out.println(mode + ": " + points + " kill points");
            List<String> d0 = restartAndLeave(sim, c1, c2, dir, overlay, host, before1, before2, keys, etcd, ov);
            assertThat(d0).as("after the full run").isEmpty();

            List<String> failures = new ArrayList<>();
            for (int k = 1; k <= points; k++) {
                List<String> a = new ArrayList<>(args);
                a.add(Integer.toString(k));
                String out = run(a);
                String halted = out.lines().filter(l -> l.startsWith("HALT ")).findFirst()
                        .orElse(out.contains("POINTS ") ? "not reached (this run had fewer points)" : null);
                assertThat(halted).as("child at point %d: %s", k, out).isNotNull();
                ChildJvm.assertLeftNothing(childTmp, "by the child halted at point " + k);
                List<String> d = restartAndLeave(sim, c1, c2, dir, overlay, host, before1, before2, keys, etcd, ov);
                System.out.println(mode + ": K=" + k + " " + halted + ": " + (d.isEmpty() ? "nothing left" : d));
                if (!d.isEmpty()) {
                    failures.add("killed at " + halted + ": " + d);
                    break; // the next cases would start from a dirty state
                }
            }
            peer.close();
            System.out.printf("%s: %d points in %d s%n", mode, points,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0));
            assertThat(failures).isEmpty();
        }
    }

    /**
     * A restarted agent starts on host 1 and leaves; returns what then differs
     * from before the first run, in the kernel and in etcd.
     */
    private static List<String> restartAndLeave(OverlaySim sim, NetNs c1, NetNs c2, EtcdDirectory dir, Overlay overlay,
            Map<String, Object> host, Map<String, Object> before1, Map<String, Object> before2,
            Map<String, String> keys, EtcdCluster etcd, String ov) throws Exception {
        List<String> d = new ArrayList<>();
        try {
            OverlayAgent agent = OverlayAgent.start(sim.handle(1), dir, overlay, OverlaySim.hostSpec(1, true),
                    AgentOptions.builder().hostName("h1").leaseTtl(AgentCrashPointMain.TTL).build());
            agent.leave();
        } catch (Exception e) {
            d.add("restart and leave failed: " + e);
        }
        d.addAll(Snapshot.diff(host, Snapshot.host(sim.hostName(1))));
        d.addAll(Snapshot.diff(before1, Snapshot.container(c1.name())));
        d.addAll(Snapshot.diff(before2, Snapshot.container(c2.name())));
        Map<String, String> now = keys(etcd, ov);
        for (String k : keys.keySet()) {
            if (!now.containsKey(k)) {
                d.add("etcd - " + k);
            } else if (!now.get(k).equals(keys.get(k))) {
                d.add("etcd ~ " + k + " = " + now.get(k));
            }
        }
        for (String k : now.keySet()) {
            if (!keys.containsKey(k)) {
                d.add("etcd + " + k + " = " + now.get(k));
            }
        }
        return d;
    }

    /** Every key of the overlay and its value, read with etcdctl. */
    private static Map<String, String> keys(EtcdCluster etcd, String ov) throws Exception {
        List<String> lines = etcd.etcdctl("get", "--prefix", "/overlaynet/v1/" + ov + "/").lines().toList();
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            out.put(lines.get(i), lines.get(i + 1));
        }
        return out;
    }
}
