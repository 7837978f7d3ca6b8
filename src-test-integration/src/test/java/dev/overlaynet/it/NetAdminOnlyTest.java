package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A process with CAP_NET_ADMIN but neither CAP_SYS_ADMIN nor CAP_BPF (a
 * container given NET_ADMIN, say) uses the link cache and subscriptions in its
 * own namespace: nothing there needs setns, so none is attempted. The cache
 * then proves freshness with the syscall (no BPF), and its answers match
 * {@code ip}. Entering another namespace is refused with the kernel's EPERM,
 * named. The child runs in a namespace this test made, under {@code capsh}.
 */
@ExtendWith(NetnsExtension.class)
class NetAdminOnlyTest {

    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    @Test
    void theOwnNamespaceWorksWithoutSysAdminAndOthersAreRefusedClearly(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("na");
        NetNs other = nss.create("nb");
        String name = nss.nameOf(ns);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name,
                "capsh", "--drop=cap_sys_admin,cap_bpf", "--", "-c", "exec \"$0\" \"$@\"",
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", classPath(), NetAdminOnlyMain.class.getName(), nss.nameOf(other)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
        } finally {
            p.destroyForcibly();
        }
        System.out.println(out);
        assertThat(p.exitValue()).as("child exit; output:%n%s", out).isZero();
        List<String> lines = out.lines().toList();
        assertThat(lines).contains("COUNTS false", "EVENT ADDED cb0", "DONE");
        String index = Oracle.run("ip", "-n", name, "-o", "link", "show", "cb0").split(":")[0].trim();
        List<String> indexes = lines.stream().filter(l -> l.startsWith("INDEX cb0 ")).toList();
        assertThat(indexes).hasSize(2);
        assertThat(indexes.get(1)).isEqualTo("INDEX cb0 " + index);
        assertThat(indexes.get(0)).isNotEqualTo(indexes.get(1)); // delete and recreate: a new index
        assertThat(lines).anyMatch(l -> l.startsWith("OTHER EPERM ") && l.contains("setns"));
    }
}
