package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import org.junit.jupiter.api.Test;

/**
 * Scoped FDB gets and the proxy neighbour get against what iproute2 6.1 sent
 * on kernel 6.18 ({@code strace -xx -e trace=sendmsg}; br0 was ifindex 2,
 * vb0 4).
 */
class ScopedGetCodecTest {
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:0a:01");

    @Test
    void fdbGetInBridgeAndOnPortMatchBridgeFdbGet() {
        MessageWriter w = new MessageWriter(64);
        FdbCodec.encodeGetInBridge(w, MAC, 0, 2, null); // bridge fdb get 02:00:00:00:0a:01 br br0
        Golden.assertRequest("300000001e00010000000000000000000700000000000000000000000a000200020000000a0100000800090002000000", w);
        w = new MessageWriter(64);
        FdbCodec.encodeGetInBridge(w, MAC, 4, 0, null); // ... brport vb0
        Golden.assertRequest("280000001e00010000000000000000000700000004000000000000000a000200020000000a010000", w);
        w = new MessageWriter(64);
        FdbCodec.encodeGetInBridge(w, MAC, 0, 2, 1); // ... br br0 vlan 1
        Golden.assertRequest("380000001e00010000000000000000000700000000000000000000000a000200020000000a010000"
                + "06000500010000000800090002000000", w);
    }

    @Test
    void proxyNeighbourGetMatchesIpNeighGetProxy() throws Exception {
        MessageWriter w = new MessageWriter(64);
        NeighCodec.encodeGet(w, Ip.parse("ip", "10.9.9.9"), 2, true); // ip neigh get proxy 10.9.9.9 dev br0
        Golden.assertRequest("240000001e0001000000000000000000020000000200000000000800080001000a090909", w);
        w = new MessageWriter(64);
        NeighCodec.encodeGet(w, Ip.parse("ip", "fd00::9"), 2, true); // ip neigh get proxy fd00::9 dev br0
        Golden.assertRequest("300000001e00010000000000000000000a000000020000000000080014000100fd000000000000000000000000000009", w);
    }
}
