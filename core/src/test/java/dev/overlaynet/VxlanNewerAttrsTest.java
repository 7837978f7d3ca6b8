package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The vxlan attributes newer than this machine's headers (31..34). iproute2
 * 6.1 cannot send them, so the expected bytes are written from the kernel's
 * uapi (attribute number, NLA type from vxlan_policy); the integration test
 * VxlanKernelAttrsTest checks them against the running kernel.
 */
class VxlanNewerAttrsTest {

    @Test
    void encodesEachAfterThePortUnderItsNumber() throws Exception {
        byte[] b = LinkGoldenBytesTest.encode(Vxlan.builder().name("v").vni(1).remote("fd00::2")
                .localbypass(false).labelPolicy(VxlanLabelPolicy.INHERIT)
                .reservedBits(0xf7ffffff_00000000L).mcRoute(true).build());
        assertThat(java.util.HexFormat.of().formatHex(b)).endsWith(java.util.HexFormat.of().formatHex(TestHex.parse("""
                06 00 0f 00 12 b5 00 00                 // IFLA_VXLAN_PORT 4789
                05 00 1f 00 00 00 00 00                 // IFLA_VXLAN_LOCALBYPASS (31) u8 0
                08 00 20 00 01 00 00 00                 // IFLA_VXLAN_LABEL_POLICY (32) u32 VXLAN_LABEL_INHERIT
                0c 00 21 00 f7 ff ff ff 00 00 00 00     // IFLA_VXLAN_RESERVED_BITS (33) struct vxlanhdr
                05 00 22 00 01 00 00 00                 // IFLA_VXLAN_MC_ROUTE (34) u8 1
                """)));
    }

    @Test
    void refusesWhatTheKernelWouldRefuseNamingTheField() {
        assertThatThrownBy(() -> Vxlan.builder().name("v").vni(1).remote("10.0.0.2")
                .labelPolicy(VxlanLabelPolicy.INHERIT).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labelPolicy");
        assertThatThrownBy(() -> Vxlan.builder().name("v").vni(1).labelPolicy(VxlanLabelPolicy.INHERIT).build())
                .hasMessageContaining("labelPolicy");
        assertThatThrownBy(() -> Vxlan.builder().name("v").vni(1).reservedBits(0x08000000_00000000L).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reservedBits");
        assertThatThrownBy(() -> Vxlan.builder().name("v").vni(1).reservedBits(0x00000000_00000100L).build())
                .hasMessageContaining("reservedBits");
        assertThat(Vxlan.builder().name("v").vni(1).reservedBits(0xf7ffffff_000000ffL).build().reservedBits())
                .isEqualTo(0xf7ffffff_000000ffL);
    }

    @Test
    void mcRouteIsNotComparedBecauseTheKernelNeverReportsIt() {
        Vxlan want = Vxlan.builder().name("v").vni(1).mcRoute(true).localbypass(false).build();
        Vxlan reported = Vxlan.builder().name("v").vni(1).localbypass(false).build();
        assertThat(want.differences(reported)).isEmpty();
        assertThat(want.differences(reported.toBuilder().localbypass(true).build())).containsExactly("localbypass");
    }
}
