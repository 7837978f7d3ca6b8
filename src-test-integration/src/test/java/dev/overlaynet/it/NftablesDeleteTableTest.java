package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.NamedSet;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.Nftables;
import dev.overlaynet.TableDeletion;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Nftables#deleteTable()} deletes what the library owns and nothing
 * else, with {@code nft -j list ruleset} as the oracle: a table holding only
 * the library's objects goes whole; foreign chains, foreign rules in the
 * library's chains, foreign sets, maps and objects that someone added to the
 * owned table survive exactly, while every owned object goes; and a foreign
 * object added by {@code nft} while deleteTable runs is never deleted.
 * Random prefixes and ports from a printed seed ({@code -Ddeletetable.seed=N}).
 */
@ExtendWith(NetnsExtension.class)
class NftablesDeleteTableTest {
    private static Random random(String test) {
        long seed = Long.getLong("deletetable.seed", System.nanoTime());
        System.out.println("NftablesDeleteTableTest." + test + " seed " + seed
                + " (rerun with -Ddeletetable.seed=" + seed + ")");
        return new Random(seed);
    }

    /** Every object of {@code nft -j list ruleset} but metainfo, as {kind: fields} without handles. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ruleset(String netns) throws Exception {
        Oracle.Result r = Oracle.execIn(netns, "nft", "-j", "list", "ruleset");
        assertThat(r.ok()).as("nft -j list ruleset: " + r.stderr()).isTrue();
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.stdout().strip());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) root.get("nftables")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey("metainfo")) {
                continue;
            }
            String kind = m.keySet().iterator().next();
            Map<String, Object> v = new LinkedHashMap<>((Map<String, Object>) m.get(kind));
            v.remove("handle");
            out.add(Map.of(kind, v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> o) {
        return (Map<String, Object>) o.values().iterator().next();
    }

    private static String kind(Map<String, Object> o) {
        return o.keySet().iterator().next();
    }

    /** The library's objects in ip and ip6: typed rules in two chains, anonymous and named sets. */
    private static int applyOwned(Nftables nft, Random rnd) throws Exception {
        int a = 1 + rnd.nextInt(200);
        int b = 1 + rnd.nextInt(200);
        int port = 1024 + rnd.nextInt(60000);
        nft.sets().ensure(NamedSet.ipv4("mine").elements("10." + a + ".0.0/16", "172.16.0.0/12").build());
        nft.sets().ensure(NamedSet.ports("spare").elements(String.valueOf(port)).build());
        List<NatRule> rules = List.of(
                Nat.masquerade("10.233." + a + ".0/24").excludeDestinationSet(List.of("10.0.0.0/8", "192.168.0.0/16"))
                        .tag("ov-a").build(),
                Nat.masquerade("10.234." + b + ".0/24").excludeDestinationsIn("mine").tag("ov-c").build(),
                Nat.portForward(NatRule.Protocol.TCP, port, "10.233." + a + ".2", 80).tag("ov-b").build(),
                Nat.masquerade("fd00:" + Integer.toHexString(a) + "::/64").tag("ov-6").build());
        assertThat(nft.apply(rules)).isEqualTo(rules.size());
        return rules.size();
    }

    @Test
    void aTableOfOnlyOwnedObjectsGoesWhole(TestNamespaces nss) throws Exception {
        Random rnd = random("aTableOfOnlyOwnedObjectsGoesWhole");
        NetNs ns = nss.create("dtown");
        Netlink nl = nss.netlink(ns);
        int rules = applyOwned(nl.nftables(), rnd);
        int inetRules = applyOwned(nl.nftables().inet(), rnd);
        assertThat(ruleset(ns.name()).stream().filter(o -> kind(o).equals("table")).count()).isEqualTo(3);

        TableDeletion d = nl.nftables().deleteTable();
        assertThat(d.complete()).isTrue();
        assertThat(d.foreign()).isEmpty();
        assertThat(d.tablesDeleted()).isEqualTo(2);
        assertThat(d.rulesDeleted()).isEqualTo(rules);
        assertThat(d.chainsDeleted()).isEqualTo(3); // ip postrouting and prerouting, ip6 postrouting
        assertThat(d.setsDeleted()).isEqualTo(2);
        // Only the inet table, which the default service does not see, is left.
        assertThat(ruleset(ns.name())).allSatisfy(o -> assertThat(fields(o).get("family")).isEqualTo("inet"));

        TableDeletion i = nl.nftables().inet().deleteTable();
        assertThat(i.tablesDeleted()).isEqualTo(1);
        assertThat(i.rulesDeleted()).isEqualTo(inetRules);
        assertThat(i.complete()).isTrue();
        assertThat(ruleset(ns.name())).isEmpty();

        TableDeletion again = nl.nftables().deleteTable();
        assertThat(again.changed()).isFalse();
        assertThat(again.complete()).isTrue();
    }

