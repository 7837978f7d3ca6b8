package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** NetNs.start runs processes inside; NetNs.sysctl is per namespace. */
@ExtendWith(NetnsExtension.class)
class NetNsProcessSysctlTest {
    private static List<String> linkNames(String ipOutput) {
        // "1: lo: <LOOPBACK> ..." per line
        return Arrays.stream(ipOutput.split("\n")).filter(l -> !l.isBlank())
                .map(l -> l.split(": ")[1].split("@")[0]).sorted().toList();
    }

    @Test
    void startRunsTheProcessInsideTheNamespace(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        RawAccess.socket(nss.netlink(ns)).request(Raw.bridge(new MessageWriter(), "inside0"));
        Process p = ns.start(new ProcessBuilder("ip", "-o", "link").redirectErrorStream(true));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(linkNames(out)).containsExactly("inside0", "lo");
        assertThat(linkNames(out)).isEqualTo(linkNames(Oracle.run("ip", "-n", ns.name(), "-o", "link")));
        // /proc/net/dev of the child is the namespace's.
        Process cat = ns.start(new ProcessBuilder("cat", "/proc/net/dev"));
        String dev = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor()).isZero();
        assertThat(dev).contains("inside0:").contains("lo:");
        assertThat(dev.strip().split("\n")).hasSize(2 + 2);
    }

    @Test
    void sysctlIsPerNamespace(TestNamespaces nss) throws Exception {
        Path root = Path.of("/proc/sys/net/ipv4/ip_forward");
        String rootBefore = Files.readString(root).strip();
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        assertThat(a.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
        a.sysctl("net.ipv4.ip_forward", "1");
        assertThat(a.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(Oracle.execIn(a.name(), "cat", "/proc/sys/net/ipv4/ip_forward").stdout().strip()).isEqualTo("1");
        assertThat(b.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(Oracle.execIn(b.name(), "cat", "/proc/sys/net/ipv4/ip_forward").stdout().strip()).isEqualTo("0");
        assertThat(Files.readString(root).strip()).isEqualTo(rootBefore);
        a.sysctl("net.ipv4.ip_forward", "0");
        assertThat(Oracle.execIn(a.name(), "cat", "/proc/sys/net/ipv4/ip_forward").stdout().strip()).isEqualTo("0");
        assertThat(Files.readString(root).strip()).isEqualTo(rootBefore);
        // Keys outside net.* are not per namespace and are refused before anything is touched.
        assertThatThrownBy(() -> a.sysctl("kernel.hostname", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.sysctl("net/../../kernel/hostname")).isInstanceOf(IllegalArgumentException.class);
    }
}
