package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Named namespaces interoperate with {@code ip netns} both ways. */
@ExtendWith(NetnsExtension.class)
class NetNsInteropTest {
    private static List<String> ipNetnsList() throws Exception {
        // "NAME" or "NAME (id: N)" per line.
        return Arrays.stream(Oracle.run("ip", "netns", "list").split("\n"))
                .map(l -> l.strip().split(" ")[0]).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void ourNamespaceIsSeenByIproute2(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("ours");
        assertThat(ipNetnsList()).contains(ns.name());
        assertThat(NetNs.list()).contains(ns.name());
        String links = Oracle.run("ip", "-n", ns.name(), "-o", "link");
        assertThat(links.strip().split("\n")).hasSize(1);
        assertThat(links).contains(": lo:");
        // iproute2 enters the very namespace our fd holds.
        String inode = Oracle.execIn(ns.name(), "stat", "-L", "-c", "%i", "/proc/self/ns/net").stdout().strip();
        assertThat(Long.parseLong(inode)).isEqualTo(ns.inode());
    }

    @Test
    void iproute2NamespaceIsSeenByUs(TestNamespaces nss) throws Exception {
        String name = nss.prefix() + "theirs";
        Oracle.run("ip", "netns", "add", name);
        try {
            assertThat(NetNs.list()).contains(name);
            assertThat(NetNs.exists(name)).isTrue();
            try (NetNs ns = NetNs.open(name)) {
                assertThat(ns.name()).isEqualTo(name);
                assertThat(ns.inode()).isEqualTo(NetNs.inodeOf(Path.of("/run/netns", name)));
                Oracle.run("ip", "-n", name, "link", "add", "brx", "type", "bridge");
                // /proc/thread-self/net is the calling thread's namespace (/proc/self/net is the main thread's).
                assertThat(ns.call(() -> Files.readString(Path.of("/proc/thread-self/net/dev")))).contains("brx:");
            }
            NetNs.delete(name);
            assertThat(ipNetnsList()).doesNotContain(name);
            assertThat(NetNs.exists(name)).isFalse();
        } finally {
            Oracle.exec("ip", "netns", "delete", name);
        }
    }

    @Test
    void deleteRemovesTheNameAndVethPeersElsewhere(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("a");
        NetNs hub = nss.create("hub");
        String aName = a.name();
        Oracle.run("ip", "-n", aName, "link", "add", "va", "type", "veth", "peer", "name", "vpeer", "netns", hub.name());
        assertThat(Oracle.run("ip", "-n", hub.name(), "-o", "link")).contains("vpeer");
        a.close(); // our fd would keep the namespace (and the veth) alive
        NetNs.delete(aName);
        assertThat(ipNetnsList()).doesNotContain(aName);
        assertThat(NetNs.list()).doesNotContain(aName);
        // The namespace dies asynchronously (cleanup_net workqueue): wait for the peer to go, bounded.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Oracle.run("ip", "-n", hub.name(), "-o", "link").contains("vpeer") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Oracle.run("ip", "-n", hub.name(), "-o", "link")).doesNotContain("vpeer");
    }

    @Test
    void deletingAMissingNameIsEnoent(TestNamespaces nss) throws Exception {
        String name = nss.prefix() + "never";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NetNs.delete(name))
                .isInstanceOfSatisfying(dev.overlaynet.netlink.NetlinkException.class,
                        e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NetNs.open(name))
                .isInstanceOfSatisfying(dev.overlaynet.netlink.NetlinkException.class,
                        e -> assertThat(e.errnoName()).isEqualTo("ENOENT"));
    }
}
