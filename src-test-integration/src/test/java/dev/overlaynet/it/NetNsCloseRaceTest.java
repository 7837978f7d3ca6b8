package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code NetNs.call} racing {@code NetNs.close()}: while a call is on its way
 * to setns, another thread closes the NetNs and opens other namespaces, which
 * take the freed descriptor number. The task must then either run in the
 * namespace it was meant for or fail as "closed", never run elsewhere.
 */
@ExtendWith(NetnsExtension.class)
class NetNsCloseRaceTest {
    private static final int ITERATIONS = 2000;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void callRacingCloseNeverRunsInAForeignNamespace(TestNamespaces nss) throws Exception {
        NetNs target = nss.create("target");
        String targetName = target.name();
        long expected = target.inode();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(nss.create("other" + i).name());
        }
        int ran = 0;
        int refused = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < ITERATIONS; i++) {
            NetNs ns = NetNs.open(targetName);
            CyclicBarrier go = new CyclicBarrier(2);
            List<NetNs> opened = new ArrayList<>();
            Thread closer = new Thread(() -> {
                try {
                    go.await();
                    ns.close();
                    for (String o : others) {
                        opened.add(NetNs.open(o)); // likely to get the number ns just freed
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            closer.start();
            go.await();
            try {
                long seen = ns.call(() -> NetNs.inodeOf(Path.of("/proc/thread-self/ns/net")));
                if (seen == expected) {
                    ran++;
                } else {
                    wrong.add("iteration " + i + ": ran in netns inode " + seen + ", expected " + expected);
                }
            } catch (NetlinkException e) {
                if (e.getMessage().contains("closed")) {
                    refused++;
                } else {
                    wrong.add("iteration " + i + ": " + e);
                }
            } finally {
                closer.join();
                for (NetNs o : opened) {
                    o.close();
                }
            }
        }
        System.out.printf("call vs close: %d ran in the target, %d refused as closed, %d wrong%n",
                ran, refused, wrong.size());
        assertThat(wrong).as("calls that ran elsewhere or failed otherwise").isEmpty();
        assertThat(ran + refused).isEqualTo(ITERATIONS);
    }

    @Test
    void everyUseAfterCloseIsAnError(TestNamespaces nss) throws Exception {
        NetNs ns = NetNs.open(nss.create("closed").name());
        ns.close();
        ns.close(); // idempotent
        for (ThrowingCall c : new ThrowingCall[] {
            () -> ns.call(() -> 1), () -> { ns.run(() -> { }); return null; }, ns::inode, ns::fd,
            () -> ns.sysctl("net.ipv4.ip_forward"), () -> { ns.sysctl("net.ipv4.ip_forward", "0"); return null; },
            () -> ns.start(new ProcessBuilder("true"))}) {
            try {
                c.call();
                throw new AssertionError("use after close did not fail");
            } catch (NetlinkException e) {
                assertThat(e.getMessage()).contains("closed");
            }
        }
    }

    private interface ThrowingCall {
        Object call() throws Exception;
    }
}
