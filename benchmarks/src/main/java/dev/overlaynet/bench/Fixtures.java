package dev.overlaynet.bench;

import dev.overlaynet.Bridge;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Vxlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The peer harness's workloads (../shared/bench-peers/README.md), built with
 * overlaynet: same device names, addresses and MACs, so the numbers compare.
 */
final class Fixtures {
    private Fixtures() {}

    /** W1 setup: bridge br0 with 10.233.255.254/16, up. */
    static void w1Bridge(Netlink nl) throws Exception {
        nl.links().deleteIfExists("br0");
        nl.links().add(Bridge.builder().name("br0").build());
        nl.addresses().add("br0", "10.233.255.254/16");
        nl.links().up("br0");
    }

    /** W1 entries: 10.233.0.1... with 02:00:00:xx:xx:xx, permanent, on br0. */
    static List<Neighbour> w1Neighbours(int n) {
        List<Neighbour> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String ip = "10.233." + (i >>> 8) + "." + (i & 0xff);
            MacAddress mac = MacAddress.of(new byte[] {2, 0, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            out.add(Neighbour.permanent("br0", ip, mac));
        }
        return out;
    }

    /** W2 setup: bridge ul0 172.16.1.11/24 up; vx0 vxlan id 42 dstport 4789 nolearning local 172.16.1.11 dev ul0, up. */
    static void w2Underlay(Netlink nl) throws Exception {
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.addresses().add("ul0", "172.16.1.11/24");
        nl.links().up("ul0");
    }

    static void w2Vxlan(Netlink nl) throws Exception {
        nl.links().deleteIfExists("vx0");
        nl.links().add(Vxlan.builder().name("vx0").vni(42).dstPort(4789).learning(false).local("172.16.1.11")
                .device("ul0").build());
        nl.links().up("vx0");
    }

    /** W2 entries: 02:fd:00:xx:xx:xx dst 172.16.1.(20 + i % 200), self, permanent (append). */
    static List<FdbEntry> w2Entries(int n) {
        List<FdbEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MacAddress mac = MacAddress.of(new byte[] {2, (byte) 0xfd, 0, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            out.add(FdbEntry.remote("vx0", mac, "172.16.1." + (20 + i % 200)));
        }
        return out;
    }
}
