package dev.overlaynet.it;

import static dev.overlaynet.it.HostFixture.all;
import static dev.overlaynet.it.HostFixture.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** FDB entries both ways between the library and {@code bridge fdb}. */
@ExtendWith(NetnsExtension.class)
class FdbInteropTest {

    @Test
    void libraryAddsEveryAttributeAndBridgeReadsItBack(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "f");
        h.nl.fdb().append(FdbEntry.flood("vx0", "172.16.1.12"));
        h.nl.fdb().append(FdbEntry.flood("vx0", "172.16.1.13"));
        h.nl.fdb().append(FdbEntry.flood("vx0", "172.16.1.13")); // identical append succeeds, adds nothing
        h.nl.fdb().add(FdbEntry.remote("vx0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.14"));
        h.nl.fdb().add(FdbEntry.builder().dev("vx0").mac("02:42:0a:e9:00:04").dst("172.16.1.15").vni(100).port(4790).build());
        h.nl.fdb().add(FdbEntry.builder().dev("vb0").mac("02:00:00:00:00:aa").flags(NeighbourFlag.MASTER)
                .state(FdbEntryState.STATIC).build());
        h.nl.fdb().add(FdbEntry.builder().dev("vb0").mac("02:00:00:00:00:bb").flags(NeighbourFlag.MASTER).build());

