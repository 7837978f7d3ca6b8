package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Address;
import dev.overlaynet.AddressFlag;
import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Fdb;
import dev.overlaynet.FdbState;
import dev.overlaynet.Link;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Macvlan;
import dev.overlaynet.MacvlanMode;
import dev.overlaynet.Neigh;
import dev.overlaynet.NeighFlag;
import dev.overlaynet.NeighState;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.RouteProtocol;
import dev.overlaynet.RouteType;
import dev.overlaynet.Scope;
import dev.overlaynet.Veth;
import dev.overlaynet.Vlan;
import dev.overlaynet.Vxlan;
import dev.overlaynet.VxlanDf;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 defect 6: for random values of every link kind, and of addresses,
 * routes, neighbours and FDB entries, a second identical {@code ensure}
 * reports UNCHANGED and sends no mutating message. Fixed, printed seed;
 * reproduce with {@code -Didempotence.seed=N}.
 */
@ExtendWith(NetnsExtension.class)
class EnsureIdempotenceTest {
    private static final int ROUNDS = Integer.getInteger("idempotence.rounds", 25);

    private Random rnd;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, int[]> tally = new LinkedHashMap<>(); // kind -> {unchanged, refusedFirst}

    private interface Ensure {
        EnsureResult run() throws Exception;
    }

    /** Ensures twice; the second must be UNCHANGED and send nothing. */
    private void twice(Netlink nl, String kind, Object value, Ensure e) throws Exception {
        int[] t = tally.computeIfAbsent(kind, k -> new int[2]);
        try {
            e.run();
        } catch (IllegalArgumentException | IllegalStateException | dev.overlaynet.netlink.NetlinkException first) {
            // A random value the kernel or the library refuses is not an idempotence question; count it.
            t[1]++;
            System.out.println("  first ensure refused (" + kind + "): " + first.getMessage() + " for " + value);
            return;
        }
        long before = MutationCount.of(nl);
        EnsureResult second;
        try {
            second = e.run();
        } catch (Exception ex) {
            failures.add(kind + " second ensure threw " + ex + " for " + value);
            return;
        }
        long sent = MutationCount.of(nl) - before;
        if (second != EnsureResult.UNCHANGED || sent != 0) {
            failures.add(kind + " second ensure " + second + ", " + sent + " mutating messages, for " + value);
        } else {
            t[0]++;
        }
    }

    private boolean coin() {
        return rnd.nextBoolean();
    }

    private int between(int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }

