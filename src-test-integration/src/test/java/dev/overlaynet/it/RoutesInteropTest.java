package dev.overlaynet.it;

import static dev.overlaynet.it.HostFixture.find;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.Route;
import dev.overlaynet.RouteProtocol;
import dev.overlaynet.RouteType;
import dev.overlaynet.Routes;
import dev.overlaynet.Scope;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Routes both ways between the library and {@code ip route}. */
@ExtendWith(NetnsExtension.class)
class RoutesInteropTest {

    private static HostFixture host(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "r");
        h.ip("addr", "add", "10.233.0.1/16", "dev", "br0");
        h.ip("addr", "add", "fd00::1/64", "dev", "br0", "nodad");
        return h;
    }

    @Test
    @SuppressWarnings("unchecked")
    void libraryAddsEveryAttributeAndIpReadsItBack(TestNamespaces nss) throws Exception {
        HostFixture h = host(nss);
        h.nl.routes().add(Route.builder().dst("10.9.0.0/24").via("10.233.0.5").dev("br0").metric(100).table(1000).build());
        h.nl.routes().add(Route.builder().dst("10.10.0.0/24").via("10.233.0.6").table(100).build());
        h.nl.routes().add(Route.builder().dst("10.66.0.0/16").via("10.99.0.1").dev("br0").onlink(true)
                .src("10.233.0.1").protocol(RouteProtocol.STATIC).build());
        h.nl.routes().add(Route.builder().dst("10.77.0.0/16").type(RouteType.BLACKHOLE).build());
        h.nl.routes().add(Route.builder().dst("10.8.0.0/24").dev("br0").build());
        h.nl.routes().add(Route.builder().dst("10.11.0.0/24").dev("br0").scope(Scope.HOST).protocol(RouteProtocol.of(77)).build());
        h.nl.routes().add(Route.builder().dst("default").via("10.233.0.254").build());
        h.nl.routes().add(Route.builder().dst("fd05::/64").via("fd00::5").dev("br0").metric(50).build());

        Map<String, Object> t1000 = find(h.ipJson("-d", "route", "show", "table", "1000"), "dst", "10.9.0.0/24");
        assertThat(t1000).containsEntry("gateway", "10.233.0.5").containsEntry("dev", "br0").containsEntry("metric", 100L)
                .containsEntry("protocol", "boot").containsEntry("scope", "global").containsEntry("type", "unicast");
        assertThat(find(h.ipJson("route", "show", "table", "100"), "dst", "10.10.0.0/24"))
                .containsEntry("gateway", "10.233.0.6").containsEntry("dev", "br0");

        List<Map<String, Object>> main = h.ipJson("-d", "route", "show");
        Map<String, Object> onlink = find(main, "dst", "10.66.0.0/16");
        assertThat(onlink).containsEntry("gateway", "10.99.0.1").containsEntry("prefsrc", "10.233.0.1")
                .containsEntry("protocol", "static");
        assertThat((List<Object>) onlink.get("flags")).contains("onlink");
        assertThat(find(main, "dst", "10.77.0.0/16")).containsEntry("type", "blackhole");
        assertThat(find(main, "dst", "10.8.0.0/24")).containsEntry("scope", "link").containsEntry("dev", "br0");
        assertThat(find(main, "dst", "10.11.0.0/24")).containsEntry("scope", "host").containsEntry("protocol", "77");
        assertThat(find(main, "dst", "default")).containsEntry("gateway", "10.233.0.254");
        assertThat(find(h.ipJson("-6", "route", "show"), "dst", "fd05::/64"))
                .containsEntry("gateway", "fd00::5").containsEntry("metric", 50L);
    }

    @Test
    void libraryDecodesWhatIpCreates(TestNamespaces nss) throws Exception {
        HostFixture h = host(nss);
        h.ip("route", "add", "10.20.0.0/16", "via", "10.233.0.9", "dev", "br0", "metric", "7", "proto", "42", "table", "2000");
        h.ip("route", "add", "unreachable", "10.21.0.0/16");
        h.ip("route", "add", "10.22.0.0/16", "via", "10.98.0.1", "dev", "br0", "onlink", "src", "10.233.0.1");
        h.ip("-6", "route", "add", "fd07::/64", "dev", "br0", "metric", "9");
        int br0 = Integer.parseInt(h.ipJson("link", "show", "br0").get(0).get("ifindex").toString());

        Route t = only(h.nl.routes().list(null, 2000), "10.20.0.0/16");
        assertThat(t.via()).isEqualTo(Ip.parse("10.233.0.9"));
        assertThat(t.dev()).isEqualTo("br0");
        assertThat(t.index()).isEqualTo(br0);
        assertThat(t.metric()).isEqualTo(7L);
        assertThat(t.protocol()).isEqualTo(RouteProtocol.of(42));
        assertThat(t.table()).isEqualTo(2000);
        assertThat(t.type()).isEqualTo(RouteType.UNICAST);

        List<Route> main = h.nl.routes().list();
        assertThat(main).noneMatch(r -> r.dst().equals(IpPrefix.parse("10.20.0.0/16")));
        Route u = only(main, "10.21.0.0/16");
        assertThat(u.type()).isEqualTo(RouteType.UNREACHABLE);
        Route o = only(main, "10.22.0.0/16");
        assertThat(o.onlink()).isTrue();
        assertThat(o.src()).isEqualTo(Ip.parse("10.233.0.1"));
        assertThat(o.protocol()).isEqualTo(RouteProtocol.BOOT);
        Route v6 = only(main, "fd07::/64");
        assertThat(v6.metric()).isEqualTo(9L);
        assertThat(v6.table()).isEqualTo(254);
        // the kernel's own prefix route of 10.233.0.1/16
        Route k = only(main, "10.233.0.0/16");
        assertThat(k.protocol()).isEqualTo(RouteProtocol.KERNEL);
        assertThat(k.scope()).isEqualTo(Scope.LINK);
        assertThat(k.src()).isEqualTo(Ip.parse("10.233.0.1"));

        // filtered by device: no unreachable route (it has no device), all through br0
        List<Route> viaBr0 = h.nl.routes().list("br0");
        assertThat(viaBr0).isNotEmpty().allMatch(r -> "br0".equals(r.dev()));
        // every table includes local-table routes and table 2000
        List<Route> all = h.nl.routes().list(null, Routes.ALL_TABLES);
        assertThat(all).anyMatch(r -> Long.valueOf(2000).equals(r.table()))
                .anyMatch(r -> Long.valueOf(255).equals(r.table()));
        int[] n = {0};
        h.nl.routes().forEach(null, null, r -> n[0]++);
        assertThat(n[0]).isEqualTo(main.size());
    }

    @Test
    void replaceDeleteAndErrors(TestNamespaces nss) throws Exception {
        HostFixture h = host(nss);
        Route r = Route.builder().dst("10.30.0.0/16").via("10.233.0.5").dev("br0").build();
        h.nl.routes().add(r);
        assertThatThrownBy(() -> h.nl.routes().add(r))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
        h.nl.routes().replace(r.toBuilder().via("10.233.0.6").build());
        h.nl.routes().replace(r.toBuilder().via("10.233.0.6").build());
        assertThat(h.ipJson("route", "show", "10.30.0.0/16")).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("gateway", "10.233.0.6"));
        h.nl.routes().delete(Route.builder().dst("10.30.0.0/16").dev("br0").build());
        assertThat(h.ipJson("route", "show", "10.30.0.0/16")).isEmpty();
        assertThatThrownBy(() -> h.nl.routes().delete(r))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.isNotFound()).isTrue());
        // a gateway outside every connected prefix: the kernel's text reaches the caller
        assertThatThrownBy(() -> h.nl.routes().add(Route.builder().dst("10.31.0.0/16").via("192.0.2.1").dev("br0").build()))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.extAckMessage()).isEqualTo("Nexthop has invalid gateway"));
    }

    private static Route only(List<Route> list, String dst) {
        List<Route> m = list.stream().filter(r -> r.dst().toString().equals(dst)).toList();
        assertThat(m).as("routes to " + dst + " in " + list).hasSize(1);
        return m.get(0);
    }

    /** lookup() answers what {@code ip route get} answers: device, gateway, source, table. */
    @Test
    void lookupAgreesWithIpRouteGet(TestNamespaces nss) throws Exception {
        HostFixture h = host(nss);
        h.nl.routes().add(Route.builder().dst("10.9.0.0/24").via("10.233.0.5").dev("br0").build());
        h.nl.routes().add(Route.builder().dst("fd05::/64").via("fd00::5").dev("br0").build());
        for (String dst : new String[] {"10.9.0.7", "10.233.1.2", "fd05::7"}) {
            Map<String, Object> ip = h.ipJson("route", "get", dst).get(0);
            Route r = h.nl.routes().lookup(dst);
            assertThat(r.dst()).as(dst).isEqualTo(dev.overlaynet.IpPrefix.of(Ip.parse(dst), dst.contains(":") ? 128 : 32));
            assertThat(r.dev()).as(dst).isEqualTo(ip.get("dev"));
            assertThat(r.via()).as(dst).isEqualTo(ip.get("gateway") == null ? null : Ip.parse((String) ip.get("gateway")));
            assertThat(r.src()).as(dst).isEqualTo(ip.get("prefsrc") == null ? null : Ip.parse((String) ip.get("prefsrc")));
        }
        assertThatThrownBy(() -> h.nl.routes().lookup("192.0.2.1"))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("ENETUNREACH");
        assertThatThrownBy(() -> h.nl.routes().lookup("10.9.0.300")).isInstanceOf(IllegalArgumentException.class);
    }
}
