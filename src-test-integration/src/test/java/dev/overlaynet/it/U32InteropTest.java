package dev.overlaynet.it;

import static dev.overlaynet.it.LinkOracle.info;
import static dev.overlaynet.it.LinkOracle.ip;
import static dev.overlaynet.it.LinkOracle.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Routes;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The u32 link attributes over their whole range, both ways against
 * {@code ip -d -j link}: IFLA_VXLAN_AGEING, IFLA_VXLAN_LIMIT, IFLA_TXQLEN and
 * IFLA_GROUP, with 0, 2^31-1, 2^31, 2^32-1 and seeded random values; and
 * RTA_TABLE the same way against {@code ip -j route show table all}.
 *
 * <p>Two iproute2 6.1 limits shape the test: {@code ip link} parses
 * {@code txqueuelen} and {@code group} as an int (it refuses 2^31 and up), so
 * values above 2^31-1 are written through sysfs ({@code tx_queue_len},
 * {@code netdev_group}, inside the namespace) instead; and {@code ip -j}
 * prints those two with {@code %d}, so its number is read back as the u32 it
 * is ({@code -1} is 4294967295).
 */
@ExtendWith(NetnsExtension.class)
class U32InteropTest {
    private static final long SEED = Long.getLong("overlaynet.seed", 20261129L);
    private static final long INT_MAX = 0x7fffffffL;

    private static List<Long> values() {
        List<Long> v = new ArrayList<>(List.of(0L, INT_MAX, 0x80000000L, 0xffffffffL));
        Random r = new Random(SEED);
        for (int i = 0; i < 6; i++) {
            v.add(r.nextLong() & 0xffffffffL);
        }
        return v;
    }

    /**
     * ip 6.1 prints IFLA_TXQLEN and IFLA_GROUP with %d, group 0 as "default",
     * and leaves txqlen and the vxlan limit out when they are 0: the u32 they stand for.
     */
    private static long ipU32(Object printed) {
        if (printed == null || "default".equals(printed)) {
            return 0;
        }
        long n = printed instanceof Long l ? l : Long.parseLong(printed.toString());
        assertThat(n).as("ip printed %s", printed).isBetween(Integer.MIN_VALUE + 0L, 0xffffffffL);
        return n & 0xffffffffL;
    }

    /** The kernel keeps no ageing 0: vxlan_config_apply puts FDB_AGE_DEFAULT (300 s) in its place, on add and change. */
    private static long kernelAgeing(long a) {
        return a == 0 ? 300 : a;
    }

    private static void sysfs(String ns, String dev, String file, long v) throws Exception {
        Oracle.Result r = Oracle.execIn(ns, "sh", "-c", "echo " + v + " > /sys/class/net/" + dev + "/" + file);
        assertThat(r.ok()).as("write %d to %s/%s: %s", v, dev, file, r.stderr()).isTrue();
    }

    @Test
    void valuesIpSetsDecodeExactly(TestNamespaces nss) throws Exception {
        System.out.println("U32InteropTest seed " + SEED + " (-Doverlaynet.seed=N to repeat)");
        NetNs ns = nss.create("i");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        List<Long> vs = values();
        for (int i = 0; i < vs.size(); i++) {
            long a = vs.get(i);
            long b = vs.get(vs.size() - 1 - i);
            String vx = "vx" + i;
            ip(n, "link", "add", vx, "type", "vxlan", "id", "" + (i + 1), "dstport", "4789",
                    "ageing", "" + a, "maxaddress", "" + b);
            assertThat(info(n, vx, "ageing")).as("ip's own view of ageing").isEqualTo(kernelAgeing(a));
            assertThat(ipU32(info(n, vx, "limit"))).as("ip's own view of maxaddress").isEqualTo(b);
            Vxlan got = (Vxlan) nl.links().get(vx);
            assertThat(got.ageing()).as("ageing %d", a).isEqualTo(kernelAgeing(a));
            assertThat(got.limit()).as("limit %d", b).isEqualTo(b);
            assertThat(got.toString()).contains(" ageing " + kernelAgeing(a), " maxaddress " + b);
            assertThat(got.toBuilder().build().differences(got)).isEmpty();

            String br = "br" + i;
            ip(n, "link", "add", br, "type", "bridge");
            if (b <= INT_MAX) {
                ip(n, "link", "set", br, "txqueuelen", "" + b);
            } else {
                sysfs(n, br, "tx_queue_len", b);
            }
            if (a <= INT_MAX) {
                ip(n, "link", "set", br, "group", "" + a);
            } else {
                sysfs(n, br, "netdev_group", a);
            }
            Map<?, ?> j = show(n, br);
            assertThat(ipU32(Json.path(j, "txqlen"))).as("ip's own view of txqlen").isEqualTo(b);
            assertThat(ipU32(Json.path(j, "group"))).as("ip's own view of group").isEqualTo(a);
            Link l = nl.links().get(br);
            assertThat(l.txQueueLength()).as("txQueueLength %d", b).isEqualTo(b);
            assertThat(l.linkGroup()).as("linkGroup %d", a).isEqualTo(a);
            assertThat(l.toString()).contains(" qlen " + b, " group " + a);
            assertThat(l.toBuilder().build().differences(l)).isEmpty();
        }
    }

