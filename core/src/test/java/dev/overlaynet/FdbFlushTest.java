package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import org.junit.jupiter.api.Test;

/**
 * {@link FdbFlush} requests against the bytes {@code bridge fdb flush}
 * (iproute2 6.1) sent on kernel 6.18, captured with
 * {@code strace -xx -e trace=sendmsg}; ifindexes there: br0 2, vb0 4, vx0 5.
 * iproute2 6.1 has no vni/src_vni/port/dst/nhid filters: those are checked
 * live (FdbFlushInteropTest) and by layout below.
 */
class FdbFlushTest {
    private static MessageWriter encode(FdbFlush f, int ifindex, int brport) {
        MessageWriter w = new MessageWriter(256);
        FdbCodec.encodeFlush(w, f, ifindex, brport);
        return w;
    }

    @Test
    void matchesBridgeFdbFlushBytes() {
        // bridge fdb flush dev br0
        Golden.assertRequest("1c0000001d0005020000000000000000070000000200000000000200",
                encode(FdbFlush.builder().dev("br0").build(), 2, 0));
        // bridge fdb flush dev vb0 master
        Golden.assertRequest("1c0000001d0005020000000000000000070000000400000000000400",
                encode(FdbFlush.builder().dev("vb0").master().build(), 4, 0));
        // bridge fdb flush dev br0 brport vb0 vlan 1 static
        Golden.assertRequest("340000001d00050200000000000000000700000002000000400002000800080004000000"
                        + "060005000100000006001000c0000000",
                encode(FdbFlush.builder().dev("br0").brport("vb0").vlan(1).state(FdbEntryState.STATIC).build(), 2, 4));
        // bridge fdb flush dev br0 self master brport vb0 vlan 7 nopermanent static nodynamic
        //     added_by_user noextern_learn sticky nooffloaded
        Golden.assertRequest("3c0000001d00050200000000000000000700000002000000400047000800080004000000"
                        + "0600050007000000050011007100000006001000c0000000",
                encode(FdbFlush.builder().dev("br0").self().master().brport("vb0").vlan(7)
                        .notState(FdbEntryState.PERMANENT).state(FdbEntryState.STATIC).notState(FdbEntryState.DYNAMIC)
                        .flag(NeighbourFlag.USE, true).flag(NeighbourFlag.EXT_LEARNED, false).flag(NeighbourFlag.STICKY, true)
                        .flag(NeighbourFlag.OFFLOADED, false).build(), 2, 4));
        // bridge fdb flush dev vx0 self dynamic noadded_by_user extern_learn nosticky offloaded
        Golden.assertRequest("2c0000001d0005020000000000000000070000000500000000003200050011007100000006001000c0000000",
                encode(FdbFlush.builder().dev("vx0").self().state(FdbEntryState.DYNAMIC).flag(NeighbourFlag.USE, false)
                        .flag(NeighbourFlag.EXT_LEARNED, true).flag(NeighbourFlag.STICKY, false)
                        .flag(NeighbourFlag.OFFLOADED, true).build(), 5, 0));
        // bridge fdb flush dev br0 permanent nostatic
        Golden.assertRequest("240000001d000502000000000000000007000000020000008000020006001000c0000000",
                encode(FdbFlush.builder().dev("br0").state(FdbEntryState.PERMANENT).notState(FdbEntryState.STATIC).build(), 2, 0));
    }

    @Test
    void vxlanFiltersFollowTheUapiLayout() {
        byte[] b = encode(FdbFlush.builder().dev("vx0").srcVni(9).nhid(3).vni(0x123456).port(4790)
                .dst("10.0.0.7").build(), 5, 0).toByteArray();
        assertThat(Golden.masked(b)).isEqualTo(Golden.masked(Golden.hex(
                "440000001d000102000000000000000007000000050000000000020"
                        + "0"
                        + "08000b0009000000"          // NDA_SRC_VNI 9
                        + "08000d0003000000"          // NDA_NH_ID 3
                        + "0800070056341200"          // NDA_VNI 0x123456
                        + "0600060012b60000"          // NDA_PORT be16 4790 (0x12b6)
                        + "080001000a000007")));      // NDA_DST 10.0.0.7
    }

    @Test
    void refusesBadFiltersNamingTheField() {
        assertThatThrownBy(() -> FdbFlush.builder().build()).hasMessageContaining("dev");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").vlan(4095).build()).hasMessageContaining("vlan");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").vni(1 << 24).build()).hasMessageContaining("vni");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").srcVni(-1).build()).hasMessageContaining("srcVni");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").port(0).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").nhid(0).build()).hasMessageContaining("nhid");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").dst("0.0.0.0").build()).hasMessageContaining("dst");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").brport("a/b").build()).hasMessageContaining("brport");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").flag(NeighbourFlag.PROXY, true))
                .hasMessageContaining("PROXY");
        assertThatThrownBy(() -> FdbFlush.builder().dev("br0").flag(NeighbourFlag.SELF, true))
                .hasMessageContaining("SELF");
    }
}
