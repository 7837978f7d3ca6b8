package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static dev.overlaynet.it.LinkOracle.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.EnsureResult;
import dev.overlaynet.Netlink;
import dev.overlaynet.Vxlan;
import dev.overlaynet.VxlanLabelPolicy;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The IFLA_VXLAN_* attributes newer than this machine's headers and iproute2
 * 6.1 (localbypass, label policy, reserved bits, mc route). iproute2 6.1
 * neither sends nor prints them, so the oracle here is the kernel itself: a
 * raw RTM_GETLINK whose IFLA_INFO_DATA the test walks by attribute number,
 * and raw RTM_NEWLINKs the typed decoder must read.
 */
@ExtendWith(NetnsExtension.class)
class VxlanKernelAttrsTest {

    /** Raw IFLA_INFO_DATA payloads of {@code dev}, by attribute number (hex). */
    static Map<Integer, String> rawInfoData(Netlink nl, String dev) throws NetlinkException {
        Map<Integer, String> out = new HashMap<>();
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_GETLINK, 0);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, nl.ifindex(dev), 0, 0).end(m);
        AttrReader a = new AttrReader();
        RawAccess.socket(nl).request(w, r -> {
            r.attrs(16, a);
            while (a.next()) {
                if (a.type() == Ifla.IFLA_LINKINFO) {
                    AttrReader li = a.nested();
                    while (li.next()) {
                        if (li.type() == Ifla.IFLA_INFO_DATA) {
                            AttrReader d = li.nested();
                            while (d.next()) {
                                out.put(d.type(), HexFormat.of().formatHex(d.bytes()));
                            }
                        }
                    }
                }
            }
        });
        return out;
    }

    @Test
    void libraryWritesTheNewAttributesUnderTheKernelsNumbers(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("v");
        Netlink nl = nss.netlink(ns);
        Vxlan vx = Vxlan.builder().name("vx6").vni(61).remote("fd00::2").local("fd00::1")
                .localbypass(false).labelPolicy(VxlanLabelPolicy.INHERIT)
                .reservedBits(0xf7ffffff_00000000L).mcRoute(true).build();
        nl.links().add(vx);

        Map<Integer, String> raw = rawInfoData(nl, "vx6");
        assertThat(raw).containsEntry(31, "00");            // IFLA_VXLAN_LOCALBYPASS
        assertThat(raw).containsEntry(32, "01000000");      // IFLA_VXLAN_LABEL_POLICY = VXLAN_LABEL_INHERIT
        assertThat(raw).containsEntry(33, "f7ffffff00000000"); // IFLA_VXLAN_RESERVED_BITS
        assertThat(raw).doesNotContainKey(34);              // MC_ROUTE: accepted, never dumped (6.18)

        Vxlan back = (Vxlan) nl.links().get("vx6");
        assertThat(vx.differences(back)).isEmpty();
        assertThat(back.localbypass()).isFalse();
        assertThat(back.labelPolicy()).isEqualTo(VxlanLabelPolicy.INHERIT);
        assertThat(back.reservedBits()).isEqualTo(0xf7ffffff_00000000L);
        assertThat(back.mcRoute()).isNull();
        assertThat(back.unknownDataAttributes()).isEmpty();

        // localbypass and the label policy change on a live link; reserved bits do not.
        assertThat(nl.links().ensure(vx.toBuilder().localbypass(true).labelPolicy(VxlanLabelPolicy.FIXED).build()))
                .isEqualTo(EnsureResult.CHANGED);
        // Kernel 6.18 quirk, documented on Vxlan.reservedBits: any changelink puts the reserved
        // bits back to the default, and it refuses IFLA_VXLAN_RESERVED_BITS on changelink.
        assertThat(rawInfoData(nl, "vx6")).containsEntry(31, "01").containsEntry(32, "00000000")
                .containsEntry(33, "f7ffffff000000ff");
        assertThatThrownBy(() -> nl.links().ensure(vx.toBuilder().reservedBits(0xf7ffffff_00000000L).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reservedBits");
    }

    @Test
    void decodesWhatIpAndTheKernelDefaultsGive(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("v");
        Netlink nl = nss.netlink(ns);
        ip(nss.nameOf(ns), "link", "add", "vx0", "type", "vxlan", "id", "5", "dstport", "4789");
        Map<Integer, String> raw = rawInfoData(nl, "vx0");
        Vxlan vx = (Vxlan) nl.links().get("vx0");
        assertThat(vx.localbypass()).isEqualTo(!raw.get(31).equals("00")).isTrue();
        assertThat(vx.labelPolicy()).isEqualTo(VxlanLabelPolicy.FIXED);
        assertThat(Long.toHexString(vx.reservedBits())).isEqualTo(raw.get(33)).isEqualTo("f7ffffff000000ff");
        assertThat(vx.unknownDataAttributes()).isEmpty();

        // A device made by hand with nolocalbypass (iproute2 6.1 can not say it).
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, "vx1");
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "vxlan");
        int d = w.nestStart(Ifla.IFLA_INFO_DATA);
        w.u32(Ifla.IFLA_VXLAN_ID, 6).be16(Ifla.IFLA_VXLAN_PORT, 4789).u8(31, 0)
                .bytes(33, HexFormat.of().parseHex("f7ffff0000000000"));
        w.nestEnd(d).nestEnd(li).end(m);
        RawAccess.socket(nl).request(w);
        Vxlan v1 = (Vxlan) nl.links().get("vx1");
        assertThat(v1.localbypass()).isFalse();
        assertThat(v1.reservedBits()).isEqualTo(0xf7ffff00_00000000L);
    }

    @Test
    void mcRouteIsRangeCheckedByTheKernelSoItsNumberIsKnown(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("v");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Vxlan.builder().name("vx0").vni(7).mcRoute(false).build());
        // Proof that 34 is IFLA_VXLAN_MC_ROUTE on this kernel: its policy is NLA_POLICY_MAX(NLA_U8, 1).
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, nl.ifindex("vx0"), 0, 0);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "vxlan");
        int d = w.nestStart(Ifla.IFLA_INFO_DATA);
        w.u8(Ifla.IFLA_VXLAN_MC_ROUTE, 2);
        w.nestEnd(d).nestEnd(li).end(m);
        assertThatThrownBy(() -> RawAccess.socket(nl).request(w)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("ERANGE");
    }
}