    @Test
    void valuesTheLibrarySetsShowExactlyInIp(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("l");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        List<Long> vs = values();
        for (int i = 0; i < vs.size(); i++) {
            long a = vs.get(i);
            long b = vs.get(vs.size() - 1 - i);
            String vx = "vx" + i;
            Vxlan want = Vxlan.builder().name(vx).vni(i + 1).ageing(a).limit(b).txQueueLength(b).linkGroup(a).build();
            nl.links().add(want);
            assertThat(info(n, vx, "ageing")).as("ageing %d", a).isEqualTo(kernelAgeing(a));
            assertThat(ipU32(info(n, vx, "limit"))).as("limit %d", b).isEqualTo(b);
            Map<?, ?> j = show(n, vx);
            assertThat(ipU32(Json.path(j, "txqlen"))).as("txqlen %d", b).isEqualTo(b);
            assertThat(ipU32(Json.path(j, "group"))).as("group %d", a).isEqualTo(a);
            // read back, it is what was asked for (ageing 0 too): ensure has nothing to do
            assertThat(want.differences(nl.links().get(vx))).isEmpty();
            assertThat(nl.links().ensure(want)).as("ensure of %s", want).isEqualTo(EnsureResult.UNCHANGED);
            Vxlan asKept = want.toBuilder().ageing(kernelAgeing(a)).build();
            assertThat(asKept.differences(nl.links().get(vx))).isEmpty();

            // changed in place, through ensure and through setGroup, to the mirror values
            long c = 0xffffffffL - a;
            assertThat(nl.links().ensure(asKept.toBuilder().ageing(kernelAgeing(c)).txQueueLength(c).build()))
                    .isIn(EnsureResult.CHANGED, EnsureResult.UNCHANGED); // UNCHANGED when c is what was there
            assertThat(info(n, vx, "ageing")).as("ageing %d after ensure", c).isEqualTo(kernelAgeing(c));
            assertThat(ipU32(Json.path(show(n, vx), "txqlen"))).as("txqlen %d after ensure", c).isEqualTo(c);
            nl.links().setGroup(vx, c);
            assertThat(ipU32(Json.path(show(n, vx), "group"))).as("group %d after setGroup", c).isEqualTo(c);
            assertThat(nl.links().get(vx).linkGroup()).isEqualTo(c);
        }
        // a group above 2^31-1 can be deleted as one (every vxlan now has group 2^32-1-a)
        long big = 0xffffffffL - 0x80000000L; // = 2^31-1 from a = 2^31: the mirror of the third value
        assertThat(nl.links().get("vx2").linkGroup()).isEqualTo(big);
        nl.links().setGroup("vx2", 0xfffffffeL);
        nl.links().deleteGroup(0xfffffffeL);
        assertThat(Oracle.exec("ip", "-n", n, "link", "show", "dev", "vx2").ok()).as("vx2 deleted by its group").isFalse();
        assertThat(Oracle.exec("ip", "-n", n, "link", "show", "dev", "vx3").ok()).isTrue();
    }