        List<Map<String, Object>> vx = h.bridgeJson("fdb", "show", "dev", "vx0");
        List<Map<String, Object>> flood = all(vx, "mac", "00:00:00:00:00:00");
        assertThat(flood).extracting(m -> m.get("dst")).containsExactlyInAnyOrder("172.16.1.12", "172.16.1.13");
        assertThat(flood).allSatisfy(m -> assertThat(m).containsEntry("flags", List.of("self")).containsEntry("state", "permanent"));
        assertThat(find(vx, "mac", "02:42:0a:e9:00:03")).containsEntry("dst", "172.16.1.14");
        assertThat(find(vx, "mac", "02:42:0a:e9:00:04")).containsEntry("dst", "172.16.1.15")
                .containsEntry("vni", 100L).containsEntry("port", 4790L);
        List<Map<String, Object>> port = h.bridgeJson("fdb", "show", "dev", "vb0");
        assertThat(find(port, "mac", "02:00:00:00:00:aa")).containsEntry("master", "br0").containsEntry("state", "static");
        assertThat(find(port, "mac", "02:00:00:00:00:bb")).containsEntry("master", "br0").containsEntry("state", "permanent");
    }

    @Test
    void libraryDecodesWhatBridgeCreates(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "f");
        h.bridge("fdb", "append", "00:00:00:00:00:00", "dev", "vx0", "dst", "172.16.1.20", "vni", "77", "port", "4790");
        h.bridge("fdb", "add", "02:42:0a:e9:00:21", "dev", "vx0", "dst", "172.16.1.21");
        h.bridge("fdb", "add", "02:00:00:00:00:cc", "dev", "vb0", "master", "static");
        int vx0 = Integer.parseInt(h.ipJson("link", "show", "vx0").get(0).get("ifindex").toString());
        int br0 = Integer.parseInt(h.ipJson("link", "show", "br0").get(0).get("ifindex").toString());

        List<FdbEntry> vx = h.nl.fdb().list("vx0");
        assertThat(vx).hasSize(2);
        FdbEntry flood = vx.stream().filter(f -> f.mac().isZero()).findFirst().orElseThrow();
        assertThat(flood.dev()).isEqualTo("vx0");
        assertThat(flood.index()).isEqualTo(vx0);
        assertThat(flood.dst()).isEqualTo(Ip.parse("172.16.1.20"));
        assertThat(flood.vni()).isEqualTo(77);
        assertThat(flood.port()).isEqualTo(4790);
        assertThat(flood.flags()).containsExactly(NeighbourFlag.SELF);
        assertThat(flood.state()).isEqualTo(FdbEntryState.PERMANENT);
        FdbEntry uni = vx.stream().filter(f -> !f.mac().isZero()).findFirst().orElseThrow();
        assertThat(uni.mac()).isEqualTo(MacAddress.parse("02:42:0a:e9:00:21"));
        assertThat(uni.vni()).isNull();

        FdbEntry st = h.nl.fdb().list("vb0").stream().filter(f -> f.mac().equals(MacAddress.parse("02:00:00:00:00:cc")))
                .findFirst().orElseThrow();
        assertThat(st.dev()).isEqualTo("vb0");
        assertThat(st.master()).isEqualTo(br0);
        assertThat(st.flags()).containsExactly(NeighbourFlag.MASTER);
        assertThat(st.state()).isEqualTo(FdbEntryState.STATIC);
        assertThat(h.nl.fdb().listBridge("br0")).anyMatch(f -> f.mac().equals(st.mac()) && "vb0".equals(f.dev()));
        assertThat(h.nl.fdb().list()).filteredOn(f -> "vx0".equals(f.dev())).hasSize(2);

        // what was decoded can be deleted as it is
        h.nl.fdb().delete(st);
        h.nl.fdb().delete(flood);
        assertThat(all(h.bridgeJson("fdb", "show", "dev", "vb0"), "mac", "02:00:00:00:00:cc")).isEmpty();
        assertThat(all(h.bridgeJson("fdb", "show", "dev", "vx0"), "mac", "00:00:00:00:00:00")).isEmpty();
    }

    @Test
    void replaceDeleteAndErrors(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "f");
        FdbEntry e = FdbEntry.remote("vx0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.14");
        h.nl.fdb().add(e);
        assertThatThrownBy(() -> h.nl.fdb().add(e))
                .isInstanceOfSatisfying(NetlinkException.class, x -> assertThat(x.isAlreadyExists()).isTrue());
        h.nl.fdb().replace(e.toBuilder().dst("172.16.1.99").build());
        assertThat(find(h.bridgeJson("fdb", "show", "dev", "vx0"), "mac", "02:42:0a:e9:00:03"))
                .containsEntry("dst", "172.16.1.99");
        h.nl.fdb().delete(e.toBuilder().dst("172.16.1.99").build());
        assertThat(h.bridgeJson("fdb", "show", "dev", "vx0")).isEmpty();
        assertThatThrownBy(() -> h.nl.fdb().delete(e))
                .isInstanceOfSatisfying(NetlinkException.class, x -> assertThat(x.isNotFound()).isTrue());
        int[] n = {0};
        h.nl.fdb().forEach("vx0", f -> n[0]++);
        assertThat(n[0]).isZero();
    }

    /** get() answers what {@code bridge fdb get ... self} answers, and is empty for an absent MAC. */
    @Test
    void getAgreesWithBridgeFdbGet(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "g");
        h.nl.fdb().add(FdbEntry.remote("vx0", MacAddress.parse("02:42:0a:e9:00:03"), "172.16.1.14"));
        h.nl.fdb().add(FdbEntry.builder().dev("vx0").mac("02:42:0a:e9:00:04").dst("172.16.1.15").vni(100).port(4790).build());
        for (String mac : new String[] {"02:42:0a:e9:00:03", "02:42:0a:e9:00:04"}) {
            Map<String, Object> b = h.bridgeJson("fdb", "get", mac, "dev", "vx0", "self").get(0);
            FdbEntry f = h.nl.fdb().get("vx0", mac).orElseThrow();
            assertThat(f.dev()).isEqualTo("vx0");
            assertThat(f.mac().toString()).isEqualTo(b.get("mac"));
            assertThat(f.dst().getHostAddress()).isEqualTo(b.get("dst"));
            assertThat(f.vni() == null ? null : (long) f.vni()).isEqualTo(b.get("vni"));
            assertThat(f.port() == null ? null : (long) f.port()).isEqualTo(b.get("port"));
        }
        assertThat(h.nl.fdb().get("vx0", "02:42:0a:e9:00:99")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.nl.fdb().get("vx0", "02:42:0a:e9:00"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
