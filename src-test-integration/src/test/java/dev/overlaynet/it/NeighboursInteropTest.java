package dev.overlaynet.it;

import static dev.overlaynet.it.HostFixture.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Neighbour entries both ways between the library and {@code ip neigh}. */
@ExtendWith(NetnsExtension.class)
class NeighboursInteropTest {

    @Test
    void libraryAddsEveryAttributeAndIpReadsItBack(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "n");
        h.nl.neighbours().add(Neighbour.permanent("br0", "10.233.0.3", MacAddress.parse("02:42:0a:e9:00:03")));
        h.nl.neighbours().add(Neighbour.builder().dev("br0").ip("fd00::9").lladdr("02:00:00:00:00:09")
                .state(NeighbourState.STALE).flags(NeighbourFlag.ROUTER).build());
        h.nl.neighbours().add(Neighbour.builder().dev("br0").ip("10.233.0.4").lladdr("02:42:0a:e9:00:04")
                .state(NeighbourState.NOARP).build());
        h.nl.neighbours().add(Neighbour.proxy("br0", "10.233.0.50"));

        List<Map<String, Object>> shown = h.ipJson("neigh", "show", "dev", "br0", "nud", "all");
        assertThat(find(shown, "dst", "10.233.0.3")).containsEntry("lladdr", "02:42:0a:e9:00:03")
                .containsEntry("state", List.of("PERMANENT"));
        Map<String, Object> v6 = find(shown, "dst", "fd00::9");
        assertThat(v6).containsEntry("lladdr", "02:00:00:00:00:09").containsEntry("state", List.of("STALE"))
                .containsKey("router");
        assertThat(find(shown, "dst", "10.233.0.4")).containsEntry("state", List.of("NOARP"));
        assertThat(find(h.ipJson("neigh", "show", "proxy"), "dst", "10.233.0.50")).containsEntry("dev", "br0");
    }

    @Test
    void libraryDecodesWhatIpCreates(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "n");
        h.ip("neigh", "add", "10.233.0.7", "lladdr", "02:42:0a:e9:00:07", "dev", "br0", "nud", "permanent");
        h.ip("neigh", "add", "10.233.0.8", "lladdr", "02:42:0a:e9:00:08", "dev", "br0", "nud", "stale");
        h.ip("neigh", "add", "fd00::8", "lladdr", "02:42:0a:e9:00:18", "dev", "br0", "nud", "noarp", "router");
        h.ip("neigh", "add", "proxy", "10.233.0.60", "dev", "br0");
        int br0 = Integer.parseInt(h.ipJson("link", "show", "br0").get(0).get("ifindex").toString());

        List<Neighbour> list = h.nl.neighbours().list("br0");
        Neighbour p = only(list, "10.233.0.7");
        assertThat(p.dev()).isEqualTo("br0");
        assertThat(p.index()).isEqualTo(br0);
        assertThat(p.lladdr()).isEqualTo(MacAddress.parse("02:42:0a:e9:00:07"));
        assertThat(p.state()).containsExactly(NeighbourState.PERMANENT);
        assertThat(only(list, "10.233.0.8").state()).containsExactly(NeighbourState.STALE);
        Neighbour r = only(list, "fd00::8");
        assertThat(r.state()).containsExactly(NeighbourState.NOARP);
        assertThat(r.flags()).containsExactly(NeighbourFlag.ROUTER);
        assertThat(list).noneMatch(n -> n.ip().equals(Ip.parse("10.233.0.60")));

        Neighbour proxy = h.nl.neighbours().listProxies().stream().filter(n -> n.ip().equals(Ip.parse("10.233.0.60")))
                .findFirst().orElseThrow();
        assertThat(proxy.flags()).contains(NeighbourFlag.PROXY);
        assertThat(proxy.dev()).isEqualTo("br0");

        Optional<Neighbour> got = h.nl.neighbours().get("br0", "10.233.0.7");
        assertThat(got).isPresent();
        assertThat(got.get().lladdr()).isEqualTo(p.lladdr());
        assertThat(got.get().state()).isEqualTo(p.state());
        assertThat(h.nl.neighbours().get("br0", "10.233.0.99")).isEmpty();

        // the namespace-wide list and the streaming dump see the same br0 entries; only the
        // test's own are compared, since the kernel may add its own (IPv6) entries meanwhile
        java.util.Set<java.net.InetAddress> ours = java.util.Set.of(Ip.parse("10.233.0.7"), Ip.parse("10.233.0.8"),
                Ip.parse("fd00::8"));
        java.util.function.Predicate<Neighbour> mine = n -> "br0".equals(n.dev()) && ours.contains(n.ip());
        assertThat(list.stream().filter(mine).count()).isEqualTo(3);
        assertThat(h.nl.neighbours().list().stream().filter(mine).count()).isEqualTo(3);
        int[] count = {0};
        h.nl.neighbours().forEach("br0", n -> {
            if (mine.test(n)) {
                count[0]++;
            }
        });
        assertThat(count[0]).isEqualTo(3);
    }

    @Test
    void duplicateAddIsEexistAndReplaceDeleteWork(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "n");
        Neighbour n = Neighbour.permanent("br0", "10.233.0.3", "02:42:0a:e9:00:03");
        h.nl.neighbours().add(n);
        assertThatThrownBy(() -> h.nl.neighbours().add(n))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.isAlreadyExists()).isTrue();
                    assertThat(e.errnoName()).isEqualTo("EEXIST");
                    assertThat(e.getMessage()).contains("RTM_NEWNEIGH 10.233.0.3");
                });
        h.nl.neighbours().replace(n.toBuilder().lladdr("02:42:0a:e9:00:33").build());
        h.nl.neighbours().replace(n.toBuilder().lladdr("02:42:0a:e9:00:33").build());
        assertThat(find(h.ipJson("neigh", "show", "dev", "br0"), "dst", "10.233.0.3"))
                .containsEntry("lladdr", "02:42:0a:e9:00:33");
        h.nl.neighbours().delete("br0", "10.233.0.3");
        assertThat(h.ipJson("neigh", "show", "dev", "br0", "to", "10.233.0.3")).isEmpty();
        assertThatThrownBy(() -> h.nl.neighbours().delete("br0", "10.233.0.3"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        // proxy entries are deleted with their flag
        h.nl.neighbours().add(Neighbour.proxy("br0", "10.233.0.50"));
        h.nl.neighbours().delete(Neighbour.proxy("br0", "10.233.0.50"));
        assertThat(h.ipJson("neigh", "show", "proxy")).isEmpty();
    }

    private static Neighbour only(List<Neighbour> list, String ip) {
        List<Neighbour> m = list.stream().filter(n -> dev.overlaynet.Ip.text(n.ip()).equals(ip)).toList();
        assertThat(m).as("entries for " + ip + " in " + list).hasSize(1);
        return m.get(0);
    }
}
