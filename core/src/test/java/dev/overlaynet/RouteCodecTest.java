package dev.overlaynet;

import static dev.overlaynet.Golden.assertRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import org.junit.jupiter.api.Test;

/**
 * Route requests against what {@code ip -n ho-g route ...} sent (br0 is
 * ifindex 2), and decoding of RTM_NEWROUTE replies captured from
 * {@code ip route show [table 1000]} and {@code ip -6 route show}.
 */
class RouteCodecTest {
    private static final int CREATE_EXCL = Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL;

    private static MessageWriter encode(int type, int flags, Route r, int oif) {
        MessageWriter w = new MessageWriter(256);
        RouteCodec.encode(w, type, flags, r, oif);
        return w;
    }

    @Test
    void viaMetricAndBigTable() {
        // ip route add 10.9.0.0/24 via 10.233.0.5 dev br0 metric 100 table 1000
        assertRequest("44000000180005060000000000000000021800000003000100000000080001000a090000080005000ae90005080006006400000008000f00e80300000800040002000000",
                encode(RtNetlink.RTM_NEWROUTE, CREATE_EXCL, Route.builder().dst("10.9.0.0/24").via("10.233.0.5")
                        .dev("br0").metric(100).table(1000).build(), 2));
    }

    @Test
    void deviceRouteGetsLinkScope() {
        // ip route add 10.8.0.0/24 dev br0
        assertRequest("2c00000018000506000000000000000002180000fe03fd0100000000080001000a0800000800040002000000",
                encode(RtNetlink.RTM_NEWROUTE, CREATE_EXCL, Route.builder().dst("10.8.0.0/24").dev("br0").build(), 2));
    }

    @Test
    void ipv6ViaGateway() {
        // ip route add fd05::/64 via fd00::5 dev br0
        assertRequest("4c0000001800050600000000000000000a400000fe0300010000000014000100fd05000000000000000000000000000014000500fd0000000000000000000000000000050800040002000000",
                encode(RtNetlink.RTM_NEWROUTE, CREATE_EXCL, Route.builder().dst("fd05::/64").via("fd00::5").dev("br0").build(), 2));
    }

    @Test
    void blackhole() {
        // ip route add blackhole 10.77.0.0/16
        assertRequest("2400000018000506000000000000000002100000fe03000600000000080001000a4d0000",
                encode(RtNetlink.RTM_NEWROUTE, CREATE_EXCL, Route.builder().dst("10.77.0.0/16").type(RouteType.BLACKHOLE).build(), 0));
    }

    @Test
    void onlinkSrcProtocol() {
        // ip route add 10.66.0.0/16 via 10.99.0.1 dev br0 onlink src 10.2.0.1 proto static
        assertRequest("3c00000018000506000000000000000002100000fe04000104000000080001000a420000080005000a630001080007000a0200010800040002000000",
                encode(RtNetlink.RTM_NEWROUTE, CREATE_EXCL, Route.builder().dst("10.66.0.0/16").via("10.99.0.1").dev("br0")
                        .onlink(true).src("10.2.0.1").protocol(RouteProtocol.STATIC).build(), 2));
    }

    @Test
    void deleteUsesScopeNowhereAndNoProtocol() {
        // ip route del 10.8.0.0/24 dev br0
        assertRequest("2c00000019000500000000000000000002180000fe00ff0000000000080001000a0800000800040002000000",
                encode(RtNetlink.RTM_DELROUTE, 0, Route.builder().dst("10.8.0.0/24").dev("br0").build(), 2));
    }

    @Test
    void replaceDefault() {
        // ip route replace default via 10.2.0.254 dev br0
        assertRequest("2c00000018000505000000000000000002000000fe03000100000000080005000a0200fe0800040002000000",
                encode(RtNetlink.RTM_NEWROUTE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE,
                        Route.builder().dst("default").via("10.2.0.254").dev("br0").build(), 2));
    }

