package dev.overlaynet.it;

import static dev.overlaynet.it.HostFixture.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Address;
import dev.overlaynet.AddressFlag;
import dev.overlaynet.Ip;
import dev.overlaynet.Scope;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Addresses both ways between the library and {@code ip addr}. */
@ExtendWith(NetnsExtension.class)
class AddressesInteropTest {

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> addrInfo(HostFixture h, String dev) throws Exception {
        return (List<Map<String, Object>>) h.ipJson("addr", "show", "dev", dev).get(0).get("addr_info");
    }

    @Test
    void libraryAddsEveryAttributeAndIpReadsItBack(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "a");
        h.nl.addresses().add("br0", "10.233.0.1/16");
        h.nl.addresses().add(Address.builder().link("br0").prefix("10.2.0.1/24").broadcast("10.2.0.255")
                .label("br0:gw").scope(Scope.LINK).validLifetime(3600).preferredLifetime(1800).build());
        h.nl.addresses().add(Address.builder().link("br0").prefix("10.1.0.1/32").peer("10.1.0.2").build());
        h.nl.addresses().add(Address.builder().link("br0").prefix("fd00::1/64")
                .flags(AddressFlag.NODAD, AddressFlag.NOPREFIXROUTE).build());

        List<Map<String, Object>> info = addrInfo(h, "br0");
        Map<String, Object> gw = find(info, "local", "10.233.0.1");
        assertThat(gw).containsEntry("prefixlen", 16L).containsEntry("scope", "global").containsEntry("label", "br0");
        Map<String, Object> brd = find(info, "local", "10.2.0.1");
        assertThat(brd).containsEntry("prefixlen", 24L).containsEntry("broadcast", "10.2.0.255")
                .containsEntry("scope", "link").containsEntry("label", "br0:gw");
        assertThat((Long) brd.get("valid_life_time")).isBetween(1L, 3600L);
        assertThat((Long) brd.get("preferred_life_time")).isBetween(1L, 1800L);
        Map<String, Object> peer = find(info, "local", "10.1.0.1");
        assertThat(peer).containsEntry("address", "10.1.0.2").containsEntry("prefixlen", 32L);
        Map<String, Object> v6 = find(info, "local", "fd00::1");
        assertThat(v6).containsEntry("prefixlen", 64L).containsEntry("nodad", true).containsEntry("noprefixroute", true);
        // noprefixroute really suppressed the prefix route
        assertThat(h.ipJson("-6", "route", "show", "fd00::/64")).isEmpty();
    }

    @Test
    void libraryDecodesWhatIpCreates(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "a");
        h.ip("addr", "add", "10.5.0.1/24", "brd", "+", "dev", "br0", "label", "br0:lb", "scope", "site");
        h.ip("addr", "add", "10.6.0.1", "peer", "10.6.0.2/32", "dev", "br0");
        h.ip("addr", "add", "fd06::1/64", "dev", "br0", "nodad", "noprefixroute", "valid_lft", "1000", "preferred_lft", "500");

        List<Address> list = h.nl.addresses().list("br0");
        Address lb = only(list, "10.5.0.1");
        assertThat(lb.link()).isEqualTo("br0");
        assertThat(lb.index()).isEqualTo(Integer.parseInt(h.ipJson("link", "show", "br0").get(0).get("ifindex").toString()));
        assertThat(lb.prefix().length()).isEqualTo(24);
        assertThat(lb.broadcast()).isEqualTo(Ip.parse("10.5.0.255"));
        assertThat(lb.label()).isEqualTo("br0:lb");
        assertThat(lb.scope()).isEqualTo(Scope.SITE);
        assertThat(lb.validLifetime()).isNull();
        Address p = only(list, "10.6.0.1");
        assertThat(p.peer()).isEqualTo(Ip.parse("10.6.0.2"));
        assertThat(p.prefix().length()).isEqualTo(32);
        Address v6 = only(list, "fd06::1");
        assertThat(v6.flags()).contains(AddressFlag.NODAD, AddressFlag.NOPREFIXROUTE);
        assertThat(v6.validLifetime()).isBetween(1L, 1000L);
        assertThat(v6.preferredLifetime()).isBetween(0L, 500L);
        // the namespace-wide list resolves names too, and has the same entries for br0
        assertThat(h.nl.addresses().list().stream().filter(a -> "br0".equals(a.link())).count()).isEqualTo(list.size());
        // streaming sees the same
        int[] n = {0};
        h.nl.addresses().forEach("br0", a -> n[0]++);
        assertThat(n[0]).isEqualTo(list.size());
    }

    @Test
    void duplicateAddressReportsKernelText(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "a");
        h.nl.addresses().add("br0", "10.233.0.1/16");
        assertThatThrownBy(() -> h.nl.addresses().add("br0", "10.233.0.1/16"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> {
                    assertThat(e.isAlreadyExists()).isTrue();
                    assertThat(e.errnoName()).isEqualTo("EEXIST");
                    // The kernel's text is without the final '.', which iproute2 appends when printing
                    // "Error: ipv4: Address already assigned."
                    assertThat(e.extAckMessage()).isEqualTo("ipv4: Address already assigned");
                    assertThat(e.getMessage()).contains("RTM_NEWADDR 10.233.0.1/16").contains("EEXIST").contains("ipv4: Address already assigned");
                });
    }

    @Test
    void replaceIsIdempotentAndDeleteRemoves(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "a");
        Address a = Address.builder().link("br0").prefix("10.233.0.1/16").validLifetime(900).preferredLifetime(900).build();
        h.nl.addresses().replace(a);
        h.nl.addresses().replace(a.toBuilder().validLifetime(Address.FOREVER).preferredLifetime(Address.FOREVER).build());
        Map<String, Object> info = find(addrInfo(h, "br0"), "local", "10.233.0.1");
        assertThat(info).containsEntry("valid_life_time", 4294967295L);
        assertThat(addrInfo(h, "br0").stream().filter(m -> "inet".equals(m.get("family"))).count()).isEqualTo(1);

        h.nl.addresses().delete("br0", "10.233.0.1/16");
        assertThat(addrInfo(h, "br0").stream().filter(m -> "inet".equals(m.get("family")))).isEmpty();
        assertThatThrownBy(() -> h.nl.addresses().delete("br0", "10.233.0.1/16"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
    }

    @Test
    void unknownLinkIsEnodevBeforeAnyChange(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "a");
        assertThatThrownBy(() -> h.nl.addresses().add("nosuch0", "10.0.0.1/8"))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("ENODEV"));
    }

    private static Address only(List<Address> list, String local) {
        List<Address> m = list.stream().filter(a -> dev.overlaynet.Ip.text(a.local()).equals(local)).toList();
        assertThat(m).as("addresses with local " + local + " in " + list).hasSize(1);
        return m.get(0);
    }
}