    @Test
    void foreignObjectsInTheOwnedTableSurviveExactlyAndOwnedOnesGo(TestNamespaces nss) throws Exception {
        Random rnd = random("foreignObjectsInTheOwnedTableSurviveExactlyAndOwnedOnesGo");
        NetNs ns = nss.create("dtfor");
        Netlink nl = nss.netlink(ns);
        int rules = applyOwned(nl.nftables(), rnd);
        nl.nftables().sets().ensure(NamedSet.ipv4("seen").interval(false).elements("203.0.113." + rnd.nextInt(256))
                .build());
        List<Map<String, Object>> owned = ruleset(ns.name());

        // What an admin or another program adds to the owned ip table; the ip6 one stays the library's only.
        int x = rnd.nextInt(250);
        NftOracle.load(ns.name(), """
                add set ip overlaynet blocklist { type ipv4_addr; elements = { 192.0.2.%d } }
                add map ip overlaynet ports { type inet_service : ipv4_addr; }
                add counter ip overlaynet hits
                add chain ip overlaynet audit
                add rule ip overlaynet audit ip daddr @mine counter
                add rule ip overlaynet audit ip saddr @blocklist drop
                add rule ip overlaynet audit update @seen { ip saddr }
                add chain ip overlaynet filterfwd { type filter hook forward priority 0; policy accept; }
                add rule ip overlaynet filterfwd ip saddr 192.0.2.0/24 counter
                add rule ip overlaynet postrouting ip saddr 198.51.100.%d counter accept comment "admin"
                add rule ip overlaynet postrouting ip saddr 10.77.0.0/16 oifname "eth0" masquerade random comment "ov-a"
                """.formatted(x, x));
        List<Map<String, Object>> before = ruleset(ns.name());

        // Expected survivors, from the oracle: everything added after the library's objects, plus the
        // owned objects the foreign ones need (the table, the chain holding foreign rules, the set a
        // foreign rule looks up or updates).
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map<String, Object> o : before) {
            Map<String, Object> f = fields(o);
            boolean keptOwned = f.get("family").equals("ip") && switch (kind(o)) {
                case "table" -> true;
                case "chain" -> f.get("name").equals("postrouting");
                case "set" -> f.get("name").equals("mine") || f.get("name").equals("seen");
                default -> false;
            };
            if (!owned.contains(o) || keptOwned) {
                expected.add(o);
            }
        }
        assertThat(expected).hasSize(before.size() - owned.size() + 4);

        TableDeletion d = nl.nftables().deleteTable();

