package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.IpPrefix;
import dev.overlaynet.NamedSet;
import dev.overlaynet.NamedSets;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.Nftables;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.PortRange;
import dev.overlaynet.SetNotOwnedException;
import dev.overlaynet.SetType;
import dev.overlaynet.TableNotOwnedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Named sets through the typed API ({@link NamedSets}) against nft 1.0.6,
 * both directions, with {@code nft -j list set} as the oracle: what the
 * library writes lists in nft exactly as the elements given, what nft writes
 * reads back exactly, element changes and the rules using a set go in one
 * transaction, and sets or tables the library does not own are left alone.
 * Random elements from a printed seed ({@code -Dnamedsets.seed=N}); expected
 * values are computed here with BigInteger arithmetic, not by the library.
 */
@ExtendWith(NetnsExtension.class)
class NamedSetsInteropTest {
    private static Random random(String test) {
        long seed = Long.getLong("namedsets.seed", System.nanoTime());
        System.out.println("NamedSetsInteropTest." + test + " seed " + seed + " (rerun with -Dnamedsets.seed=" + seed + ")");
        return new Random(seed);
    }

    // ---- test-side model: prefixes as [first, last] numbers, no library code ------------

    private record Range(BigInteger first, BigInteger last) {}

    private static BigInteger num(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    private static Range range(IpPrefix p) {
        int bits = p.address().getAddress().length * 8;
        BigInteger size = BigInteger.ONE.shiftLeft(bits - p.length());
        BigInteger first = num(p.address()).divide(size).multiply(size);
        return new Range(first, first.add(size).subtract(BigInteger.ONE));
    }

    private static InetAddress addr(BigInteger v, int bytes) throws Exception {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        return bytes == 16 ? Inet6Address.getByAddress(null, out, null) : InetAddress.getByAddress(out);
    }

    /**
     * {@code n} random prefixes (starting with {@code edges}) no two of which
     * overlap or touch, so that nft lists each one as it was given.
     */
    static List<IpPrefix> disjoint(Random rnd, int n, boolean v4, List<String> edges) throws Exception {
        int bytes = v4 ? 4 : 16;
        int bits = bytes * 8;
        List<IpPrefix> out = new ArrayList<>();
        List<Range> taken = new ArrayList<>();
        List<IpPrefix> candidates = new ArrayList<>();
        edges.forEach(e -> candidates.add(IpPrefix.parse(e)));
        for (int tries = 0; out.size() < n && tries < n * 50; tries++) {
            IpPrefix p;
            if (tries < candidates.size()) {
                p = candidates.get(tries);
            } else {
                byte[] a = new byte[bytes];
                rnd.nextBytes(a);
                int len = rnd.nextInt(4) == 0 ? bits : (v4 ? 8 + rnd.nextInt(24) : 16 + rnd.nextInt(112));
                p = IpPrefix.of(bytes == 16 ? Inet6Address.getByAddress(null, a, null) : InetAddress.getByAddress(a), len);
            }
            Range r = range(p);
            boolean free = taken.stream().noneMatch(t -> r.first().compareTo(t.last().add(BigInteger.ONE)) <= 0
                    && t.first().compareTo(r.last().add(BigInteger.ONE)) <= 0);
            if (free) {
                taken.add(r);
                out.add(IpPrefix.of(addr(r.first(), bytes), p.length()));
            }
        }
        return out;
    }

    private static List<IpPrefix> sorted(List<IpPrefix> l) {
        List<IpPrefix> s = new ArrayList<>(l);
        s.sort(Comparator.comparing(p -> num(p.address())));
        return s;
    }

    /** Whether the lowest prefix starts at address 0 (then nft writes no lone end element at 0). */
    private static boolean startsAtZero(List<IpPrefix> l) {
        return l.stream().anyMatch(p -> range(p).first().signum() == 0);
    }

    private static List<String> texts(List<IpPrefix> l) {
        return l.stream().map(IpPrefix::toString).toList();
    }

    /** The set object of {@code nft -j list set}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> nftSet(String ns, String family, String set) throws Exception {
        Oracle.Result r = Oracle.execIn(ns, "nft", "-j", "list", "set", family, "overlaynet", set);
        assertThat(r.ok()).as(r.stderr()).isTrue();
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.stdout().strip());
        for (Object o : (List<Object>) root.get("nftables")) {
            if (((Map<String, Object>) o).get("set") instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        }
        throw new AssertionError("no set in " + r.stdout());
    }

    /** The elements nft lists, as text: {@code a/len} for every address (nft omits /32 and /128), {@code p} or {@code lo-hi} for ports. */
    @SuppressWarnings("unchecked")
    private static List<String> nftElements(String ns, String family, String set) throws Exception {
        Map<String, Object> s = nftSet(ns, family, set);
        List<String> out = new ArrayList<>();
        for (Object e : (List<Object>) s.getOrDefault("elem", List.of())) {
            if (e instanceof String a) {
                out.add(IpPrefix.parse(a).toString());
            } else if (e instanceof Long p) {
                out.add(Long.toString(p));
            } else if (e instanceof Map<?, ?> m && m.get("prefix") instanceof Map<?, ?> pf) {
                out.add(IpPrefix.of(InetAddress.getByName((String) pf.get("addr")), ((Long) pf.get("len")).intValue()).toString());
            } else if (e instanceof Map<?, ?> m && m.get("range") instanceof List<?> rg) {
                out.add(rg.get(0) + "-" + rg.get(1));
            } else {
                throw new AssertionError("unexpected element " + e);
            }
        }
        return out;
    }

    private static List<String> portTexts(List<PortRange> l) {
        return l.stream().map(r -> r.low() == r.high() ? Integer.toString(r.low()) : r.low() + "-" + r.high()).toList();
    }

    // ---- library -> nft ------------------------------------------------------------------

    @Test
    void libraryWrittenSetsListInNftExactly(TestNamespaces nss) throws Exception {
        Random rnd = random("libraryWrittenSetsListInNftExactly");
        NetNs ns = nss.create("lib");
        Netlink nl = nss.netlink(ns);
        for (Nftables nft : List.of(nl.nftables(), nl.nftables().inet())) {
            String fam4 = nft.isInet() ? "inet" : "ip";
            String fam6 = nft.isInet() ? "inet" : "ip6";
            NamedSets sets = nft.sets();
            List<List<String>> edges4 = List.of(List.of("0.0.0.0/1", "255.255.255.255/32"),
                    List.of("0.0.0.0/32", "128.0.0.0/1"), List.of("0.0.0.0/0"), List.of());
            List<List<String>> edges6 = List.of(List.of("::/1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"),
                    List.of("::/128", "8000::/1"), List.of("::/0"), List.of());
            for (int round = 0; round < edges4.size(); round++) {
                List<IpPrefix> v4 = disjoint(rnd, 1 + rnd.nextInt(300), true, edges4.get(round));
                List<IpPrefix> v6 = disjoint(rnd, 1 + rnd.nextInt(150), false, edges6.get(round));
                Collections.shuffle(v4, rnd);
                NamedSet s4 = NamedSet.ipv4("ex4").prefixes(v4).build();
                NamedSet s6 = NamedSet.ipv6("ex6").prefixes(v6).build();
                // The first round creates the sets, later ones change their contents in place.
                assertThat(sets.ensure(s4)).isPositive();
                assertThat(sets.ensure(s6)).isPositive();
                assertThat(nftElements(ns.name(), fam4, "ex4")).as("round " + round).isEqualTo(texts(sorted(v4)));
                assertThat(nftElements(ns.name(), fam6, "ex6")).as("round " + round).isEqualTo(texts(sorted(v6)));
                assertThat(nftSet(ns.name(), fam4, "ex4")).containsEntry("type", "ipv4_addr")
                        .containsEntry("comment", Nftables.OWNER_COMMENT).containsEntry("flags", List.of("interval"));
                assertThat(nftSet(ns.name(), fam6, "ex6")).containsEntry("type", "ipv6_addr");
                assertThat(sets.ensure(s4)).as("nothing left to change").isZero();
                assertThat(sets.get("ex4")).contains(s4);
                assertThat(sets.get("ex6")).contains(s6);
                assertThat(sets.get("ex4").orElseThrow().owned()).isTrue();
            }
            // Single addresses and ports.
            List<IpPrefix> hosts = new ArrayList<>();
            for (IpPrefix p : disjoint(rnd, 80, true, List.of("0.0.0.0", "255.255.255.255"))) {
                hosts.add(IpPrefix.of(p.address(), 32));
            }
            NamedSet single = NamedSet.builder().name("hosts").type(SetType.IPV4_ADDR).prefixes(hosts).build();
            assertThat(sets.ensure(single)).isEqualTo(1 + hosts.size());
            assertThat(nftElements(ns.name(), fam4, "hosts")).containsExactlyInAnyOrderElementsOf(texts(hosts));
            assertThat(nftSet(ns.name(), fam4, "hosts")).doesNotContainKey("flags");

            List<Integer> ports = new ArrayList<>(List.of(0, 65535));
            while (ports.size() < 40) {
                int p = rnd.nextInt(65536);
                if (!ports.contains(p)) {
                    ports.add(p);
                }
            }
            NamedSet web = NamedSet.ports("web").elements(ports.stream().map(String::valueOf).toList()).build();
            sets.ensure(web);
            assertThat(nftElements(ns.name(), fam4, "web")).containsExactlyInAnyOrderElementsOf(
                    ports.stream().map(String::valueOf).toList());
            assertThat(nftSet(ns.name(), fam4, "web")).containsEntry("type", "inet_service");
            assertThat(sets.get("web")).contains(web);

            NamedSet ranges = NamedSet.ports("svc").interval(true).elements("0-10", "22", "1000-2000", "65000-65535").build();
            sets.ensure(ranges);
            assertThat(nftElements(ns.name(), fam4, "svc")).containsExactly("0-10", "22", "1000-2000", "65000-65535");
            assertThat(sets.get("svc")).contains(ranges);
            assertThat(sets.list()).extracting(NamedSet::name).containsExactlyInAnyOrder("ex4", "ex6", "hosts", "web", "svc");

            for (String name : List.of("ex4", "ex6", "hosts", "web", "svc")) {
                assertThat(sets.delete(name)).isTrue();
            }
            assertThat(sets.list()).isEmpty();
            assertThat(sets.delete("ex4")).isFalse();
        }
    }

    @Test
    void addAndRemoveFollowTheModel(TestNamespaces nss) throws Exception {
        Random rnd = random("addAndRemoveFollowTheModel");
        NetNs ns = nss.create("addrm");
        NamedSets sets = nss.netlink(ns).nftables().sets();
        List<IpPrefix> pool = disjoint(rnd, 400, true, List.of("0.0.0.0/2", "255.255.255.254/31"));
        List<IpPrefix> model = new ArrayList<>();
        for (int step = 0; step < 12; step++) {
            List<IpPrefix> pick = new ArrayList<>();
            for (IpPrefix p : pool) {
                if (rnd.nextInt(4) == 0) {
                    pick.add(p);
                }
            }
            NamedSet delta = NamedSet.ipv4("ex").prefixes(pick).build();
            if (step % 3 == 2) {
                sets.remove(delta);
                model.removeAll(pick);
            } else {
                sets.add(delta);
                pick.stream().filter(p -> !model.contains(p)).forEach(model::add);
            }
            assertThat(nftElements(ns.name(), "ip", "ex")).as("step " + step).isEqualTo(texts(sorted(model)));
        }
        // Removing part of a prefix splits it, as nft delete element cannot.
        sets.ensure(NamedSet.ipv4("split").elements("10.0.0.0/8").build());
        sets.remove(NamedSet.ipv4("split").elements("10.1.0.0/16").build());
        assertThat(nftElements(ns.name(), "ip", "split")).containsExactly("10.0.0.0/16", "10.2.0.0-10.255.255.255");
        assertThat(texts(sets.get("split").orElseThrow().prefixes())).containsExactly("10.0.0.0/16", "10.2.0.0/15",
                "10.4.0.0/14", "10.8.0.0/13", "10.16.0.0/12", "10.32.0.0/11", "10.64.0.0/10", "10.128.0.0/9");
        // Adding a neighbour merges, as nft's auto-merge does.
        sets.add(NamedSet.ipv4("split").elements("10.1.0.0/16").build());
        assertThat(nftElements(ns.name(), "ip", "split")).containsExactly("10.0.0.0/8");
        // Ports.
        sets.add(NamedSet.ports("p").elements("80", "443").build());
        sets.add(NamedSet.ports("p").elements("22").build());
        sets.remove(NamedSet.ports("p").elements("80", "8080").build());
        assertThat(nftElements(ns.name(), "ip", "p")).containsExactlyInAnyOrder("22", "443");
        assertThat(sets.remove(NamedSet.ports("absent").elements("1").build())).isZero();
    }

    /**
     * Handles racing to add to (and then take out of) one set that does not
     * exist yet: the generation guard makes each re-read and decide again, so
     * the set is created once and ends up holding every thread's elements.
     */
    @Test
    void racingAddsAndRemovesLoseNothing(TestNamespaces nss) throws Exception {
        Random rnd = random("racingAddsAndRemovesLoseNothing");
        NetNs ns = nss.create("race");
        int threads = 4;
        List<IpPrefix> pool = disjoint(rnd, 400, true, List.of());
        List<List<IpPrefix>> parts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            parts.add(new ArrayList<>());
        }
        pool.forEach(p -> parts.get(rnd.nextInt(threads)).add(p));
        List<Netlink> handles = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            handles.add(nss.netlink(ns));
        }
        for (boolean adding : List.of(true, false)) {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            java.util.concurrent.ExecutorService exec = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                NamedSets sets = handles.get(i).nftables().sets();
                NamedSet mine = NamedSet.ipv4("shared").prefixes(parts.get(i)).build();
                done.add(exec.submit(() -> {
                    start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    while (true) {
                        try {
                            return adding ? sets.add(mine) : sets.remove(mine);
                        } catch (dev.overlaynet.netlink.ConcurrentRulesetChangeException e) {
                            // out of retries under this contention: the caller's remedy is to call again
                        }
                    }
                }));
            }
            for (var f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            exec.shutdown();
            assertThat(nftElements(ns.name(), "ip", "shared")).as(adding ? "after adds" : "after removes")
                    .isEqualTo(adding ? texts(sorted(pool)) : List.of());
        }
        assertThat(NftOracle.ruleset(ns.name()).split("set shared", -1)).as("one set").hasSize(2);
    }

    // ---- nft -> library ------------------------------------------------------------------

    @Test
    void nftWrittenSetsReadBackExactly(TestNamespaces nss) throws Exception {
        Random rnd = random("nftWrittenSetsReadBackExactly");
        NetNs ns = nss.create("nftw");
        Netlink nl = nss.netlink(ns);
        for (String family : List.of("ip", "inet")) {
            List<IpPrefix> v4 = disjoint(rnd, 1 + rnd.nextInt(200), true, List.of("0.0.0.0/1", "255.255.255.255/32"));
            List<IpPrefix> v6 = disjoint(rnd, 1 + rnd.nextInt(100), false, List.of());
            List<IpPrefix> hosts = new ArrayList<>();
            for (IpPrefix p : disjoint(rnd, 30, true, List.of())) {
                hosts.add(IpPrefix.of(p.address(), 32));
            }
            String t = "table " + family + " overlaynet {\n  comment \"managed by overlaynet\"\n"
                    + "  set a4 { type ipv4_addr; flags interval; comment \"theirs\"; elements = { "
                    + String.join(", ", texts(v4)) + " } }\n"
                    + "  set h4 { type ipv4_addr; elements = { "
                    + String.join(", ", hosts.stream().map(h -> h.address().getHostAddress()).toList()) + " } }\n"
                    + "  set p { type inet_service; elements = { 22, 80, 0, 65535 } }\n"
                    + "  set pr { type inet_service; flags interval; elements = { 7, 100-200, 60000-65535 } }\n"
                    + "  set adj { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 11.0.0.0/8, 192.0.2.1-192.0.2.5 } }\n"
                    + "  set empty { type ipv4_addr; flags interval; }\n"
                    + "  set mac { type ether_addr; }\n"
                    + "  set __odd { type ipv4_addr; elements = { 192.0.2.7 } }\n"
                    + "}\n";
            if (family.equals("ip")) {
                t += "table ip6 overlaynet {\n  comment \"managed by overlaynet\"\n  set a6 { type ipv6_addr; flags interval;"
                        + " elements = { " + String.join(", ", texts(v6)) + " } }\n}\n";
            } else {
                t = t.replace("  set empty", "  set a6 { type ipv6_addr; flags interval; elements = { "
                        + String.join(", ", texts(v6)) + " } }\n  set empty");
            }
            NftOracle.load(ns.name(), t);
            Nftables nft = family.equals("ip") ? nl.nftables() : nl.nftables().inet();
            NamedSets sets = nft.sets();

            NamedSet a4 = sets.get("a4").orElseThrow();
            assertThat(a4.type()).isEqualTo(SetType.IPV4_ADDR);
            assertThat(a4.interval()).isTrue();
            assertThat(a4.prefixes()).isEqualTo(sorted(v4));
            assertThat(a4.comment()).isEqualTo("theirs");
            assertThat(a4.owned()).isFalse();
            assertThat(a4.tableFamily()).isEqualTo(family);
            assertThat(sets.get("a6").orElseThrow().prefixes()).isEqualTo(sorted(v6));
            assertThat(sets.get("a6").orElseThrow().tableFamily()).isEqualTo(family.equals("ip") ? "ip6" : "inet");
            NamedSet h4 = sets.get("h4").orElseThrow();
            assertThat(h4.interval()).isFalse();
            assertThat(h4.prefixes()).isEqualTo(sorted(hosts));
            assertThat(portTexts(sets.get("p").orElseThrow().ports())).containsExactly("0", "22", "80", "65535");
            assertThat(portTexts(sets.get("pr").orElseThrow().ports())).containsExactly("7", "100-200", "60000-65535");
            // Adjacent prefixes nft keeps apart come back merged; a range comes back as the prefixes that cover it.
            assertThat(texts(sets.get("adj").orElseThrow().prefixes())).containsExactly("10.0.0.0/7", "192.0.2.1/32",
                    "192.0.2.2/31", "192.0.2.4/31");
            assertThat(sets.get("empty").orElseThrow().size()).isZero();
            assertThat(sets.get("mac")).as("a key type NamedSet does not model").isEmpty();
            // A name the library would not give a set is still read.
            assertThat(texts(sets.get("__odd").orElseThrow().prefixes())).containsExactly("192.0.2.7/32");
            assertThat(sets.list()).extracting(NamedSet::name)
                    .containsExactlyInAnyOrder("a4", "h4", "p", "pr", "adj", "empty", "a6", "__odd");
            // The same contents built from the text are equal to what was read.
            assertThat(a4).isEqualTo(NamedSet.ipv4("a4").elements(texts(v4)).build());
            nl.nftables().deleteTable();
            nl.nftables().inet().deleteTable();
        }
    }

    // ---- rules and sets in one transaction -------------------------------------------------

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ruleExprs(String ns) throws Exception {
        List<Map<String, Object>> rules = NftOracle.objects(ns, "rule");
        assertThat(rules).hasSize(1);
        return (List<Map<String, Object>>) rules.get(0).get("expr");
    }

    /** The {@code ip daddr != @set} match of the single rule, in nft -j's words. */
    @SuppressWarnings("unchecked")
    private static String lookedUpSet(String ns) throws Exception {
        for (Map<String, Object> e : ruleExprs(ns)) {
            if (e.get("match") instanceof Map<?, ?> m && "!=".equals(m.get("op"))
                    && Json.path(m, "left", "payload", "field") != null && "daddr".equals(Json.path(m, "left", "payload", "field"))
                    && m.get("right") instanceof String s && s.startsWith("@")) {
                return s.substring(1);
            }
        }
        return null;
    }

    @Test
    void ruleAndElementsChangeInOneTransaction(TestNamespaces nss) throws Exception {
        Random rnd = random("ruleAndElementsChangeInOneTransaction");
        NetNs ns = nss.create("txn");
        Nftables nft = nss.netlink(ns).nftables();
        List<IpPrefix> e1 = disjoint(rnd, 50, true, List.of());
        List<IpPrefix> e2 = disjoint(rnd, 60, true, List.of());
        NatRule rule = Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("t").build();

        // Set and the rule using it are created together (the set does not exist before).
        assertThat(nft.replace("t", List.of(rule), List.of(NamedSet.ipv4("excluded").prefixes(e1).build())))
                .isEqualTo(1 + e1.size() + (startsAtZero(e1) ? 0 : 1) + 1); // set, ranges, nft's lone end at 0, rule
        assertThat(lookedUpSet(ns.name())).isEqualTo("excluded");
        assertThat(nftElements(ns.name(), "ip", "excluded")).isEqualTo(texts(sorted(e1)));
        assertThat(NftOracle.ruleset(ns.name())).contains("ip daddr != @excluded masquerade comment \"t\"");

        // The kernel refuses the new rule (its set does not exist): the element change in the same batch is undone too.
        NatRule broken = Nat.masquerade("10.234.0.0/16").excludeDestinationsIn("missing").tag("t").build();
        assertThatThrownBy(() -> nft.replace("t", List.of(broken), List.of(NamedSet.ipv4("excluded").prefixes(e2).build())))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("ENOENT");
        assertThat(nftElements(ns.name(), "ip", "excluded")).isEqualTo(texts(sorted(e1)));
        assertThat(lookedUpSet(ns.name())).isEqualTo("excluded");
        assertThat(NftOracle.ruleset(ns.name())).contains("10.233.0.0/16").doesNotContain("10.234.0.0/16");

        // The rule reads back typed, and re-applying it (and the same set) changes nothing.
        List<OwnedRule> rules = nft.rules();
        assertThat(rules).hasSize(1);
        NatRule typed = rules.get(0).natRule().orElseThrow();
        assertThat(typed).isEqualTo(rule);
        assertThat(typed.excludedDestinationSetName()).isEqualTo("excluded");
        assertThat(nft.apply(rule)).isZero();
        assertThat(nft.replace("t", List.of(rule), List.of(NamedSet.ipv4("excluded").prefixes(e1).build()))).isZero();

        // Swap contents and rule together.
        NatRule rule2 = Nat.snat("10.233.0.0/16", "192.0.2.1").excludeDestinationsIn("excluded").tag("t").build();
        assertThat(nft.replace("t", List.of(rule2), List.of(NamedSet.ipv4("excluded").prefixes(e2).build()))).isPositive();
        assertThat(nftElements(ns.name(), "ip", "excluded")).isEqualTo(texts(sorted(e2)));
        assertThat(NftOracle.ruleset(ns.name())).contains("ip daddr != @excluded snat to 192.0.2.1");

        // The kernel keeps a set in use.
        assertThatThrownBy(() -> nft.sets().delete("excluded")).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("EBUSY");
        // A rule cannot look up a set of the other protocol (the kernel would take it and never match).
        Nftables inet = nss.netlink(ns).nftables().inet();
        inet.sets().ensure(NamedSet.ipv6("six").elements("fd00::/8").build());
        assertThatThrownBy(() -> inet.apply(Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("six").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("six").hasMessageContaining("ipv6_addr");
        assertThat(inet.rules()).isEmpty();
        // Removing the rule frees the set.
        assertThat(nft.remove("t")).isEqualTo(1);
        assertThat(nft.sets().delete("excluded")).isTrue();
    }

    @Test
    void oneRuleExcludesAThousandCidrsThroughANamedSet(TestNamespaces nss) throws Exception {
        Random rnd = random("oneRuleExcludesAThousandCidrsThroughANamedSet");
        NetNs ns = nss.create("k1");
        Nftables nft = nss.netlink(ns).nftables();
        List<IpPrefix> cidrs = disjoint(rnd, 1000, true, List.of());
        assertThat(cidrs).hasSize(1000);
        nft.replace("big", List.of(Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("big").build()),
                List.of(NamedSet.ipv4("excluded").prefixes(cidrs).build()));
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(1);
        assertThat(lookedUpSet(ns.name())).isEqualTo("excluded");
        assertThat(nftElements(ns.name(), "ip", "excluded")).isEqualTo(texts(sorted(cidrs)));
        // Changing 100 of them touches only the set.
        List<IpPrefix> next = new ArrayList<>(cidrs.subList(100, 1000));
        next.addAll(disjoint(rnd, 2000, true, List.of()).stream()
                .filter(p -> cidrs.stream().noneMatch(c -> range(c).first().compareTo(range(p).last().add(BigInteger.ONE)) <= 0
                        && range(p).first().compareTo(range(c).last().add(BigInteger.ONE)) <= 0))
                .limit(100).toList());
        assertThat(next).hasSize(1000);
        assertThat(nft.sets().ensure(NamedSet.ipv4("excluded").prefixes(next).build()))
                .isEqualTo(200 + (startsAtZero(cidrs) == startsAtZero(next) ? 0 : 1));
        assertThat(nftElements(ns.name(), "ip", "excluded")).isEqualTo(texts(sorted(next)));
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(1);
    }

    // ---- ownership -------------------------------------------------------------------------

    @Test
    void foreignSetsAndTablesAreNotTouched(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("own");
        NamedSets sets = nss.netlink(ns).nftables().sets();
        sets.ensure(NamedSet.ipv4("mine").elements("10.0.0.0/8").build());
        NftOracle.run(ns.name(), "add", "set", "ip", "overlaynet", "theirs", "{ type ipv4_addr; flags interval; }");
        NftOracle.run(ns.name(), "add", "element", "ip", "overlaynet", "theirs", "{ 192.0.2.0/24 }");
        String before = NftOracle.ruleset(ns.name());
        NamedSet theirs = NamedSet.ipv4("theirs").elements("198.51.100.0/24").build();
        assertThatThrownBy(() -> sets.ensure(theirs)).isInstanceOf(SetNotOwnedException.class).hasMessageContaining("theirs");
        assertThatThrownBy(() -> sets.add(theirs)).isInstanceOf(SetNotOwnedException.class);
        assertThatThrownBy(() -> sets.remove(NamedSet.ipv4("theirs").elements("192.0.2.0/24").build()))
                .isInstanceOf(SetNotOwnedException.class);
        assertThatThrownBy(() -> sets.delete("theirs")).isInstanceOf(SetNotOwnedException.class);
        assertThatThrownBy(() -> nss.netlink(ns).nftables().replace("x", List.of(), List.of(theirs)))
                .isInstanceOf(SetNotOwnedException.class);
        // A set of another type with the library's name is refused too, not re-created.
        assertThatThrownBy(() -> sets.ensure(NamedSet.ports("mine").elements("80").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ipv4_addr");
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
        assertThat(sets.get("theirs").orElseThrow().owned()).isFalse();
        assertThat(sets.get("mine").orElseThrow().owned()).isTrue();

        NetNs other = nss.create("foreign");
        NftOracle.load(other.name(), "table ip overlaynet {\n  set mine { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }\n}\n");
        String foreign = NftOracle.ruleset(other.name());
        NamedSets fsets = nss.netlink(other).nftables().sets();
        assertThatThrownBy(() -> fsets.ensure(NamedSet.ipv4("mine").elements("10.0.0.0/8").build()))
                .isInstanceOf(TableNotOwnedException.class);
        assertThatThrownBy(() -> fsets.add(NamedSet.ipv4("new").elements("10.0.0.0/8").build()))
                .isInstanceOf(TableNotOwnedException.class);
        assertThatThrownBy(() -> fsets.remove(NamedSet.ipv4("mine").elements("10.0.0.0/8").build()))
                .isInstanceOf(TableNotOwnedException.class);
        assertThat(fsets.delete("mine")).isFalse();
        assertThat(fsets.list()).isEmpty();
        assertThat(NftOracle.ruleset(other.name())).isEqualTo(foreign);
    }
}
