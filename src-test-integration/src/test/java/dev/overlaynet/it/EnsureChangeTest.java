package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Address;
import dev.overlaynet.AddressFlag;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Fdb;
import dev.overlaynet.FdbState;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Neigh;
import dev.overlaynet.NeighState;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ensure of addresses, routes, neighbours and FDB entries: CREATED, then a
 * changed value is CHANGED in one request and the kernel (read back with the
 * tools) holds it, then the same value again is UNCHANGED.
 */
@ExtendWith(NetnsExtension.class)
class EnsureChangeTest {

    private static void converges(Netlink nl, String what, EnsureResult first, EnsureResult second,
            EnsureResult third) throws Exception {
        assertThat(first).as(what + " first").isEqualTo(EnsureResult.CREATED);
        assertThat(second).as(what + " changed").isEqualTo(EnsureResult.CHANGED);
        assertThat(third).as(what + " again").isEqualTo(EnsureResult.UNCHANGED);
    }

    @Test
    void changesConverge(TestNamespaces nss) throws Exception {
        String n = nss.nameOf(nss.create("chg"));
        Netlink nl = nss.netlink(nss.get("chg"));
        Oracle.run("ip", "-n", n, "link", "add", "br0", "type", "bridge");
        Oracle.run("ip", "-n", n, "link", "set", "br0", "up");
        Oracle.run("ip", "-n", n, "link", "add", "vx0", "type", "vxlan", "id", "9", "dstport", "4789");

        Address a = Address.of("br0", "10.9.0.1/24");
        Address a2 = a.toBuilder().validLifetime(1000L).preferredLifetime(500L).build();
        converges(nl, "address", nl.addresses().ensure(a), nl.addresses().ensure(a2), nl.addresses().ensure(a2));
        assertThat(Oracle.run("ip", "-n", n, "addr", "show", "dev", "br0")).contains("valid_lft 1000sec");
        // The kernel keeps an IPv4 address's flags on replace: refused, nothing sent.
        long before = MutationCount.of(nl);
        assertThatThrownBy(() -> nl.addresses().ensure(a2.toBuilder().flags(AddressFlag.NOPREFIXROUTE).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("delete the address first");
        assertThat(MutationCount.of(nl)).isEqualTo(before);
        Address a6 = Address.builder().link("br0").prefix("fd00:9::1/64").flags(AddressFlag.NODAD).build();
        Address a6b = a6.toBuilder().flags(AddressFlag.NODAD, AddressFlag.NOPREFIXROUTE).build();
        converges(nl, "address6", nl.addresses().ensure(a6), nl.addresses().ensure(a6b), nl.addresses().ensure(a6b));

        Route r = Route.builder().dst("10.10.0.0/16").via("10.9.0.2").build();
        Route r2 = r.toBuilder().via("10.9.0.3").build();
        converges(nl, "route", nl.routes().ensure(r), nl.routes().ensure(r2), nl.routes().ensure(r2));
        assertThat(Oracle.run("ip", "-n", n, "route", "show", "10.10.0.0/16")).contains("via 10.9.0.3");

        Neigh ne = Neigh.permanent("br0", "10.9.0.5", "02:00:00:00:00:05");
        Neigh ne2 = ne.toBuilder().lladdr("02:00:00:00:00:06").state(NeighState.STALE).build();
        converges(nl, "neighbour", nl.neighbours().ensure(ne), nl.neighbours().ensure(ne2), nl.neighbours().ensure(ne2));
        assertThat(Oracle.run("ip", "-n", n, "neigh", "show", "10.9.0.5", "dev", "br0")).contains("02:00:00:00:00:06");

        Fdb f = Fdb.remote("vx0", MacAddress.parse("02:00:00:00:00:07"), "172.16.0.1");
        Fdb f2 = f.toBuilder().dst("172.16.0.2").state(FdbState.STATIC).build();
        converges(nl, "fdb", nl.fdb().ensure(f), nl.fdb().ensure(f2), nl.fdb().ensure(f2));
        assertThat(Oracle.run("bridge", "-n", n, "fdb", "show", "dev", "vx0")).contains("dst 172.16.0.2").doesNotContain("172.16.0.1");
        // A second remote of the zero MAC (head-end replication) is appended, not replaced.
        assertThat(nl.fdb().ensure(Fdb.flood("vx0", "172.16.0.8"))).isEqualTo(EnsureResult.CREATED);
        assertThat(nl.fdb().ensure(Fdb.flood("vx0", "172.16.0.9"))).isEqualTo(EnsureResult.CREATED);
        assertThat(nl.fdb().ensure(Fdb.flood("vx0", "172.16.0.8"))).isEqualTo(EnsureResult.UNCHANGED);
        // Another port to the same host is another remote in the list; the state is the list's, changed by append.
        Fdb port = Fdb.flood("vx0", "172.16.0.8").toBuilder().port(4790).build();
        assertThat(nl.fdb().ensure(port)).isEqualTo(EnsureResult.CREATED);
        assertThat(nl.fdb().ensure(port)).isEqualTo(EnsureResult.UNCHANGED);
        Fdb stat = Fdb.flood("vx0", "172.16.0.9").toBuilder().state(FdbState.STATIC).build();
        converges(nl, "fdb flood state", EnsureResult.CREATED, nl.fdb().ensure(stat), nl.fdb().ensure(stat));
        assertThat(Oracle.run("bridge", "-n", n, "fdb", "show", "dev", "vx0")).contains("172.16.0.8").contains("172.16.0.9")
                .contains("port 4790");
        assertThat(Oracle.run("bridge", "-n", n, "fdb", "show", "dev", "vx0")).contains("172.16.0.8").contains("172.16.0.9");
    }
}
