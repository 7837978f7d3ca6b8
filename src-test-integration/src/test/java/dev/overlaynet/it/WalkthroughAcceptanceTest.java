package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Bridge;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Acceptance: the walkthrough's steps 1-5 (multicast) and 7 (unicast with
 * hand-kept FDB and ARP) on three simulated hosts, configured through the
 * low-level typed API only, step by step as the walkthrough does them (no
 * {@code overlay} package). Container-to-container pings across hosts and
 * host-to-container pings must pass. iproute2 and ping serve as oracles only.
 */
@ExtendWith(NetnsExtension.class)
class WalkthroughAcceptanceTest {
    static final int HOSTS = 3;

    @Test
    void multicastWalkthrough(TestNamespaces nss) throws Exception {
        run(nss, false);
    }

    @Test
    void unicastWalkthrough(TestNamespaces nss) throws Exception {
        run(nss, true);
    }

    private static String containerIp(int i) {
        return "10.233.0." + (i + 1);
    }

    private void run(TestNamespaces nss, boolean unicast) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, HOSTS);
        List<NetNs> containers = new ArrayList<>();
        for (int i = 1; i <= HOSTS; i++) {
            Netlink h = sim.handle(i);
            // 1. vxlan0: multicast group on eth1, or unicast with learning off (step 7).
            Vxlan.Builder vx = Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).device("eth1");
            h.links().add(unicast ? vx.local(OverlaySim.underlayIp(i)).learning(false).build()
                    : vx.group("239.1.1.1").build());
            // 2. br0 with vxlan0 in it, both up.
            h.links().add(Bridge.builder().name("br0").build());
            h.links().setMaster("vxlan0", "br0");
            h.links().up("vxlan0", "br0");
            // 3. a container: veth0 on br0, its peer created as eth-tmp, moved and renamed eth0.
            NetNs c = sim.container("c" + i);
            containers.add(c);
            h.links().add(Veth.builder().name("veth0").peer("eth-tmp").build());
            h.links().moveToNamespace("eth-tmp", c);
            h.links().setMaster("veth0", "br0");
            h.links().up("veth0");
            try (Netlink in = Netlink.open(c)) {
                in.links().rename("eth-tmp", "eth0");
                in.links().up("lo", "eth0");
                // 4. container address and default route; gateway on br0.
                in.addresses().add("eth0", containerIp(i) + "/16");
                in.routes().add(Route.builder().dst("default").via("10.233.0.1").dev("eth0").build());
            }
            h.addresses().add("br0", "10.233.0.1/16");
            OverlaySim.awaitCarrier(sim.hostName(i), "veth0");
        }
        if (unicast) {
            // 7. head-end replication to every peer, and every remote container kept by hand.
            for (int i = 1; i <= HOSTS; i++) {
                Netlink h = sim.handle(i);
                for (int j = 1; j <= HOSTS; j++) {
                    if (i == j) {
                        continue;
                    }
                    MacAddress mac;
                    try (Netlink in = Netlink.open(containers.get(j - 1))) {
                        mac = in.links().get("eth0").address();
                    }
                    h.fdb().append(FdbEntry.flood("vxlan0", OverlaySim.underlayIp(j)));
                    h.neighbours().add(Neighbour.permanent("br0", containerIp(j), mac));
                    h.fdb().append(FdbEntry.remote("vxlan0", mac, OverlaySim.underlayIp(j)));
                }
            }
            // The oracle agrees on what step 7 installed.
            String fdb = dev.overlaynet.testkit.Oracle.run("bridge", "-n", sim.hostName(1), "fdb", "show", "dev", "vxlan0");
            assertThat(fdb).contains("00:00:00:00:00:00 dst 172.16.1.12").contains("00:00:00:00:00:00 dst 172.16.1.13");
        }
        // 5. container to container across hosts, and host to its container.
        List<String> failed = new ArrayList<>();
        for (int i = 1; i <= HOSTS; i++) {
            for (int j = 1; j <= HOSTS; j++) {
                if (i != j) {
                    boolean ok = unicast ? Traffic.ping(containers.get(i - 1), containerIp(j))
                            : Traffic.pingWithWarmup(containers.get(i - 1), containerIp(j));
                    if (!ok) {
                        failed.add("c" + i + " -> " + containerIp(j));
                    }
                }
            }
            if (!Traffic.ping(sim.host(i), containerIp(i))) {
                failed.add("h" + i + " -> " + containerIp(i));
            }
        }
        assertThat(failed).as("pings that failed").isEmpty();
    }
}