    @Test
    void dumpRequestWithTable() {
        // ip route show table 1000 (iproute2 asks per family; the library asks AF_UNSPEC for both)
        MessageWriter w = new MessageWriter(64);
        RouteCodec.encodeDump(w, AddressFamily.AF_INET, 1000, 0);
        assertRequest("240000001a000103000000000000000002000000000000000000000008000f00e8030000", w);
    }

    @Test
    void decodesTable1000() {
        // 10.9.0.0/24 via 10.233.0.5 dev br0 table 1000 proto boot metric 100
        Route r = RouteCodec.decode(Golden.message(
                "4400000018002200401e076bfa21000002180000fc0300010000000008000f00e8030000080001000a0900000800060064000000080005000ae900050800040002000000"),
                Golden::name, Golden.attrs());
        assertThat(r.dst()).hasToString("10.9.0.0/24");
        assertThat(r.via()).isEqualTo(Ip.parse("10.233.0.5"));
        assertThat(r.dev()).isEqualTo("br0");
        assertThat(r.index()).isEqualTo(2);
        assertThat(r.table()).as("RTA_TABLE wins over the header's RT_TABLE_COMPAT").isEqualTo(1000);
        assertThat(r.metric()).isEqualTo(100L);
        assertThat(r.protocol()).isEqualTo(RouteProtocol.BOOT);
        assertThat(r.scope()).isEqualTo(Scope.UNIVERSE);
        assertThat(r.type()).isEqualTo(RouteType.UNICAST);
        assertThat(r.onlink()).isNull();
    }

    @Test
    void decodesDefaultOnlinkAndBlackhole() {
        // default via 10.2.0.254 dev br0
        Route d = RouteCodec.decode(Golden.message(
                "3400000018002200401e076b2722000002000000fe0300010000000008000f00fe000000080005000a0200fe0800040002000000"),
                Golden::name, Golden.attrs());
        assertThat(d.isDefault()).isTrue();
        assertThat(d.dst()).hasToString("0.0.0.0/0");
        assertThat(d.table()).isEqualTo(254);
        // 10.66.0.0/16 via 10.99.0.1 dev br0 proto static src 10.2.0.1 onlink
        Route o = RouteCodec.decode(Golden.message(
                "4400000018002200401e076b2722000002100000fe0400010400000008000f00fe000000080001000a420000080007000a020001080005000a6300010800040002000000"),
                Golden::name, Golden.attrs());
        assertThat(o.onlink()).isTrue();
        assertThat(o.src()).isEqualTo(Ip.parse("10.2.0.1"));
        assertThat(o.protocol()).isEqualTo(RouteProtocol.STATIC);
        // blackhole 10.77.0.0/16
        Route b = RouteCodec.decode(Golden.message(
                "2c00000018002200401e076b2722000002100000fe0300060000000008000f00fe000000080001000a4d0000"),
                Golden::name, Golden.attrs());
        assertThat(b.type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(b.dev()).isNull();
        assertThat(b.index()).isNull();
    }

    @Test
    void decodesV6AndKeepsCacheinfoAndPref() {
        // fd05::/64 via fd00::5 dev br0 metric 1024 pref medium
        Route r = RouteCodec.decode(Golden.message(
                "8800000018002200401e076b542200000a400000fe0300010000000008000f00fe00000014000100fd050000000000000000000000000000080006000004000014000500fd000000000000000000000000000005080004000200000024000c0000000000000000000000000000000000000000000000000000000000000000000500140000000000"),
                Golden::name, Golden.attrs());
        assertThat(r.dst()).isEqualTo(IpPrefix.parse("fd05::/64"));
        assertThat(r.via()).isEqualTo(Ip.parse("fd00::5"));
        assertThat(r.metric()).isEqualTo(1024L);
        assertThat(r.unknownAttributes()).containsOnlyKeys(RtNetlink.RTA_CACHEINFO, RtNetlink.RTA_PREF);
        assertThat(r.unknownAttributes().get(RtNetlink.RTA_PREF)).containsExactly(0);
    }
}
