package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VNI filter requests against what {@code bridge vni} (iproute2 6.1) sent on
 * kernel 6.18 ({@code strace -xx -e trace=sendmsg}; vx0 was ifindex 2), and
 * the decoding of a dump reply with ranges and groups.
 */
class VniFilterCodecTest {
    private static MessageWriter encode(int type, VniEntry... e) {
        MessageWriter w = new MessageWriter(256);
        VniFilterCodec.encode(w, type, 2, List.of(e));
        return w;
    }

    @Test
    void matchesBridgeVniBytes() {
        // bridge vni add dev vx0 vni 100
        Golden.assertRequest("2400000078000500000000000000000007000000020000000c0001800800010064000000",
                encode(RtNetlink.RTM_NEWTUNNEL, VniEntry.of("vx0", 100)));
        // bridge vni add dev vx0 vni 200-210
        Golden.assertRequest("2c00000078000500000000000000000007000000020000001400018008000100c800000008000200d2000000",
                encode(RtNetlink.RTM_NEWTUNNEL, VniEntry.builder().dev("vx0").vni(200).end(210).build()));
        // bridge vni add dev vx0 vni 300 group 239.1.1.1
        Golden.assertRequest("2c000000780005000000000000000000070000000200000014000180080001002c01000008000300ef010101",
                encode(RtNetlink.RTM_NEWTUNNEL, VniEntry.builder().dev("vx0").vni(300).group("239.1.1.1").build()));
        // bridge vni add dev vx0 vni 400 remote 10.0.0.5
        Golden.assertRequest("2c0000007800050000000000000000000700000002000000140001800800010090010000080003000a000005",
                encode(RtNetlink.RTM_NEWTUNNEL, VniEntry.builder().dev("vx0").vni(400).group("10.0.0.5").build()));
        // bridge vni add dev vx0 vni 500 group ff05::1
        Golden.assertRequest("3800000078000500000000000000000007000000020000002000018008000100f401000014000400"
                        + "ff050000000000000000000000000001",
                encode(RtNetlink.RTM_NEWTUNNEL, VniEntry.builder().dev("vx0").vni(500).group("ff05::1").build()));
        // bridge vni delete dev vx0 vni 205-207
        Golden.assertRequest("2c00000079000500000000000000000007000000020000001400018008000100cd00000008000200cf000000",
                encode(RtNetlink.RTM_DELTUNNEL, VniEntry.builder().dev("vx0").vni(205).end(207).build()));
        // bridge vni show dev vx0
        MessageWriter w = new MessageWriter(64);
        VniFilterCodec.encodeDump(w, 2);
        Golden.assertRequest("180000007a00010300000000000000000700000002000000", w);
    }

    @Test
    void decodesRangesAndGroupsOfADump() throws Exception {
        // An RTM_NEWTUNNEL as the kernel answers the dump: 100, 200-210, 300 group 239.1.1.1, 500 group ff05::1
        MessageWriter w = new MessageWriter(256);
        VniFilterCodec.encode(w, RtNetlink.RTM_NEWTUNNEL, 2, List.of(VniEntry.of("vx0", 100),
                VniEntry.builder().dev("vx0").vni(200).end(210).build(),
                VniEntry.builder().dev("vx0").vni(300).group("239.1.1.1").build(),
                VniEntry.builder().dev("vx0").vni(500).group("ff05::1").build()));
        List<VniEntry> out = new ArrayList<>();
        VniFilterCodec.decode(Golden.message(java.util.HexFormat.of().formatHex(w.toByteArray())),
                i -> i == 2 ? "vx0" : null, Golden.attrs(), out::add);
        assertThat(out).extracting(VniEntry::toString).containsExactly("dev vx0 vni 100", "dev vx0 vni 200-210",
                "dev vx0 vni 300 group 239.1.1.1", "dev vx0 vni 500 group ff05::1");
        assertThat(out.get(3).group()).isEqualTo(InetAddress.getByName("ff05::1"));
        assertThat(out.get(1).isRange()).isTrue();
    }

    @Test
    void refusesBadEntriesNamingTheField() {
        assertThatThrownBy(() -> VniEntry.builder().vni(1).build()).hasMessageContaining("dev");
        assertThatThrownBy(() -> VniEntry.builder().dev("vx0").build()).hasMessageContaining("vni");
        assertThatThrownBy(() -> VniEntry.of("vx0", 0)).hasMessageContaining("vni 0");
        assertThatThrownBy(() -> VniEntry.of("vx0", 1 << 24)).hasMessageContaining("vni");
        assertThatThrownBy(() -> VniEntry.builder().dev("vx0").vni(10).end(9).build()).hasMessageContaining("end 9");
        assertThatThrownBy(() -> VniEntry.builder().dev("vx0").vni(10).group("::").build()).hasMessageContaining("group");
        assertThatThrownBy(() -> VniEntry.builder().dev("vx0").vni(10).group("nope")).hasMessageContaining("group");
    }
}