        assertThat(ruleset(ns.name())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(d.complete()).isFalse();
        assertThat(d.tablesDeleted()).isEqualTo(1); // ip6
        assertThat(d.rulesDeleted()).isEqualTo(rules);
        assertThat(d.chainsDeleted()).isEqualTo(2); // ip prerouting, ip6 postrouting
        assertThat(d.setsDeleted()).isEqualTo(1); // spare; foreign rules use mine (lookup) and seen (dynset)
        assertThat(d.foreign()).extracting(f -> f.kind() + " " + f.family() + " " + f.table() + " "
                        + (f.chain() != null ? f.chain() : f.name()))
                .containsExactlyInAnyOrder("chain ip overlaynet audit", "chain ip overlaynet filterfwd",
                        "rule ip overlaynet postrouting", "rule ip overlaynet postrouting", "set ip overlaynet blocklist",
                        "map ip overlaynet ports", "counter ip overlaynet hits");
        // The library's own anonymous sets went with its rules: only named ones are left in the kernel.
        assertThat(dev.overlaynet.internal.RawAccess.nftClient(nl).sets(dev.overlaynet.netlink.internal.uapi.Netfilter.NFPROTO_IPV4,
                "overlaynet")).extracting(s -> s.name()).containsExactlyInAnyOrder("blocklist", "ports", "mine", "seen");

        // Nothing more of ours to delete: a second call changes nothing and names the same objects.
        TableDeletion again = nl.nftables().deleteTable();
        assertThat(again.changed()).isFalse();
        assertThat(again.foreign()).isEqualTo(d.foreign());
        assertThat(ruleset(ns.name())).containsExactlyInAnyOrderElementsOf(expected);

        // Once the foreign objects are gone, the table is deleted whole with what is left of ours.
        NftOracle.load(ns.name(), """
                flush table ip overlaynet
                delete chain ip overlaynet audit
                delete chain ip overlaynet filterfwd
                delete set ip overlaynet blocklist
                delete map ip overlaynet ports
                delete counter ip overlaynet hits
                """);
        TableDeletion last = nl.nftables().deleteTable();
        assertThat(last.complete()).isTrue();
        assertThat(last.tablesDeleted()).isEqualTo(1);
        assertThat(last.chainsDeleted()).isEqualTo(1);
        assertThat(last.setsDeleted()).isEqualTo(2);
        assertThat(ruleset(ns.name())).isEmpty();
    }

    @Test
    void aForeignObjectAddedWhileDeleteTableRunsIsNeverDeleted(TestNamespaces nss) throws Exception {
        Random rnd = random("aForeignObjectAddedWhileDeleteTableRunsIsNeverDeleted");
        NetNs ns = nss.create("dtrace");
        Netlink nl = nss.netlink(ns);
        int rounds = 40;
        int survived = 0;
        int tableFirst = 0;
        int retriedOut = 0;
        for (int round = 0; round < rounds; round++) {
            applyOwned(nl.nftables(), rnd);
            String[] add = switch (rnd.nextInt(3)) {
                case 0 -> new String[] {"nft", "add", "chain", "ip", "overlaynet", "foreign" + round};
                case 1 -> new String[] {"nft", "add", "rule", "ip", "overlaynet", "postrouting", "ip", "saddr",
                    "192.0.2." + round, "counter", "comment", "foreign" + round};
                default -> new String[] {"nft", "add", "set", "ip", "overlaynet", "foreign" + round,
                    "{ type ipv4_addr; }"};
            };
            CompletableFuture<Oracle.Result> foreign = CompletableFuture.supplyAsync(() -> {
                try {
                    return Oracle.execIn(ns.name(), add);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Spread the start so deleteTable meets nft before, during and after its change.
            Thread.sleep(rnd.nextInt(12));
            TableDeletion d = null;
            try {
                d = nl.nftables().deleteTable();
            } catch (ConcurrentRulesetChangeException e) {
                retriedOut++;
            }
            Oracle.Result r = foreign.get(60, TimeUnit.SECONDS);
            String after = NftOracle.ruleset(ns.name());
            if (r.ok()) {
                survived++;
                assertThat(after).as("round " + round + ": " + String.join(" ", add)).contains("foreign" + round);
                if (d != null) {
                    assertThat(d.complete()).as("round " + round).isFalse();
                    // Every owned object is gone all the same.
                    assertThat(after).as("round " + round).doesNotContain("ov-a", "ov-b", "ov-c", "prerouting",
                            "spare", "ip6");
                }
            } else {
                tableFirst++;
                assertThat(d).as("round " + round + ": nft failed (" + r.stderr().strip() + ") yet the table stayed")
                        .isNotNull();
                assertThat(after).as("round " + round).isEmpty();
            }
            NftOracle.run(ns.name(), "flush", "ruleset"); // this test's own namespace
        }
        System.out.println("NftablesDeleteTableTest race: " + rounds + " rounds, foreign object first " + survived
                + ", table deleted first " + tableFirst + ", retries exhausted " + retriedOut);
    }
}
