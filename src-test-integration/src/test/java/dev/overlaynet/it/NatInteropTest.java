package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.TableNotOwnedException;
import dev.overlaynet.internal.RawAccess;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's NAT rules against nft 1.0.6 as oracle: for each intent, the
 * rule the library writes and the rule {@code nft -f} makes from the
 * equivalent text list identically in {@code nft -j}, and rules written by
 * {@code nft -f} decode into the same typed values.
 */
@ExtendWith(NetnsExtension.class)
class NatInteropTest {

    /** Intents as library calls... */
    private static List<NatRule> rules() {
        return List.of(
                Nat.masquerade("10.233.0.0/16").tag("overlay-42").build(),
                Nat.masquerade("10.233.16.0/20").excludeDestinations("10.0.0.0/8", "192.168.0.0/16")
                        .counter(true).build(),
                Nat.masquerade("10.233.0.5/32").noDestinationExclusion().build(),
                Nat.snat("10.233.0.0/16", "198.51.100.11").tag("snat").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8080, "10.233.0.2", 80).build(),
                Nat.portForward(NatRule.Protocol.UDP, 5353, "10.233.0.3", 53).hostAddress("198.51.100.11")
                        .counter(true).tag("dns").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8080, "10.233.0.2", 80).fromLocalHost().build(),
                Nat.masquerade("fd00:10::/64").tag("v6").build(),
                Nat.masquerade("fd00:10:0:10::/60").excludeDestinations("fd00::/8").build());
    }

    /** ...and the same intents as nft text (hand-written). */
    private static final String NFT_TEXT = """
            table ip overlaynet {
              comment "managed by overlaynet"
              chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 masquerade comment "overlay-42"
                ip saddr 10.233.16.0/20 ip daddr != 10.0.0.0/8 ip daddr != 192.168.0.0/16 counter masquerade
                ip saddr 10.233.0.5 masquerade
                ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 snat to 198.51.100.11 comment "snat"
              }
              chain prerouting { type nat hook prerouting priority dstnat; policy accept;
                fib daddr type local tcp dport 8080 dnat to 10.233.0.2:80
                ip daddr 198.51.100.11 udp dport 5353 counter dnat to 10.233.0.3:53 comment "dns"
              }
              chain output { type nat hook output priority -100; policy accept;
                fib daddr type local tcp dport 8080 dnat to 10.233.0.2:80
              }
            }
            table ip6 overlaynet {
              comment "managed by overlaynet"
              chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                ip6 saddr fd00:10::/64 ip6 daddr != fd00:10::/64 masquerade comment "v6"
                ip6 saddr fd00:10:0:10::/60 ip6 daddr != fd00::/8 masquerade
              }
            }
            """;

    @Test
    void libraryRulesListExactlyLikeNftText(TestNamespaces nss) throws Exception {
        NetNs lib = nss.create("lib");
        NetNs txt = nss.create("txt");
        Netlink nl = nss.netlink(lib);

        assertThat(nl.nftables().apply(rules())).isEqualTo(9);
        NftOracle.load(txt.name(), NFT_TEXT);

        for (String kind : List.of("table", "chain", "rule")) {
            assertThat(NftOracle.objects(lib.name(), kind)).as(kind + "s")
                    .isEqualTo(NftOracle.objects(txt.name(), kind));
        }
        // The comparison is not vacuous: 9 rules with expression arrays.
        List<Map<String, Object>> rules = NftOracle.objects(lib.name(), "rule");
        assertThat(rules).hasSize(9).allSatisfy(r -> assertThat((List<?>) r.get("expr")).isNotEmpty());
        assertThat(NftOracle.ruleset(lib.name())).contains("comment \"managed by overlaynet\"");
    }

    @Test
    void nftWrittenRulesDecodeIntoTypedValues(TestNamespaces nss) throws Exception {
        NetNs txt = nss.create("txt");
        NftOracle.load(txt.name(), NFT_TEXT);
        List<OwnedRule> found = nss.netlink(txt).nftables().rules();

        assertThat(found).hasSize(9);
        assertThat(found).allSatisfy(r -> assertThat(r.natRule()).as("typed: " + r).isPresent());
        assertThat(found.stream().map(r -> r.natRule().get()).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(rules()));
        OwnedRule dns = found.stream().filter(r -> "dns".equals(r.tag())).findFirst().orElseThrow();
        NatRule d = dns.natRule().get();
        assertThat(d.kind()).isEqualTo(NatRule.Kind.DNAT);
        assertThat(d.protocol()).isEqualTo(NatRule.Protocol.UDP);
        assertThat(d.hostPort()).isEqualTo(5353);
        assertThat(d.toPort()).isEqualTo(53);
        assertThat(d.toAddress().getHostAddress()).isEqualTo("10.233.0.3");
        assertThat(d.hostAddress().getHostAddress()).isEqualTo("198.51.100.11");
        assertThat(d.counter()).isTrue();
        assertThat(dns.chain()).isEqualTo("prerouting");
        assertThat(dns.handle()).isPositive();
    }

    @Test
    void foreignRulesStayRawButDecode(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("raw");
        NftOracle.load(ns.name(), """
                table ip overlaynet {
                  comment "managed by overlaynet"
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip saddr { 10.1.0.0/16, 10.2.0.0/16 } oifname "eth0" masquerade random comment "set"
                  }
                }
                """);
        List<OwnedRule> found = nss.netlink(ns).nftables().rules();
        assertThat(found).hasSize(1);
        assertThat(found.get(0).natRule()).isEqualTo(Optional.empty());
        assertThat(found.get(0).tag()).isEqualTo("set");
        assertThat(RawAccess.expressions(found.get(0)).stream().map(e -> e.kind()).toList())
                .containsExactly("payload", "lookup", "meta", "cmp", "masq");
        // The public view of the same expressions: one bracket each, in order.
        assertThat(found.get(0).description().split(" \\] \\[ "))
                .hasSize(5)
                .satisfiesExactly(
                        p -> assertThat(p).startsWith("[ payload load "),
                        l -> assertThat(l).startsWith("lookup reg 1 set "),
                        m -> assertThat(m).startsWith("meta load key "),
                        c -> assertThat(c).startsWith("cmp eq reg 1 "),
                        q -> assertThat(q).startsWith("masq").endsWith(" ]"));
    }

    @Test
    void applyingTwiceAddsNothing(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("idem");
        Netlink nl = nss.netlink(ns);
        assertThat(nl.nftables().apply(rules())).isEqualTo(9);
        String before = NftOracle.ruleset(ns.name());

        assertThat(nl.nftables().apply(rules())).isZero();
        assertThat(nl.nftables().apply(Nat.masquerade("10.233.0.0/16").tag("overlay-42").build())).isZero();

        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(9);
        // A different tag is a different rule.
        assertThat(nl.nftables().apply(Nat.masquerade("10.233.0.0/16").tag("overlay-43").build())).isEqualTo(1);
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(10);
    }

    @Test
    void sameNamedForeignTableIsNeverTouched(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("foreign");
        NftOracle.load(ns.name(), """
                table ip overlaynet {
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip saddr 10.9.0.0/16 masquerade
                  }
                }
                """);
        String before = NftOracle.ruleset(ns.name());
        Netlink nl = nss.netlink(ns);

        assertThatThrownBy(() -> nl.nftables().apply(Nat.masquerade("10.233.0.0/16").build()))
                .isInstanceOf(TableNotOwnedException.class).hasMessageContaining("overlaynet");
        // Removing verbs pass a foreign table by: it holds nothing of ours.
        assertThat(nl.nftables().deleteTable().changed()).isFalse();
        assertThat(nl.nftables().remove(Nat.masquerade("10.9.0.0/16").noDestinationExclusion().build())).isZero();
        assertThat(nl.nftables().remove("")).isZero();
        assertThat(nl.nftables().rules()).isEmpty();
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);

        // Another table name is fine and leaves the foreign one alone.
        assertThat(nl.nftables().table("overlaynet2").apply(Nat.masquerade("10.233.0.0/16").build())).isEqualTo(1);
        assertThat(NftOracle.ruleset(ns.name())).contains(before.strip().split("\n")[0]).contains("table ip overlaynet2");
    }

    @Test
    void removeExactlyOneRuleByHandleAndTag(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("rm");
        Netlink nl = nss.netlink(ns);
        nl.nftables().apply(
                Nat.masquerade("10.1.0.0/16").tag("c1").build(),
                Nat.masquerade("10.2.0.0/16").tag("c2").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8081, "10.1.0.2", 80).tag("c1").build());
        OwnedRule c2 = nl.nftables().rules().stream().filter(r -> "c2".equals(r.tag())).findFirst().orElseThrow();

        assertThat(nl.nftables().remove(c2)).isTrue();
        assertThat(nl.nftables().remove(c2)).as("already gone").isFalse();
        List<Map<String, Object>> left = NftOracle.objects(ns.name(), "rule");
        assertThat(left).extracting(r -> r.get("comment")).containsExactly("c1", "c1");

        // A handle whose tag does not match is not removed.
        OwnedRule c1 = nl.nftables().rules().get(0);
        OwnedRule forged = RawAccess.ownedRule(c1.family(), c1.table(), c1.chain(), c1.handle(), "c2",
                RawAccess.expressions(c1), null);
        assertThat(nl.nftables().remove(forged)).isFalse();
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(2);

        assertThat(nl.nftables().remove("c1")).isEqualTo(2);
        assertThat(NftOracle.objects(ns.name(), "rule")).isEmpty();
        assertThat(nl.nftables().deleteTable().tablesDeleted()).isPositive();
        assertThat(NftOracle.objects(ns.name(), "table")).isEmpty();
        assertThat(nl.nftables().deleteTable().changed()).isFalse();
    }
}
