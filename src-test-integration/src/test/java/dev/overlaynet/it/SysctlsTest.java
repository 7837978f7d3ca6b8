package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Netlink;
import dev.overlaynet.Sysctls;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sysctls are per namespace; {@code sysctl -n} inside the namespace is the oracle. */
@ExtendWith(NetnsExtension.class)
class SysctlsTest {
    private static String sysctl(String ns, String key) throws Exception {
        return Oracle.run("ip", "netns", "exec", ns, "sysctl", "-n", key).strip();
    }

    @Test
    void typedSysctlsWriteTheNamespacesValues(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        Oracle.run("ip", "-n", a.name(), "link", "add", "br0", "type", "bridge");
        Sysctls s = nss.netlink(a).sysctls();

        s.ipForward(true);
        s.ipv6Forwarding(true);
        s.rpFilter("all", 2);
        s.rpFilter("br0", 1);
        s.arpNotify("br0", true);
        s.proxyArp("br0", true);
        s.set("net.ipv4.conf.default.arp_ignore", "1");

        assertThat(sysctl(a.name(), "net.ipv4.ip_forward")).isEqualTo("1");
        assertThat(sysctl(a.name(), "net.ipv6.conf.all.forwarding")).isEqualTo("1");
        assertThat(sysctl(a.name(), "net.ipv4.conf.all.rp_filter")).isEqualTo("2");
        assertThat(sysctl(a.name(), "net.ipv4.conf.br0.rp_filter")).isEqualTo("1");
        assertThat(sysctl(a.name(), "net.ipv4.conf.br0.arp_notify")).isEqualTo("1");
        assertThat(sysctl(a.name(), "net.ipv4.conf.br0.proxy_arp")).isEqualTo("1");
        assertThat(sysctl(a.name(), "net.ipv4.conf.default.arp_ignore")).isEqualTo("1");
        assertThat(s.ipForward()).isTrue();
        assertThat(s.rpFilter("br0")).isEqualTo(1);
        assertThat(s.proxyArp("br0")).isTrue();
        assertThat(s.get("net.ipv4.conf.default.arp_ignore")).isEqualTo("1");

        // The other namespace is untouched.
        Netlink nb = nss.netlink(b);
        assertThat(sysctl(b.name(), "net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(nb.sysctls().ipForward()).isFalse();
        s.ipForward(false);
        assertThat(sysctl(a.name(), "net.ipv4.ip_forward")).isEqualTo("0");
    }

    /**
     * procfs files report size 0 and answer only the first read of a sysctl
     * (a read at a non-zero offset returns EOF): a reader that trusts the size
     * and reads byte by byte gets just the first character. Multi-character
     * values of several shapes, read back against {@code sysctl -n}.
     */
    @Test
    void multiCharacterValuesAreReadWhole(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("m");
        Sysctls s = nss.netlink(a).sysctls();
        s.set("net.ipv4.ip_local_port_range", "32768\t60999");
        s.set("net.core.somaxconn", "4096");
        s.set("net.ipv4.conf.default.arp_ignore", "1");
        String[] keys = {"net.core.somaxconn", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_rmem",
            "net.ipv4.ping_group_range", "net.ipv4.ip_default_ttl", "net.ipv6.conf.all.hop_limit",
            "net.ipv4.conf.default.arp_ignore", "net.ipv4.tcp_congestion_control"};
        for (String key : keys) {
            String expected = sysctl(a.name(), key).replaceAll("\\s+", " ");
            assertThat(s.get(key).replaceAll("\\s+", " ")).as(key).isEqualTo(expected);
            assertThat(a.sysctl(key).replaceAll("\\s+", " ")).as(key).isEqualTo(expected);
        }
        assertThat(s.get("net.core.somaxconn")).isEqualTo("4096");
        assertThat(s.get("net.ipv4.ip_local_port_range").split("\\s+")).containsExactly("32768", "60999");
    }

    @Test
    void badInputFailsBeforeAnyWrite(TestNamespaces nss) throws Exception {
        Sysctls s = nss.netlink(nss.create("v")).sysctls();
        assertThatThrownBy(() -> s.rpFilter("all", 3)).hasMessageContaining("rp_filter mode 3");
        assertThatThrownBy(() -> s.proxyArp("../../x", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.set("kernel.hostname", "x")).hasMessageContaining("not per network namespace");
        assertThatThrownBy(() -> s.arpNotify("nosuchdev0", true)).hasMessageContaining("nosuchdev0");
    }
}