    @Test
    void outOfRangeIsRefusedNamingTheFieldAndNothingIsCreated(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("o");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        nl.links().add(Bridge.builder().name("br0").linkGroup(0x80000000L).build());
        List<String> before = names(nl);
        for (long bad : new long[] {-1L, 0x1_0000_0000L}) {
            assertThatThrownBy(() -> nl.links().add(Vxlan.builder().name("vxbad").vni(7).ageing(bad).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ageing " + bad);
            assertThatThrownBy(() -> nl.links().add(Vxlan.builder().name("vxbad").vni(7).limit(bad).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit " + bad);
            assertThatThrownBy(() -> nl.links().add(Vxlan.builder().name("vxbad").vni(7).txQueueLength(bad).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txQueueLength " + bad);
            assertThatThrownBy(() -> nl.links().add(Bridge.builder().name("brbad").linkGroup(bad).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linkGroup " + bad);
            assertThatThrownBy(() -> nl.links().setGroup("br0", bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group " + bad);
            assertThatThrownBy(() -> nl.links().deleteGroup(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group " + bad);
        }
        assertThat(names(nl)).isEqualTo(before);
        assertThat(Oracle.exec("ip", "-n", n, "link", "show", "dev", "vxbad").ok()).isFalse();
        assertThat(Oracle.exec("ip", "-n", n, "link", "show", "dev", "brbad").ok()).isFalse();
        assertThat(ipU32(Json.path(show(n, "br0"), "group"))).as("br0's group untouched").isEqualTo(0x80000000L);
    }

    @Test
    void routeTablesOverTheWholeRange(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("r");
        Netlink nl = nss.netlink(ns);
        String n = nss.nameOf(ns);
        ip(n, "link", "add", "br0", "type", "bridge");
        ip(n, "link", "set", "br0", "up");
        List<Long> vs = values();
        for (int i = 0; i < vs.size(); i++) {
            long v = vs.get(i);
            if (v == 0 || (v >= 253 && v <= 255)) {
                continue; // 0 is RT_TABLE_UNSPEC; 253..255 are default, main and local
            }
            String byIp = "10.70." + i + ".0/24";
            ip(n, "route", "add", byIp, "dev", "br0", "table", "" + v);
            Route got = only(nl.routes().list(null, v), byIp);
            assertThat(got.table()).as("table %d", v).isEqualTo(v);
            assertThat(only(nl.routes().list(null, Routes.ALL_TABLES), byIp).table()).as("table %d in a dump of all", v)
                    .isEqualTo(v);

            String byLibrary = "10.71." + i + ".0/24";
            nl.routes().add(Route.builder().dst(byLibrary).dev("br0").table(v).build());
            assertThat(ipTableOf(n, byLibrary)).as("ip's table of %s", byLibrary).isEqualTo(Long.toString(v));
        }
        for (long bad : new long[] {-1L, 0x1_0000_0000L}) {
            assertThatThrownBy(() -> nl.routes().add(Route.builder().dst("10.72.0.0/24").dev("br0").table(bad).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table " + bad);
            assertThatThrownBy(() -> nl.routes().list(null, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("table " + bad);
        }
        assertThat(ipTableOf(n, "10.72.0.0/24")).as("nothing added").isNull();
    }

    private static Route only(List<Route> routes, String dst) {
        List<Route> m = routes.stream().filter(r -> r.dst().toString().equals(dst)).toList();
        assertThat(m).as("routes to %s", dst).hasSize(1);
        return m.get(0);
    }

    /** The table {@code ip -j route show table all} gives the route to {@code dst}, or null when there is none. */
    private static String ipTableOf(String ns, String dst) throws Exception {
        for (Object o : (List<?>) Oracle.json("ip", "-n", ns, "-j", "route", "show", "table", "all")) {
            Map<?, ?> r = (Map<?, ?>) o;
            if (dst.equals(r.get("dst"))) {
                return String.valueOf(r.get("table"));
            }
        }
        return null;
    }

    private static List<String> names(Netlink nl) throws Exception {
        List<String> out = new ArrayList<>();
        for (Link l : nl.links().list()) {
            out.add(l.name());
        }
        return out;
    }
}
