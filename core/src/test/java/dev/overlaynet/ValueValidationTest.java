package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Builders refuse bad input before any syscall, naming the field. */
class ValueValidationTest {

    @Test
    void addressMessages() {
        assertThatThrownBy(() -> Address.builder().prefix("10.0.0.1/8").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("link must be set");
        assertThatThrownBy(() -> Address.builder().link("br0").build())
                .hasMessageContaining("prefix must be set");
        assertThatThrownBy(() -> Address.of("br0", "10.233.0.1/33"))
                .hasMessage("prefix \"10.233.0.1/33\": prefix length 33 out of range [0..32]");
        assertThatThrownBy(() -> Address.of("br0", "10.233.0.x/16"))
                .hasMessageContaining("prefix \"10.233.0.x\" is not an IPv4 or IPv6 address");
        assertThatThrownBy(() -> Address.of("averyveryverylong0", "10.0.0.1/8"))
                .hasMessage("link \"averyveryverylong0\" is 18 bytes; max 15");
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("10.1.0.1/32").peer("fd00::2").build())
                .hasMessage("peer fd00::2 is IPv6 but prefix 10.1.0.1/32 is IPv4");
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("fd00::1/64").broadcast("10.0.0.255").build())
                .hasMessageContaining("broadcast 10.0.0.255 is IPv4 but prefix");
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("10.0.0.1/8").label("br0:waytoolonglabel").build())
                .hasMessageContaining("label").hasMessageContaining("max 15");
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("10.0.0.1/8").validLifetime(10).preferredLifetime(20).build())
                .hasMessage("preferredLifetime 20 exceeds validLifetime 10");
        assertThatThrownBy(() -> Address.builder().link("br0").prefix("10.0.0.1/8").validLifetime(1L << 32).build())
                .hasMessage("validLifetime 4294967296 out of range [0..4294967295]");
    }

    @Test
    void routeMessages() {
        assertThatThrownBy(() -> Route.builder().via("10.0.0.1").build())
                .hasMessageContaining("dst must be set");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.1/24").dev("br0").build())
                .hasMessage("dst 10.9.0.1/24 has host bits set; did you mean 10.9.0.0/24?");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").via("fd00::1").build())
                .hasMessage("via fd00::1 is IPv6 but dst 10.9.0.0/24 is IPv4");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").build())
                .hasMessage("a unicast route needs via or dev (dst 10.9.0.0/24)");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").dev("br0").onlink(true).build())
                .hasMessage("onlink needs via (a gateway)");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").dev("br0").table(0).build())
                .hasMessageContaining("table 0 is RT_TABLE_UNSPEC");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").dev("br0").metric(-1).build())
                .hasMessage("metric -1 out of range [0..4294967295]");
        assertThatThrownBy(() -> Route.builder().dst("10.9.0.0/24").dev("br/0").build())
                .hasMessageContaining("dev \"br/0\" must not contain");
    }

    @Test
    void defaultRouteTakesFamilyFromGateway() {
        assertThat(Route.builder().dst("default").via("fd00::1").build().dst()).isEqualTo(IpPrefix.parse("::/0"));
        assertThat(Route.builder().dst("default").via("10.0.0.1").build().dst()).isEqualTo(IpPrefix.parse("0.0.0.0/0"));
    }

    @Test
    void neighMessages() {
        assertThatThrownBy(() -> Neighbour.builder().ip("10.0.0.1").build())
                .hasMessageContaining("dev must be set");
        assertThatThrownBy(() -> Neighbour.builder().dev("br0").build())
                .hasMessageContaining("ip must be set");
        assertThatThrownBy(() -> Neighbour.builder().dev("br0").ip("10.0.0.256"))
                .hasMessage("ip \"10.0.0.256\": part 256 is above 255");
        assertThatThrownBy(() -> Neighbour.builder().dev("br0").ip("10.0.0.1").lladdr("02:42:0a:e9:00"))
                .hasMessageStartingWith("lladdr: bad MAC address \"02:42:0a:e9:00\"");
        assertThatThrownBy(() -> Neighbour.permanent("br0", "10.0.0.1", "zz:42:0a:e9:00:03"))
                .hasMessageContaining("\"zz\" is not a hex pair");
    }

    @Test
    void fdbMessages() {
        assertThatThrownBy(() -> FdbEntry.builder().dev("vx0").build())
                .hasMessageContaining("mac must be set");
        assertThatThrownBy(() -> FdbEntry.builder().mac(MacAddress.ZERO).build())
                .hasMessageContaining("dev must be set");
        assertThatThrownBy(() -> FdbEntry.flood("vx0", "172.16.1.300"))
                .hasMessage("dst \"172.16.1.300\": part 300 is above 255");
        assertThatThrownBy(() -> FdbEntry.flood("vx0", "172.16.1.12").toBuilder().vni(1 << 24).build())
                .hasMessage("vni 16777216 out of range [0..16777215]");
        assertThatThrownBy(() -> FdbEntry.flood("vx0", "172.16.1.12").toBuilder().port(0).build())
                .hasMessage("port 0 out of range [1..65535]");
        assertThatThrownBy(() -> FdbEntry.builder().dev("vb0").mac("02:00:00:00:00:01").vlan(4095).build())
                .hasMessage("vlan 4095 out of range [1..4094]");
        assertThatThrownBy(() -> FdbEntry.builder().dev("vx0").mac("02:00:00:00:00"))
                .hasMessageStartingWith("mac: bad MAC address");
    }

    @Test
    void fdbDefaultsAreSelfAndPermanent() {
        FdbEntry f = FdbEntry.flood("vx0", "172.16.1.12");
        assertThat(f.flagBits).isEqualTo(0x02);          // NTF_SELF
        assertThat(f.stateBits).isEqualTo(0x80 | 0x40);   // NUD_PERMANENT | NUD_NOARP, as bridge(8) sends
        FdbEntry master = FdbEntry.builder().dev("vb0").mac("02:00:00:00:00:01").flags(NeighbourFlag.MASTER).build();
        assertThat(master.flagBits).isEqualTo(0x04);
    }

    @Test
    void toBuilderRoundTrips() {
        Address a = Address.builder().link("br0").prefix("10.2.0.1/24").broadcast("10.2.0.255").label("br0:gw")
                .scope(Scope.LINK).flags(AddressFlag.NOPREFIXROUTE).validLifetime(3600).preferredLifetime(1800).build();
        assertThat(a.toBuilder().build()).isEqualTo(a);
        Route r = Route.builder().dst("10.66.0.0/16").via("10.99.0.1").dev("br0").onlink(true).table(1000)
                .metric(7).src("10.2.0.1").protocol(RouteProtocol.STATIC).scope(Scope.UNIVERSE).build();
        assertThat(r.toBuilder().build()).isEqualTo(r);
        Neighbour n = Neighbour.builder().dev("br0").ip("fd00::9").lladdr("02:00:00:00:00:09").state(NeighbourState.STALE)
                .flags(NeighbourFlag.ROUTER).build();
        assertThat(n.toBuilder().build()).isEqualTo(n);
        FdbEntry f = FdbEntry.flood("vx0", "172.16.1.14").toBuilder().vni(100).port(4790).srcVni(42).build();
        assertThat(f.toBuilder().build()).isEqualTo(f);
        assertThat(f.toBuilder().vni(101).build()).isNotEqualTo(f);
    }

    @Test
    void scopeNames() {
        assertThat(Scope.parse("global")).isEqualTo(Scope.UNIVERSE);
        assertThat(Scope.parse("link")).isEqualTo(Scope.LINK);
        assertThat(Scope.of(253)).hasToString("link");
        assertThatThrownBy(() -> Scope.parse("galaxy")).hasMessageContaining("scope \"galaxy\"");
        assertThatThrownBy(() -> Scope.of(256)).hasMessage("scope 256 out of range [0..255]");
    }

    @org.junit.jupiter.api.Test
    void ipv6TextIsRfc5952() {
        java.util.Map<String, String> cases = java.util.Map.of(
                "fd00:0:0:0:0:0:0:2", "fd00::2",
                "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1",   // first of two equal runs
                "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", // a single zero group stays
                "0:0:0:0:0:0:0:0", "::",
                "0:0:0:0:0:0:0:1", "::1",
                "fe80:0:0:0:0:0:0:0", "fe80::",
                "2001:DB8:0:0:0:0:0:ABCD", "2001:db8::abcd",
                "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::");    // the longer run wins
        cases.forEach((in, want) -> org.assertj.core.api.Assertions.assertThat(Ip.text(Ip.parse(in))).as(in).isEqualTo(want));
        org.assertj.core.api.Assertions.assertThat(Ip.text(Ip.parse("10.0.0.1"))).isEqualTo("10.0.0.1");
    }
}
