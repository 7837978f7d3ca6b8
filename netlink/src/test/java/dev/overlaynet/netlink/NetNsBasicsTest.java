package dev.overlaynet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Root-free parts of NetNs: validation, sysctl paths, inode of an fd opened by path. */
class NetNsBasicsTest {
    @Test
    void currentNamespaceInodeMatchesProc() throws Exception {
        try (NetNs ns = NetNs.current()) {
            // Regression: inode() read the fd's link, which for a bind mount is its path, not "net:[N]".
            assertThat(ns.inode()).isEqualTo(NetNs.inodeOf(Path.of("/proc/thread-self/ns/net")));
        }
        try (NetNs byPath = NetNs.openPath("/proc/self/ns/net")) {
            assertThat(byPath.inode()).isEqualTo(NetNs.inodeOf(Path.of("/proc/self/ns/net")));
        }
    }

    @Test
    void namesAreSinglePathComponents() {
        for (String bad : new String[] {"", ".", "..", "a/b", "a\0b"}) {
            assertThatThrownBy(() -> NetNs.validateName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> NetNs.validateName(null)).isInstanceOf(IllegalArgumentException.class);
        NetNs.validateName("ns1");
    }

    @Test
    void sysctlKeysMapToProcSysNet() {
        assertThat(NetNs.sysctlPath("net.ipv4.ip_forward")).isEqualTo(Path.of("/proc/sys/net/ipv4/ip_forward"));
        assertThat(NetNs.sysctlPath("net/ipv4/conf/eth0.100/rp_filter"))
                .isEqualTo(Path.of("/proc/sys/net/ipv4/conf/eth0.100/rp_filter"));
        for (String bad : new String[] {"kernel.hostname", "net/../kernel/x", "net.ipv4 x", ""}) {
            assertThatThrownBy(() -> NetNs.sysctlPath(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
