package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.IpPrefix;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.TableNotOwnedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NAT rules that exclude destinations through one anonymous interval-set
 * lookup ({@code excludeDestinationSet}), against nft 1.0.6: what the library
 * writes lists in {@code nft -j} exactly as the same text loaded by
 * {@code nft -f}, what nft writes decodes into the typed rule, re-applying
 * sends nothing, the set goes with its rule, a swap is one transaction, and
 * tables and sets the library does not own are left alone. Random CIDRs from
 * a printed seed ({@code -Dnatsets.seed=N}).
 */
@ExtendWith(NetnsExtension.class)
class NatSetsInteropTest {
    private static final int IP = Netfilter.NFPROTO_IPV4;

    private static Random random(String test) {
        long seed = Long.getLong("natsets.seed", System.nanoTime());
        System.out.println("NatSetsInteropTest." + test + " seed " + seed + " (rerun with -Dnatsets.seed=" + seed + ")");
        return new Random(seed);
    }

    /** Random prefixes, written with host bits cleared as nft wants them. */
    static List<String> randomCidrs(Random rnd, int n, boolean v4) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[v4 ? 4 : 16];
            rnd.nextBytes(a);
            if (!v4) {
                a[0] = (byte) 0xfd;
            }
            InetAddress addr = v4 ? InetAddress.getByAddress(a) : Inet6Address.getByAddress(null, a, null);
            int len = v4 ? 8 + rnd.nextInt(25) : 16 + rnd.nextInt(113);
            out.add(IpPrefix.of(NftIntervals.prefix(addr, len).first(), len).toString());
        }
        return out;
    }

    private static List<String> reversed(List<String> l) {
        List<String> r = new ArrayList<>(l);
        java.util.Collections.reverse(r);
        return r;
    }

    private static String text(String family, String src, List<String> excluded, String tag) {
        String ip = family.equals("ip") ? "ip" : "ip6";
        return "table " + family + " overlaynet {\n  comment \"managed by overlaynet\"\n"
                + "  chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
                + "    " + ip + " saddr " + src + " " + ip + " daddr != { " + String.join(", ", excluded)
                + " } masquerade comment \"" + tag + "\"\n  }\n}\n";
    }

    /** Whether some prefix of {@code cidrs} holds {@code a} (the oracle for membership: no code under test). */
    private static boolean covered(List<String> cidrs, InetAddress a) {
        return cidrs.stream().map(IpPrefix::parse).anyMatch(p -> p.network().contains(a));
    }

    @Test
    void libraryRulesListLikeNftTextBothFamilies(TestNamespaces nss) throws Exception {
        Random rnd = random("libraryRulesListLikeNftTextBothFamilies");
        List<String> v4 = randomCidrs(rnd, 60, true);
        List<String> v6 = randomCidrs(rnd, 40, false);
        NetNs lib = nss.create("lib");
        NetNs txt = nss.create("txt");

        Netlink nl = nss.netlink(lib);
        assertThat(nl.nftables().apply(
                Nat.masquerade("10.233.0.0/16").excludeDestinationSet(v4).tag("v4").build(),
                Nat.masquerade("fd00:10::/64").excludeDestinationSet(v6).tag("v6").build())).isEqualTo(2);
        NftOracle.load(txt.name(), text("ip", "10.233.0.0/16", v4, "v4") + text("ip6", "fd00:10::/64", v6, "v6"));

        List<Map<String, Object>> rules = NftOracle.objects(lib.name(), "rule");
        assertThat(rules).hasSize(2);
        assertThat(rules).isEqualTo(NftOracle.objects(txt.name(), "rule"));
        assertThat(NftOracle.objects(lib.name(), "table")).isEqualTo(NftOracle.objects(txt.name(), "table"));
        assertThat(NftOracle.ruleset(lib.name())).contains("ip daddr != {").contains("ip6 daddr != {");
    }

    @Test
    void nftWrittenSetRulesDecodeIntoTypedValues(TestNamespaces nss) throws Exception {
        Random rnd = random("nftWrittenSetRulesDecodeIntoTypedValues");
        List<String> v4 = randomCidrs(rnd, 80, true);
        List<String> v6 = randomCidrs(rnd, 30, false);
        NetNs ns = nss.create("dec");
        NftOracle.load(ns.name(), text("ip", "10.233.0.0/16", v4, "v4") + text("ip6", "fd00:10::/64", v6, "v6"));

        List<OwnedRule> found = nss.netlink(ns).nftables().rules();
        assertThat(found).hasSize(2).allSatisfy(r -> assertThat(r.natRule()).as(r.toString()).isPresent());
        NatRule r4 = found.stream().filter(r -> "v4".equals(r.tag())).findFirst().orElseThrow().natRule().get();
        NatRule r6 = found.stream().filter(r -> "v6".equals(r.tag())).findFirst().orElseThrow().natRule().get();
        assertThat(r4.destinationSet()).isTrue();
        assertThat(r4.kind()).isEqualTo(NatRule.Kind.MASQUERADE);
        assertThat(r4.source().toString()).isEqualTo("10.233.0.0/16");
        assertThat(r6.destinationSet()).isTrue();
        // The same rule as built from the text's list...
        assertThat(r4).isEqualTo(Nat.masquerade("10.233.0.0/16").excludeDestinationSet(v4).tag("v4").build());
        assertThat(r6).isEqualTo(Nat.masquerade("fd00:10::/64").excludeDestinationSet(v6).tag("v6").build());
        // ...and covering exactly the same addresses (boundaries and random probes).
        for (int i = 0; i < 2000; i++) {
            byte[] a = new byte[4];
            rnd.nextBytes(a);
            InetAddress addr = InetAddress.getByAddress(a);
            assertThat(r4.excludedDestinations().stream().anyMatch(p -> p.contains(addr))).as(addr.toString())
                    .isEqualTo(covered(v4, addr));
        }
        for (String c : v4) {
            NftIntervals.Range range = NftIntervals.prefix(IpPrefix.parse(c).address(), IpPrefix.parse(c).length());
            for (InetAddress a : List.of(range.first(), range.last())) {
                assertThat(r4.excludedDestinations().stream().anyMatch(p -> p.contains(a))).isTrue();
            }
        }
        // Re-applying what nft wrote is recognised: nothing added.
        assertThat(nss.netlink(ns).nftables().apply(r4, r6)).isZero();
    }

    @Test
    void thousandCidrsAreOneRuleAndReapplyingSendsNothing(TestNamespaces nss) throws Exception {
        Random rnd = random("thousandCidrsAreOneRuleAndReapplyingSendsNothing");
        List<String> cidrs = randomCidrs(rnd, 1000, true);
        NetNs lib = nss.create("lib");
        NetNs txt = nss.create("txt");
        Netlink nl = nss.netlink(lib);
        NatRule rule = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(cidrs).tag("big").build();

        assertThat(nl.nftables().apply(rule)).isEqualTo(1);
        NftOracle.load(txt.name(), text("ip", "10.233.0.0/16", cidrs, "big"));
        List<Map<String, Object>> rules = NftOracle.objects(lib.name(), "rule");
        assertThat(rules).hasSize(1).isEqualTo(NftOracle.objects(txt.name(), "rule"));
        NftClient client = RawAccess.nftClient(nl);
        List<NftSet> sets = client.sets(IP, "overlaynet");
        assertThat(sets).hasSize(1);
        assertThat(sets.get(0).isAnonymous()).isTrue();

        int gen = client.generation();
        String before = NftOracle.ruleset(lib.name());
        assertThat(nl.nftables().apply(rule)).isZero();
        assertThat(nl.nftables().apply(Nat.masquerade("10.233.0.0/16").excludeDestinationSet(reversed(cidrs))
                .tag("big").build())).as("same contents in another order").isZero();
        assertThat(client.generation()).as("nothing committed").isEqualTo(gen);
        assertThat(NftOracle.ruleset(lib.name())).isEqualTo(before);
        assertThat(nl.nftables().rules()).singleElement().satisfies(o -> assertThat(o.natRule()).contains(rule));
    }

    @Test
    void removingTheRuleRemovesItsSetAndReplaceSwapsInOneTransaction(TestNamespaces nss) throws Exception {
        Random rnd = random("removingTheRuleRemovesItsSetAndReplaceSwapsInOneTransaction");
        List<String> first = randomCidrs(rnd, 300, true);
        List<String> second = randomCidrs(rnd, 300, true);
        NetNs ns = nss.create("swap");
        Netlink nl = nss.netlink(ns);
        NftClient client = RawAccess.nftClient(nl);
        NatRule a = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(first).tag("ov").build();
        NatRule b = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(second).tag("ov").build();
        NatRule other = Nat.masquerade("10.9.0.0/16").excludeDestinationSet(second).tag("keep").build();
        nl.nftables().apply(a, other);
        assertThat(client.sets(IP, "overlaynet")).hasSize(2);

        int gen = client.generation();
        assertThat(nl.nftables().replace("ov", List.of(b))).isEqualTo(2); // one deleted, one added
        assertThat(client.generation()).as("one transaction").isEqualTo(gen + 1);
        assertThat(client.sets(IP, "overlaynet")).as("the old set went with its rule").hasSize(2);
        assertThat(nl.nftables().rules()).extracting(o -> o.natRule().orElseThrow()).containsExactlyInAnyOrder(b, other);
        assertThat(nl.nftables().replace("ov", List.of(b))).isZero();
        assertThat(client.generation()).isEqualTo(gen + 1);

        NftOracle.load(nss.create("txt").name(), text("ip", "10.233.0.0/16", second, "ov"));
        assertThat(NftOracle.objects(ns.name(), "rule").get(1)).isEqualTo(NftOracle.objects(nss.get("txt").name(), "rule").get(0));

        assertThat(nl.nftables().remove("ov")).isEqualTo(1);
        assertThat(client.sets(IP, "overlaynet")).hasSize(1);
        assertThat(nl.nftables().remove(other)).isEqualTo(1);
        assertThat(client.sets(IP, "overlaynet")).isEmpty();
        assertThat(NftOracle.objects(ns.name(), "rule")).isEmpty();
        assertThat(nl.nftables().replace("ov", List.of())).isZero();
    }

    /**
     * Racing handles apply the same set rule (and one of their own each):
     * exactly one copy of the shared rule and one set per rule, never a
     * duplicate nor an orphaned set.
     */
    @Test
    void racingAppliesOfTheSameSetRuleAddItOnce(TestNamespaces nss) throws Exception {
        Random rnd = random("racingAppliesOfTheSameSetRuleAddItOnce");
        NetNs ns = nss.create("race");
        List<String> shared = randomCidrs(rnd, 300, true);
        int threads = 4;
        for (int round = 0; round < 3; round++) {
            List<Netlink> handles = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                handles.add(nss.netlink(ns));
            }
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            List<java.util.concurrent.Future<Integer>> added = new ArrayList<>();
            int r = round;
            for (int i = 0; i < threads; i++) {
                Netlink nl = handles.get(i);
                NatRule own = Nat.masquerade("10." + (100 + i) + ".0.0/16")
                        .excludeDestinationSet(List.of("192.168." + r + ".0/24", "172.16." + i + ".0/24")).tag("own" + r).build();
                NatRule common = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(shared).tag("shared" + r).build();
                added.add(pool.submit(() -> {
                    start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    while (true) {
                        try {
                            return nl.nftables().apply(common, own);
                        } catch (dev.overlaynet.netlink.ConcurrentRulesetChangeException e) {
                            // out of retries under this contention: the caller's remedy is to call again
                        }
                    }
                }));
            }
            int total = 0;
            for (var f : added) {
                total += f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(total).as("round " + r).isEqualTo(threads + 1);
        }
        Netlink nl = nss.netlink(ns);
        List<OwnedRule> rules = nl.nftables().rules();
        assertThat(rules).hasSize(3 * (threads + 1)).allSatisfy(o -> assertThat(o.natRule()).isPresent());
        assertThat(rules.stream().filter(o -> o.tag().startsWith("shared")).count()).isEqualTo(3);
        assertThat(RawAccess.nftClient(nl).sets(IP, "overlaynet")).hasSize(rules.size());
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(rules.size());
    }

    @Test
    void foreignTablesAndSetsAreNeverTouched(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("foreign");
        NftOracle.load(ns.name(), """
                table ip other {
                  set keep { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.0.0/16 } }
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip daddr != @keep ip saddr 10.5.0.0/16 masquerade comment "ov"
                    ip daddr != { 10.0.0.0/8 } ip saddr 10.6.0.0/16 masquerade comment "ov"
                  }
                }
                table ip6 overlaynet {
                  set mine { type ipv6_addr; flags interval; elements = { fd00::/8 } }
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip6 saddr fd00:10::/64 ip6 daddr != { fd00::/8 } masquerade comment "ov"
                  }
                }
                """);
        String before = NftOracle.ruleset(ns.name());
        Netlink nl = nss.netlink(ns);
        NatRule v4 = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("10.0.0.0/8")).tag("ov").build();
        NatRule v6 = Nat.masquerade("fd00:10::/64").excludeDestinationSet(List.of("fd00::/8")).tag("ov").build();

        // The same-named ip6 table has no ownership mark: adding to it is refused before anything is sent.
        assertThatThrownBy(() -> nl.nftables().apply(v6)).isInstanceOf(TableNotOwnedException.class);
        assertThatThrownBy(() -> nl.nftables().replace("ov", List.of(v6))).isInstanceOf(TableNotOwnedException.class);
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);

        // The owned ip table comes and goes; the foreign ones with their sets stay byte for byte.
        assertThat(nl.nftables().apply(v4)).isEqualTo(1);
        assertThat(nl.nftables().rules()).singleElement().satisfies(o -> assertThat(o.natRule()).contains(v4));
        assertThat(nl.nftables().replace("ov", List.of())).isEqualTo(1);
        assertThat(nl.nftables().remove("ov")).isZero();
        assertThat(nl.nftables().deleteTable().tablesDeleted()).isPositive();
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
    }
}