    private MacAddress mac() {
        byte[] b = new byte[6];
        rnd.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfe) | 0x02);
        return MacAddress.of(b);
    }

    private Duration centis(int loSeconds, int hiSeconds) {
        return Duration.ofMillis(10L * between(loSeconds * 100, hiSeconds * 100));
    }

    private <B extends Link.Builder<?, B>> B common(B b, boolean master) {
        if (coin()) {
            b.address(mac());
        }
        if (coin()) {
            b.linkGroup(between(0, 1000));
        }
        if (coin()) {
            b.txQueueLength(between(0, 5000));
        }
        if (coin()) {
            b.alias("alias-" + rnd.nextInt(100000));
        }
        if (coin()) {
            b.up(coin());
        }
        if (master && coin()) {
            b.master("brm");
        }
        return b;
    }

    @Test
    void secondIdenticalEnsureIsUnchangedAndSendsNothing(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("idempotence.seed", System.nanoTime());
        System.out.println("EnsureIdempotenceTest seed " + seed + " (-Didempotence.seed=" + seed + ")");
        rnd = new Random(seed);
        NetNs ns = nss.create("idem");
        String n = nss.nameOf(ns);
        Netlink nl = nss.netlink(ns);
        Oracle.run("ip", "-n", n, "link", "add", "ul0", "type", "veth", "peer", "name", "ul0p");
        Oracle.run("ip", "-n", n, "link", "set", "ul0", "up");
        Oracle.run("ip", "-n", n, "addr", "add", "10.200.0.1/16", "dev", "ul0");
        Oracle.run("ip", "-n", n, "addr", "add", "fd00:200::1/64", "dev", "ul0", "nodad");
        for (String br : new String[] {"brm", "ab0", "rb0", "nb0", "fb0"}) {
            Oracle.run("ip", "-n", n, "link", "add", br, "type", "bridge");
            Oracle.run("ip", "-n", n, "link", "set", br, "up");
        }
        Oracle.run("ip", "-n", n, "addr", "add", "10.250.0.1/16", "dev", "rb0");
        Oracle.run("ip", "-n", n, "addr", "add", "fd00:250::1/64", "dev", "rb0", "nodad");
        // Kinds whose module this kernel may lack (the CI kernel has neither dummy nor 8021q).
        boolean dummy = Oracle.exec("ip", "-n", n, "link", "add", "dtest", "type", "dummy").ok();
        boolean vlan = Oracle.exec("ip", "-n", n, "link", "add", "link", "ul0", "name", "vtest", "type", "vlan", "id", "9").ok();
        System.out.println("EnsureIdempotenceTest: dummy " + (dummy ? "" : "not ") + "available, vlan "
                + (vlan ? "" : "not ") + "available");

        for (int i = 0; i < ROUNDS; i++) {
            bridge(nl, i);
            vxlan(nl, i);
            veth(nl, i);
            Oracle.run("ip", "-n", n, "link", "add", "mp" + i, "type", "bridge");
            macvlan(nl, i);
            if (vlan) {
                vlan(nl, i);
            }
            if (dummy) {
                Link d = common(dev.overlaynet.Dummy.builder().name("d" + i).mtu(between(1280, 9000)), true).build();
                twice(nl, "dummy", d, () -> nl.links().ensure(d));
            }
            address(nl, i);
            route(nl, i);
            neighbour(nl, i);
        }
        fdb(nl, n);
        System.out.println("EnsureIdempotenceTest (kind: unchanged second ensures / first ensures refused): " + summary());
        assertThat(failures).as("seed " + seed).isEmpty();
        for (Map.Entry<String, int[]> e : tally.entrySet()) {
            assertThat(e.getValue()[0]).as(e.getKey() + ": most random values must be accepted, seed " + seed)
                    .isGreaterThan(e.getValue()[1]);
        }
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        tally.forEach((k, v) -> sb.append(k).append(' ').append(v[0]).append('/').append(v[1]).append("  "));
        return sb.toString();
    }

    private void bridge(Netlink nl, int i) throws Exception {
        Bridge.Builder b = common(Bridge.builder().name("b" + i), false);
        if (coin()) {
            b.helloTime(centis(1, 10));
        }
        if (coin()) {
            b.forwardDelay(centis(2, 30));
        }
        if (coin()) {
            b.maxAge(centis(6, 40));
        }
        if (coin()) {
            b.ageingTime(centis(10, 100000));
        }
        if (coin()) {
            b.priority(between(0, 65535));
        }
        if (coin()) {
            b.stp(coin());
        }
        if (coin()) {
            b.vlanProtocol(coin() ? 0x8100 : 0x88a8);
        }
        if (coin()) {
            b.vlanDefaultPvid(between(0, 4094));
        }
        if (coin()) {
            b.groupFwdMask(between(0, 0xffff) & ~0x7);
        }
        if (coin()) {
            int last = coin() ? 0 : between(4, 15);
            b.groupAddress(MacAddress.parse(String.format("01:80:c2:00:00:%02x", last)));
        }
        if (coin()) {
            b.mcastRouter(between(0, 2));
        }
        if (coin()) {
            b.mcastSnooping(coin());
        }
        if (coin()) {
            b.mcastQuerier(coin());
        }
        if (coin()) {
            b.nfCallIptables(coin());
        }
        if (coin()) {
            b.mcastIgmpVersion(between(2, 3));
        }
        if (coin()) {
            b.mcastMldVersion(between(1, 2));
        }
        if (coin()) {
            b.mtu(between(1280, 9000));
        }
        Bridge br = b.build();
        twice(nl, "bridge", br, () -> nl.links().ensure(br));
    }

    private void vxlan(Netlink nl, int i) throws Exception {
        boolean v6 = coin();
        Vxlan.Builder b = common(Vxlan.builder().name("x" + i), true);
        boolean device = coin();
        if (device) {
            b.device("ul0");
        }
        int mode = rnd.nextInt(4);
        if (mode == 0 && device) {
            b.group(v6 ? "ff05::" + Integer.toHexString(between(1, 0xffff)) : "239.1." + between(0, 255) + "." + between(1, 254));
        } else if (mode <= 2) {
            b.remote(v6 ? "fd00:300::" + Integer.toHexString(between(1, 0xffff)) : "10.201." + between(0, 255) + "." + between(1, 254));
        }
        if (coin()) {
            b.local(v6 ? "fd00:200::1" : "10.200.0.1");
        }
        if (rnd.nextInt(8) == 0) {
            // Metadata mode: one per port and family, so a port of its own.
            b.external(true).dstPort(20000 + i);
            if (coin()) {
                b.vnifilter(true);
            }
        } else {
            b.vni(100000 + i).dstPort(coin() ? 4789 : between(1024, 65535));
        }
        if (coin()) {
            if (coin()) {
                b.ttlInherit(true);
            } else {
                b.ttl(between(0, 255));
            }
        }
        if (coin()) {
            b.tos(between(0, 255));
        }
        if (coin()) {
            b.df(VxlanDf.values()[rnd.nextInt(3)]);
        }
        if (coin()) {
            b.learning(coin());
        }
        if (coin()) {
            b.proxy(coin());
        }
        if (coin()) {
            b.l2miss(coin());
        }
        if (coin()) {
            b.l3miss(coin());
        }
        if (coin()) {
            b.udpCsum(coin());
        }
        if (coin()) {
            b.rsc(coin());
        }
        if (coin()) {
            b.gbp(true);
        }
        if (coin()) {
            b.remcsumTx(coin()).remcsumRx(coin());
        }
        if (coin()) {
            b.ageing(between(0, 100000));
        }
        if (coin()) {
            b.limit(between(0, 10000));
        }
        if (coin()) {
            int lo = between(1, 65535);
            b.srcPortRange(lo, between(lo, 65535));
        }
        Vxlan probe = b.build();
        boolean probeV6 = probe.group() instanceof java.net.Inet6Address || probe.remote() instanceof java.net.Inet6Address
                || probe.local() instanceof java.net.Inet6Address;
        if (probeV6 && coin()) {
            b.label(between(0, 0xfffff));
            b.udp6ZeroCsumTx(coin()).udp6ZeroCsumRx(coin());
        }
        if (coin()) {
            b.mtu(device ? between(1280, 1500 - (probeV6 ? 70 : 50)) : between(1280, 9000));
        }
        Vxlan vx = b.build();
        twice(nl, "vxlan" + (probeV6 ? "6" : "4"), vx, () -> nl.links().ensure(vx));
    }

    private void veth(Netlink nl, int i) throws Exception {
        Veth.Builder b = common(Veth.builder().name("v" + i).peer("vp" + i), true);
        if (coin()) {
            b.mtu(between(1280, 9000));
        }
        if (coin()) {
            b.peerAddress(mac());
        }
        if (coin()) {
            b.peerMtu(between(1280, 9000));
        }
        Veth v = b.build();
        twice(nl, "veth", v, () -> nl.links().ensure(v));
    }

    private void macvlan(Netlink nl, int i) throws Exception {
        MacvlanMode mode = MacvlanMode.values()[rnd.nextInt(MacvlanMode.values().length)];
        Macvlan.Builder b = common(Macvlan.builder().name("m" + i).parent("mp" + i).mode(mode), false);
        if (mode == MacvlanMode.PASSTHRU) {
            b.address((MacAddress) null);
            if (coin()) {
                b.macvlanFlags(dev.overlaynet.netlink.route.IfLink.MACVLAN_FLAG_NOPROMISC);
            }
        }
        if (coin()) {
            b.mtu(between(1280, 1500));
        }
        Macvlan m = b.build();
        twice(nl, "macvlan", m, () -> nl.links().ensure(m));
    }

    private void vlan(Netlink nl, int i) throws Exception {
        Vlan.Builder b = common(Vlan.builder().name("vl" + i).parent("mp" + i).id(between(1, 4094))
                .protocol(coin() ? 0x8100 : 0x88a8), true);
        if (coin()) {
            b.mtu(between(1280, 1500));
        }
        Vlan v = b.build();
        twice(nl, "vlan", v, () -> nl.links().ensure(v));
    }

    private void address(Netlink nl, int i) throws Exception {
        boolean v4 = coin();
        Address.Builder b = Address.builder().link("ab0");
        Set<AddressFlag> flags = EnumSet.noneOf(AddressFlag.class);
        if (v4) {
            int len = between(8, 30);
            b.prefix("10." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254) + "/" + len);
            if (coin()) {
                b.scope(new Scope[] {Scope.UNIVERSE, Scope.SITE, Scope.LINK, Scope.HOST}[rnd.nextInt(4)]);
            }
            if (coin()) {
                b.label(coin() ? "ab0" : "ab0:" + rnd.nextInt(1000));
            }
            if (coin()) {
                b.peer("10.254." + between(0, 255) + "." + between(1, 254));
            }
            if (coin()) {
                flags.add(AddressFlag.NOPREFIXROUTE);
            }
            if (coin()) {
                flags.add(AddressFlag.HOMEADDRESS); // the kernel drops it on IPv4
            }
        } else {
            int len = coin() ? 64 : between(48, 128);
            b.prefix("fd00:" + Integer.toHexString(between(1, 0xffff)) + "::" + Integer.toHexString(between(1, 0xffff)) + "/" + len);
            for (AddressFlag f : new AddressFlag[] {AddressFlag.NODAD, AddressFlag.HOMEADDRESS, AddressFlag.NOPREFIXROUTE,
                    AddressFlag.OPTIMISTIC}) {
                if (coin()) {
                    flags.add(f);
                }
            }
            if (len == 64 && coin()) {
                flags.add(AddressFlag.MANAGETEMPADDR);
            }
        }
        b.flags(flags);
        if (coin()) {
            long valid = between(100, 100000);
            b.validLifetime(valid).preferredLifetime((long) between(0, (int) valid));
        }
        Address a = b.build();
        twice(nl, "address" + (v4 ? "4" : "6"), a, () -> nl.addresses().ensure(a));
    }

    private void route(Netlink nl, int i) throws Exception {
        boolean v4 = coin();
        Route.Builder b = Route.builder();
        if (v4) {
            b.dst("172." + between(16, 31) + "." + between(0, 255) + ".0/24");
        } else {
            b.dst("fd10:" + Integer.toHexString(between(1, 0xffff)) + "::/64");
        }
        int shape = rnd.nextInt(3);
        if (shape == 0) {
            b.via(v4 ? "10.250." + between(0, 255) + "." + between(2, 254) : "fd00:250::" + Integer.toHexString(between(2, 0xffff)));
            if (coin()) {
                b.dev("rb0");
            }
        } else if (shape == 1) {
            b.dev("rb0");
            if (v4 && coin()) {
                b.scope(Scope.LINK);
            }
            if (v4 && coin()) {
                b.src("10.250.0.1");
            }
        } else {
            b.type(new RouteType[] {RouteType.BLACKHOLE, RouteType.UNREACHABLE, RouteType.PROHIBIT}[rnd.nextInt(3)]);
        }
        if (coin()) {
            b.table(between(100, 5000));
        }
        if (coin()) {
            b.metric((long) between(0, 10000));
        }
        if (coin()) {
            b.protocol(coin() ? RouteProtocol.STATIC : RouteProtocol.of(between(5, 250)));
        }
        Route r = b.build();
        twice(nl, "route" + (v4 ? "4" : "6"), r, () -> nl.routes().ensure(r));
    }

    private void neighbour(Netlink nl, int i) throws Exception {
        boolean v4 = coin();
        Neigh.Builder b = Neigh.builder().dev("nb0")
                .ip(v4 ? "10.251." + between(0, 255) + "." + between(1, 254) : "fd00:251::" + Integer.toHexString(between(1, 0xffff)))
                .lladdr(mac());
        NeighState s = new NeighState[] {NeighState.PERMANENT, NeighState.NOARP, NeighState.REACHABLE, NeighState.STALE}[rnd.nextInt(4)];
        b.state(s);
        if (!v4 && coin()) {
            b.flags(NeighFlag.ROUTER);
        }
        Neigh ne = b.build();
        twice(nl, "neighbour" + (v4 ? "4" : "6"), ne, () -> nl.neighbours().ensure(ne));
    }

    private void fdb(Netlink nl, String n) throws Exception {
        Oracle.run("ip", "-n", n, "link", "add", "fx0", "type", "vxlan", "id", "77", "dstport", "4789", "nolearning");
        Oracle.run("ip", "-n", n, "link", "add", "fp0", "type", "veth", "peer", "name", "fp0p");
        Oracle.run("ip", "-n", n, "link", "set", "fp0", "master", "fb0");
        for (int i = 0; i < ROUNDS; i++) {
            Fdb.Builder b = Fdb.builder().dev("fx0").flags(NeighFlag.SELF)
                    .dst("10.202." + between(0, 255) + "." + between(1, 254));
            b.mac(i % 4 == 0 ? MacAddress.ZERO : mac());
            if (coin()) {
                b.port(between(1, 65535));
            }
            if (coin()) {
                b.vni(between(1, 0xffffff));
            }
            if (coin()) {
                b.state(coin() ? FdbState.PERMANENT : FdbState.STATIC);
            }
            Fdb f = b.build();
            twice(nl, "fdb-vxlan", f, () -> nl.fdb().ensure(f));

            Fdb.Builder p = Fdb.builder().dev("fp0").mac(mac());
            if (coin()) {
                p.flags(NeighFlag.MASTER, NeighFlag.STICKY).state(FdbState.STATIC);
            } else {
                p.flags(NeighFlag.MASTER).state(coin() ? FdbState.PERMANENT : FdbState.STATIC);
            }
            Fdb pf = p.build();
            twice(nl, "fdb-bridge", pf, () -> nl.fdb().ensure(pf));
        }
    }
}
