package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three simulated hosts, each run by its own agent PROCESS (the examples'
 * Agent main, in a separate JVM), on a real three-member etcd cluster:
 * attach anywhere gives all-pairs ping; kill -9 of an agent makes its
 * endpoints disappear elsewhere within TTL + 1 s and a restart converges
 * again with no duplicate; losing the etcd leader, and then all of etcd,
 * never flushes the kernel, and the agents converge when etcd returns.
 */
@ExtendWith(NetnsExtension.class)
class AgentProcessesTest {
    private static final int TTL_SECONDS = 2;
    private static final Pattern ATTACHED = Pattern.compile("attached (\\S+) as (\\S+) (\\S+) @");

    /** One agent JVM and what it printed. */
    static final class AgentProcess {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);

        AgentProcess(List<String> cmd) throws Exception {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l);
                        if (l.endsWith(": READY")) {
                            ready.countDown();
                        }
                    }
                } catch (java.io.IOException e) {
                    // process gone
                }
            });
            t.setDaemon(true);
            t.start();
        }

        void awaitReady() throws InterruptedException {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("agent not READY:\n" + String.join("\n", lines));
            }
        }

        String attachedIp() {
            for (String l : lines) {
                Matcher m = ATTACHED.matcher(l);
                if (m.find()) {
                    return m.group(2);
                }
            }
            throw new AssertionError("no attach line in:\n" + String.join("\n", lines));
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        void terminate() throws InterruptedException {
            process.destroy(); // SIGTERM
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static AgentProcess agent(EtcdCluster etcd, OverlaySim sim, int i, String container) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", classPath(), "dev.overlaynet.examples.Agent",
                "--etcd", etcd.endpointList(), "--overlay", "procs", "--host-name", "h" + i,
                "--netns", sim.hostName(i), "--underlay-device", "eth1", "--local", OverlaySim.underlayIp(i),
                "--attach", container, "--ttl", Integer.toString(TTL_SECONDS), "--resync", "500"));
        AgentProcess p = new AgentProcess(cmd);
        p.awaitReady();
        return p;
    }

    @Test
    void agentProcessesOnARealEtcdClusterSurviveCrashesAndEtcdOutages(TestNamespaces nss) throws Exception {
        EtcdCluster.requireEtcd();
        List<AgentProcess> agents = new ArrayList<>();
        try (EtcdCluster etcd = EtcdCluster.start(3)) {
            OverlaySim sim = OverlaySim.create(nss, 3);
            List<NetNs> containers = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                containers.add(sim.container("c" + i));
            }
            for (int i = 1; i <= 3; i++) {
                agents.add(agent(etcd, sim, i, containers.get(i - 1).name()));
            }
            List<String> ips = new ArrayList<>();
            for (AgentProcess a : agents) {
                ips.add(a.attachedIp());
            }
            for (int i = 1; i <= 3; i++) {
                awaitRemoteEntries(sim, i, 2);
            }
            assertAllPairsPing(containers, ips);

            // kill -9 of agent 3: its endpoint and flood entry leave h1 and h2 within TTL + 1 s.
            agents.get(2).kill9();
            long t0 = System.nanoTime();
            for (int h = 1; h <= 2; h++) {
                awaitRemoteEntries(sim, h, 1);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("endpoints of a killed agent gone from the other hosts after " + ms + " ms (TTL "
                    + TTL_SECONDS + " s)");
            assertThat(ms).isLessThanOrEqualTo(TTL_SECONDS * 1000L + 1000L);
            // Its own kernel keeps the last state: nothing flushed by a crash.
            assertThat(remoteEntries(sim, 3)).hasSize(2);

            // Restart: converges with no duplicate and no lost entry; its container keeps its address.
            agents.set(2, agent(etcd, sim, 3, containers.get(2).name() + "=" + ips.get(2)));
            for (int i = 1; i <= 3; i++) {
                awaitRemoteEntries(sim, i, 2);
            }
            assertAllPairsPing(containers, ips);

            // The etcd leader stops: a restarted agent registers through the others.
            etcd.leader().kill();
            agents.get(1).kill9();
            agents.set(1, agent(etcd, sim, 2, containers.get(1).name() + "=" + ips.get(1)));
            for (int i = 1; i <= 3; i++) {
                awaitRemoteEntries(sim, i, 2);
            }

            // All of etcd down: the agents keep the last known state in the kernel (no flush)...
            for (EtcdCluster.Member m : etcd.members()) {
                m.kill();
            }
            Thread.sleep((TTL_SECONDS + 2) * 1000L);
            for (int i = 1; i <= 3; i++) {
                assertThat(remoteEntries(sim, i)).as("h%d during the etcd outage", i).hasSize(2);
            }
            assertAllPairsPing(containers, ips);
            // ...and converge when it returns (a crashed agent restarted afterwards is seen by all).
            for (EtcdCluster.Member m : etcd.members()) {
                m.restart();
            }
            agents.get(0).kill9();
            agents.set(0, agent(etcd, sim, 1, containers.get(0).name() + "=" + ips.get(0)));
            for (int i = 1; i <= 3; i++) {
                awaitRemoteEntries(sim, i, 2);
            }
            assertAllPairsPing(containers, ips);
        } finally {
            for (AgentProcess a : agents) {
                a.terminate();
            }
        }
    }

    /** The overlay-owned FDB entries for remote containers on host {@code i}: "MAC dst IP" lines. */
    private static List<String> remoteEntries(OverlaySim sim, int i) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Oracle.run("bridge", "-n", sim.hostName(i), "fdb", "show", "dev", "vxlan0").split("\n")) {
            if (l.contains(" dst ") && !l.startsWith("00:00:00:00:00:00")) {
                out.add(l.trim());
            }
        }
        return out;
    }

    private static void awaitRemoteEntries(OverlaySim sim, int i, int n) throws Exception {
        List<String> got = List.of();
        for (int t = 0; t < 300; t++) {
            got = remoteEntries(sim, i);
            if (got.size() == n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("h" + i + " has " + got.size() + " remote entries, want " + n + ": " + got);
    }

    private static void assertAllPairsPing(List<NetNs> containers, List<String> ips) throws Exception {
        List<String> failures = new ArrayList<>();
        for (int a = 0; a < containers.size(); a++) {
            for (int b = 0; b < containers.size(); b++) {
                if (a != b && !Traffic.ping(containers.get(a), ips.get(b))) {
                    failures.add("c" + (a + 1) + " -> " + ips.get(b));
                }
            }
        }
        assertThat(failures).as("unreachable pairs").isEmpty();
    }
}
