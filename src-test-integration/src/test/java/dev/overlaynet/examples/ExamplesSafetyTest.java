package dev.overlaynet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The example programs never destroy what they did not create, and a failed
 * run leaves nothing behind. The real-host paths run inside a test namespace
 * (never the machine's own); {@code ip}, {@code nft} and {@code sysctl} are
 * the oracles.
 */
@ExtendWith(NetnsExtension.class)
class ExamplesSafetyTest {

    /** The names BridgeContainer --simulate used to take, and delete if present, before it started. */
    private static final String[] OLD_FIXED_NAMES = {"ovex-br-sw", "ovex-br-h1", "ovex-br-c1", "ovex-br-c2"};

    @Test
    void simulateLeavesOtherNamespacesOfTheOldFixedNamesAlone() throws Exception {
        List<String> made = new ArrayList<>();
        Map<String, Long> inodes = new LinkedHashMap<>();
        try {
            for (String name : OLD_FIXED_NAMES) {
                if (NetNs.exists(name)) {
                    continue; // someone else's: not ours to touch, not even to mark
                }
                try (NetNs ns = NetNs.create(name)) {
                    made.add(name);
                    inodes.put(name, ns.inode());
                }
                Oracle.run("ip", "-n", name, "link", "add", "keep0", "type", "bridge");
            }
            List<String> before = exampleNamespaces();

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            int rc;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                rc = new BridgeContainer().execute(new String[] {"--simulate", "2"}, System.out,
                        new PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                System.setOut(stdout);
            }
            String out = printed.toString(StandardCharsets.UTF_8);
            System.out.print(out);
            assertThat(rc).as("exit code; stderr: " + err.toString(StandardCharsets.UTF_8)).isZero();

            for (String name : made) {
                assertThat(NetNs.exists(name)).as(name + " still there").isTrue();
                try (NetNs ns = NetNs.open(name)) {
                    assertThat(ns.inode()).as(name + " is the same namespace, not a new one").isEqualTo(inodes.get(name));
                }
                assertThat(Oracle.run("ip", "-n", name, "-br", "link", "show")).as(name).contains("keep0");
            }
            // Only this example's names: other programs on the machine make and delete namespaces meanwhile.
            assertThat(exampleNamespaces()).as("ovex-br-* namespaces after the run: nothing deleted, nothing left")
                    .isEqualTo(before);
            // The printed steps name the namespace as iproute2 takes it.
            assertThat(out).containsPattern("ip link add \\S+ type veth peer name eth0 netns ovex-br-[0-9a-f]{6}-c1\\n")
                    .doesNotContain("netns netns");
        } finally {
            for (String name : made) {
                NetNs.deleteIfExists(name);
            }
        }
    }

    private static List<String> exampleNamespaces() throws Exception {
        return NetNs.list().stream().filter(n -> n.startsWith("ovex-br-")).toList();
    }

    /** A host namespace standing in for the machine, with an underlay device eth1. */
    private static NetNs host(TestNamespaces nss) throws Exception {
        NetNs h = nss.create("host");
        Oracle.run("ip", "-n", h.name(), "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        Oracle.run("ip", "-n", h.name(), "addr", "add", "172.16.1.11/24", "dev", "eth1");
        Oracle.run("ip", "-n", h.name(), "link", "set", "eth1", "up");
        return h;
    }

    private static String state(String ns) throws Exception {
        return String.join("\n",
                Oracle.run("ip", "-n", ns, "-d", "link", "show"),
                Oracle.run("ip", "-n", ns, "addr", "show"),
                Oracle.run("ip", "-n", ns, "route", "show", "table", "all"),
                Oracle.run("ip", "-n", ns, "neigh", "show", "nud", "permanent"),
                Oracle.run("ip", "netns", "exec", ns, "nft", "list", "ruleset"),
                Oracle.run("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward"));
    }

    private static int runIn(NetNs h, ExampleMain m, String... argv) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = h.call(() -> m.execute(argv, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        System.out.println(m.getClass().getSimpleName() + " " + String.join(" ", argv) + " -> " + rc + ": "
                + err.toString(StandardCharsets.UTF_8).strip());
        return rc;
    }

    @Test
    void aRunFailingOnAMissingDeviceLeavesNoNamespace(TestNamespaces nss) throws Exception {
        NetNs h = host(nss);
        String container = nss.prefix() + "ctr"; // unique to this test run
        String before = state(h.name());
        try {
            int rc = runIn(h, new MulticastOverlay(), "--dev", "nosuch0", "--container-ip", "10.233.0.2/16",
                    "--netns", container);
            assertThat(rc).isEqualTo(1);
            assertThat(NetNs.exists(container)).as("the container namespace the failed run created").isFalse();
            assertThat(state(h.name())).isEqualTo(before);
        } finally {
            NetNs.deleteIfExists(container);
        }
    }

    @Test
    void aRunFailingHalfWayTakesBackWhatItMadeAndKeepsAnExistingNamespace(TestNamespaces nss) throws Exception {
        NetNs h = host(nss);
        // veth0 is taken, so the container step fails after vxlan0, br0 and the gateway were made.
        Oracle.run("ip", "-n", h.name(), "link", "add", "veth0", "type", "bridge");
        NetNs theirs = nss.create("theirs");
        Oracle.run("ip", "-n", theirs.name(), "link", "add", "keep0", "type", "bridge");
        String before = state(h.name());
        String theirsBefore = state(theirs.name());

        int rc = runIn(h, new MulticastOverlay(), "--dev", "eth1", "--container-ip", "10.233.0.2/16",
                "--netns", theirs.name());
        assertThat(rc).isEqualTo(1);
        assertThat(state(h.name())).as("host after the failed run").isEqualTo(before);
        assertThat(NetNs.exists(theirs.name())).as("a namespace the run did not create").isTrue();
        assertThat(state(theirs.name())).isEqualTo(theirsBefore);

        String container = nss.prefix() + "ctr2";
        try {
            rc = runIn(h, new UnicastOverlay(), "--dev", "eth1", "--local-ip", "172.16.1.11",
                    "--container-ip", "10.233.0.2/16", "--peers", "172.16.1.12", "--netns", container);
            assertThat(rc).isEqualTo(1);
            assertThat(NetNs.exists(container)).isFalse();
            assertThat(state(h.name())).as("host after the failed unicast run").isEqualTo(before);
        } finally {
            NetNs.deleteIfExists(container);
        }
    }

    @Test
    void aSuccessfulRealRunKeepsWhatItMade(TestNamespaces nss) throws Exception {
        NetNs h = host(nss);
        String container = nss.prefix() + "ctr";
        try {
            int rc = runIn(h, new BridgeContainer(), "--create-bridge", "--container-ip", "10.233.0.2/16",
                    "--netns", container);
            assertThat(rc).isZero();
            assertThat(NetNs.exists(container)).isTrue();
            assertThat(Oracle.run("ip", "-n", container, "-br", "addr", "show", "eth0")).contains("10.233.0.2/16");
            assertThat(Oracle.run("ip", "-n", h.name(), "-br", "link", "show", "veth0")).contains("veth0@");
        } finally {
            NetNs.deleteIfExists(container);
        }
    }
}
