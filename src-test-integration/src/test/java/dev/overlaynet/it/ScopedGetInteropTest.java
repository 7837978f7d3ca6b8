package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Ip;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.Netlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bridge-scoped FDB gets ({@code bridge fdb get MAC br BR | brport P}) and
 * the proxy neighbour get ({@code ip neigh get proxy}), both ways, on random
 * entries made by the tool and by the library.
 */
@ExtendWith(NetnsExtension.class)
class ScopedGetInteropTest {
    private static final long SEED = Long.getLong("overlaynet.seed", 20261129L);

    @Test
    void fdbGetInBridgeAndOnPortAgreeWithBridgeFdbGet(TestNamespaces nss) throws Exception {
        System.out.println("ScopedGetInteropTest seed " + SEED + " (-Doverlaynet.seed=N to repeat)");
        Random r = new Random(SEED);
        HostFixture h = HostFixture.create(nss, "g");
        h.ip("link", "add", "vc0", "type", "veth", "peer", "name", "vc1");
        h.ip("link", "set", "vc0", "master", "br0");
        h.ip("link", "set", "vc0", "up");
        h.ip("link", "set", "vc1", "up");
        List<String[]> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String mac = String.format("02:00:00:01:%02x:%02x", i, r.nextInt(256));
            String port = r.nextBoolean() ? "vb0" : "vc0";
            String state = r.nextBoolean() ? "static" : "dynamic";
            if (r.nextBoolean()) {
                h.bridge("fdb", "add", mac, "dev", port, "master", state);
            } else {
                h.nl.fdb().add(FdbEntry.builder().dev(port).mac(mac).flags(NeighbourFlag.MASTER)
                        .state(state.equals("static") ? FdbEntryState.STATIC : FdbEntryState.DYNAMIC).build());
            }
            made.add(new String[] {mac, port, state});
        }
        int found = 0;
        for (String[] e : made) {
            Map<String, Object> tool = h.bridgeJson("fdb", "get", e[0], "br", "br0").get(0);
            Optional<FdbEntry> lib = h.nl.fdb().getInBridge("br0", e[0], null);
            assertThat(lib).as("seed %d %s", SEED, e[0]).isPresent();
            assertThat(lib.get().dev()).isEqualTo(tool.get("ifname")).isEqualTo(e[1]);
            assertThat(lib.get().state().name().toLowerCase()).isEqualTo(e[2]);
            // bridge -j prints a dynamic entry with state "" (no state word)
            assertThat(String.valueOf(tool.get("state")).isEmpty() ? "dynamic" : tool.get("state")).isEqualTo(e[2]);
            assertThat(lib.get().mac().toString()).isEqualTo(e[0]);

            Optional<FdbEntry> onPort = h.nl.fdb().getOnPort(e[1], e[0], null);
            Map<String, Object> toolPort = h.bridgeJson("fdb", "get", e[0], "brport", e[1]).get(0);
            assertThat(onPort.get().dev()).isEqualTo(toolPort.get("ifname"));
            found++;
        }
        assertThat(found).isEqualTo(20);
        // absent: the tool fails, the library says empty
        assertThat(Oracle.exec("bridge", "-n", h.name, "fdb", "get", "02:00:00:02:00:00", "br", "br0").ok()).isFalse();
        assertThat(h.nl.fdb().getInBridge("br0", "02:00:00:02:00:00", null)).isEmpty();
        assertThat(h.nl.fdb().getOnPort("vb0", "02:00:00:02:00:00", null)).isEmpty();
        // vlan filtering is off on this kernel's bridges: a vlan-scoped get finds nothing
        assertThat(h.nl.fdb().getInBridge("br0", made.get(0)[0], 1)).isEmpty();
        assertThatThrownBy(() -> h.nl.fdb().getInBridge("br0", "02:00:00:02:00:00", 4095))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vlan");
        assertThatThrownBy(() -> h.nl.fdb().getOnPort("vb0", "zz", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mac");
    }

    @Test
    void proxyGetAgreesWithIpNeighShowProxy(TestNamespaces nss) throws Exception {
        Random r = new Random(SEED + 2);
        HostFixture h = HostFixture.create(nss, "p");
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            String ip = r.nextBoolean() ? "10.9." + r.nextInt(256) + "." + (1 + r.nextInt(254))
                    : "fd00::" + Integer.toHexString(1 + r.nextInt(0xffff));
            if (!made.add(ip)) {
                continue;
            }
            if (r.nextBoolean()) {
                h.ip("neigh", "add", "proxy", ip, "dev", "br0");
            } else {
                h.nl.neighbours().add(Neighbour.proxy("br0", ip));
            }
        }
        Set<String> tool = new HashSet<>();
        for (Map<String, Object> m : h.ipJson("neigh", "show", "proxy")) {
            tool.add(String.valueOf(m.get("dst")));
        }
        assertThat(tool).isEqualTo(made);
        for (String ip : made) {
            Optional<Neighbour> p = h.nl.neighbours().getProxy("br0", ip);
            assertThat(p).as("seed %d %s", SEED + 2, ip).isPresent();
            assertThat(Ip.text(p.get().ip())).isEqualTo(ip);
            assertThat(p.get().flags()).contains(NeighbourFlag.PROXY);
            assertThat(Oracle.run("ip", "-n", h.name, "neigh", "get", "proxy", ip, "dev", "br0")).contains(ip);
            // the ordinary get does not see a proxy entry
            assertThat(h.nl.neighbours().get("br0", ip)).isEmpty();
        }
        assertThat(h.nl.neighbours().getProxy("br0", "10.255.255.254")).isEmpty();
        assertThat(Oracle.exec("ip", "-n", h.name, "neigh", "get", "proxy", "10.255.255.254", "dev", "br0").ok()).isFalse();
    }
}
