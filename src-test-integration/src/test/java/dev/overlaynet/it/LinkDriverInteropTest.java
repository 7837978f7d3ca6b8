package dev.overlaynet.it;

import static dev.overlaynet.it.LinkOracle.info;
import static dev.overlaynet.it.LinkOracle.ip;
import static dev.overlaynet.it.LinkOracle.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.CustomLink;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.GenericLink;
import dev.overlaynet.Link;
import dev.overlaynet.LinkDriver;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link LinkDriver} extension point with two kinds this kernel has and
 * the library does not model: {@code ifb} (no IFLA_INFO_DATA) and
 * {@code macvtap} (IFLA_MACVLAN_MODE under IFLA_INFO_DATA, a parent in
 * IFLA_LINK). Each is created by the library and read by iproute2, and
 * created by iproute2 and read by the library.
 */
@ExtendWith(NetnsExtension.class)
class LinkDriverInteropTest {
    /** The ifb kind carries no data: the driver only names the kind. */
    static final LinkDriver<Void> IFB = LinkDriver.of("ifb", (d, out) -> { }, in -> null);

    /** What a user would model of a macvtap: its mode (linux/if_link.h MACVLAN_MODE_*). */
    record Macvtap(int mode) {}

    /** IFLA_MACVLAN_MODE in linux/if_link.h, as a user's driver would spell it. */
    static final int IFLA_MACVLAN_MODE = 1;

    static final LinkDriver<Macvtap> MACVTAP = LinkDriver.of("macvtap",
            (d, out) -> out.u32(IFLA_MACVLAN_MODE, d.mode()),
            in -> {
                int mode = 0;
                while (in.next()) {
                    if (in.type() == IFLA_MACVLAN_MODE) {
                        mode = in.u32();
                    }
                }
                return new Macvtap(mode);
            });

    /** iproute2's names for MACVLAN_MODE_PRIVATE, _VEPA, _BRIDGE. */
    static final Map<Integer, String> MODES = Map.of(1, "private", 2, "vepa", 4, "bridge");

    @Test
    void ifbBothWays(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().register(IFB);

        nl.links().add(CustomLink.builder(IFB).name("ifbx0").mtu(1400).build());
        Map<?, ?> shown = show(n, "ifbx0");
        assertThat(Json.path(shown, "linkinfo", "info_kind")).isEqualTo("ifb");
        assertThat(((Number) shown.get("mtu")).intValue()).isEqualTo(1400);

        ip(n, "link", "add", "ifbx1", "type", "ifb");
        Link back = nl.links().get("ifbx1");
        assertThat(back).isInstanceOf(CustomLink.class);
        assertThat(back.kind()).isEqualTo("ifb");
        assertThat(((CustomLink<?>) back).driver()).isSameAs(IFB);
        assertThat(nl.links().list()).filteredOn(l -> l instanceof CustomLink<?>)
                .extracting(Link::name).containsExactlyInAnyOrder("ifbx0", "ifbx1");

        // The registration is per handle: another handle on the same namespace sees a GenericLink.
        Netlink other = nss.netlink(ns);
        assertThat(other.links().get("ifbx1")).isInstanceOf(GenericLink.class);

        EnsureResult again = nl.links().ensure(CustomLink.builder(IFB).name("ifbx0").mtu(1400).build());
        assertThat(again).isEqualTo(EnsureResult.UNCHANGED);
    }

    @Test
    void macvtapBothWaysRandomModes(TestNamespaces nss) throws Exception {
        long seed = System.nanoTime();
        System.out.println("LinkDriverInteropTest.macvtapBothWaysRandomModes seed=" + seed);
        Random rnd = new Random(seed);
        List<Integer> modes = List.copyOf(MODES.keySet());
        NetNs ns = nss.create("h1");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().register(MACVTAP);
        nl.links().add(Veth.builder().name("low0").peer("low1").build());

        for (int i = 0; i < 4; i++) {
            int mode = modes.get(rnd.nextInt(modes.size()));
            String mine = "tapA" + i;
            nl.links().add(CustomLink.builder(MACVTAP).name(mine).parent("low0").data(new Macvtap(mode)).build());
            assertThat(Json.path(show(n, mine), "linkinfo", "info_kind")).as("seed %d", seed).isEqualTo("macvtap");
            assertThat(info(n, mine, "mode")).as("seed %d", seed).isEqualTo(MODES.get(mode));
            assertThat(Json.path(show(n, mine), "link")).isEqualTo("low0");

            int theirMode = modes.get(rnd.nextInt(modes.size()));
            String theirs = "tapB" + i;
            ip(n, "link", "add", "link", "low0", "name", theirs, "type", "macvtap", "mode", MODES.get(theirMode));
            @SuppressWarnings("unchecked")
            CustomLink<Macvtap> back = (CustomLink<Macvtap>) nl.links().get(theirs);
            assertThat(back.data()).as("seed %d", seed).isEqualTo(new Macvtap(theirMode));
            assertThat(back.parent()).isEqualTo("low0");
            CustomLink<Macvtap> want = CustomLink.builder(MACVTAP).name(mine).parent("low0").data(new Macvtap(mode)).build();
            assertThat(want.differences(nl.links().get(mine))).as("seed %d", seed).isEmpty();
            assertThat(want.toBuilder().data(new Macvtap(mode == 1 ? 4 : 1)).build().differences(nl.links().get(mine)))
                    .as("seed %d", seed).containsExactly("data");
        }
    }

    @Test
    void modelledKindsAndSecondDriversAreRefused(TestNamespaces nss) throws Exception {
        Netlink nl = nss.netlink(nss.create("h1"));
        assertThatThrownBy(() -> nl.links().register(LinkDriver.of("vxlan", (d, o) -> { }, in -> 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vxlan is modelled");
        nl.links().register(IFB).register(IFB);
        assertThatThrownBy(() -> nl.links().register(LinkDriver.of("ifb", (d, o) -> { }, in -> 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has a driver");
    }
}
