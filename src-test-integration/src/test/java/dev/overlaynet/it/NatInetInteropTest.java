package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.Nftables;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.TableNotOwnedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The library's own table in the {@code inet} family ({@link Nftables#inet()})
 * against nft 1.0.6: the typed rules list in {@code nft -j} exactly as the
 * same text loaded by {@code nft -f}, nft-written inet rules decode into the
 * typed values, and the inet service and the ip/ip6 service never touch each
 * other's tables nor a foreign inet table.
 */
@ExtendWith(NetnsExtension.class)
class NatInetInteropTest {

    private static List<NatRule> rules(List<String> v4set, List<String> v6set) {
        return List.of(
                Nat.masquerade("10.233.0.0/16").tag("overlay-42").build(),
                Nat.masquerade("10.233.16.0/20").excludeDestinations("10.0.0.0/8", "192.168.0.0/16").counter(true).build(),
                Nat.masquerade("10.234.0.0/16").excludeDestinationSet(v4set).tag("set4").build(),
                Nat.snat("10.233.0.0/16", "198.51.100.11").tag("snat").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8080, "10.233.0.2", 80).build(),
                Nat.portForward(NatRule.Protocol.UDP, 5353, "10.233.0.3", 53).hostAddress("198.51.100.11").tag("dns").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8443, "fd00:10::2", 443).fromLocalHost().tag("v6fwd").build(),
                Nat.masquerade("fd00:10::/64").tag("v6").build(),
                Nat.masquerade("fd00:11::/64").excludeDestinationSet(v6set).tag("set6").build());
    }

    private static String text(List<String> v4set, List<String> v6set) {
        return """
                table inet overlaynet {
                  comment "managed by overlaynet"
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 masquerade comment "overlay-42"
                    ip saddr 10.233.16.0/20 ip daddr != 10.0.0.0/8 ip daddr != 192.168.0.0/16 counter masquerade
                    ip saddr 10.234.0.0/16 ip daddr != { %s } masquerade comment "set4"
                    ip saddr 10.233.0.0/16 ip daddr != 10.233.0.0/16 snat ip to 198.51.100.11 comment "snat"
                    ip6 saddr fd00:10::/64 ip6 daddr != fd00:10::/64 masquerade comment "v6"
                    ip6 saddr fd00:11::/64 ip6 daddr != { %s } masquerade comment "set6"
                  }
                  chain prerouting { type nat hook prerouting priority dstnat; policy accept;
                    fib daddr type local tcp dport 8080 dnat ip to 10.233.0.2:80
                    ip daddr 198.51.100.11 udp dport 5353 dnat ip to 10.233.0.3:53 comment "dns"
                  }
                  chain output { type nat hook output priority -100; policy accept;
                    fib daddr type local tcp dport 8443 dnat ip6 to [fd00:10::2]:443 comment "v6fwd"
                  }
                }
                """.formatted(String.join(", ", v4set), String.join(", ", v6set));
    }

    private static Random random(String test) {
        long seed = Long.getLong("natsets.seed", System.nanoTime());
        System.out.println("NatInetInteropTest." + test + " seed " + seed + " (rerun with -Dnatsets.seed=" + seed + ")");
        return new Random(seed);
    }

    @Test
    void libraryInetRulesListExactlyLikeNftText(TestNamespaces nss) throws Exception {
        Random rnd = random("libraryInetRulesListExactlyLikeNftText");
        List<String> v4 = NatSetsInteropTest.randomCidrs(rnd, 40, true);
        List<String> v6 = NatSetsInteropTest.randomCidrs(rnd, 20, false);
        NetNs lib = nss.create("lib");
        NetNs txt = nss.create("txt");
        Netlink nl = nss.netlink(lib);

        assertThat(nl.nftables().inet().apply(rules(v4, v6))).isEqualTo(9);
        NftOracle.load(txt.name(), text(v4, v6));
        for (String kind : List.of("table", "chain", "rule")) {
            assertThat(NftOracle.objects(lib.name(), kind)).as(kind + "s").isEqualTo(NftOracle.objects(txt.name(), kind));
        }
        assertThat(NftOracle.objects(lib.name(), "table")).singleElement()
                .satisfies(t -> assertThat(t.get("family")).isEqualTo("inet"));
        assertThat(NftOracle.objects(lib.name(), "rule")).hasSize(9);
        // Idempotent; and the ip/ip6 service sees none of it.
        assertThat(nl.nftables().inet().apply(rules(v4, v6))).isZero();
        assertThat(nl.nftables().rules()).isEmpty();
        assertThat(nl.nftables().exists()).isFalse();
    }

    @Test
    void nftWrittenInetRulesDecodeIntoTypedValues(TestNamespaces nss) throws Exception {
        Random rnd = random("nftWrittenInetRulesDecodeIntoTypedValues");
        List<String> v4 = NatSetsInteropTest.randomCidrs(rnd, 40, true);
        List<String> v6 = NatSetsInteropTest.randomCidrs(rnd, 20, false);
        NetNs ns = nss.create("dec");
        NftOracle.load(ns.name(), text(v4, v6));

        List<OwnedRule> found = nss.netlink(ns).nftables().inet().rules();
        assertThat(found).hasSize(9).allSatisfy(r -> {
            assertThat(r.natRule()).as(r.toString()).isPresent();
            assertThat(r.family()).isEqualTo(Netfilter.NFPROTO_INET);
        });
        assertThat(found.stream().map(r -> r.natRule().get()).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(rules(v4, v6)));
        assertThat(found.stream().filter(r -> "v6fwd".equals(r.tag())).findFirst().orElseThrow().natRule().get().family())
                .isEqualTo(Netfilter.NFPROTO_IPV6);
        assertThat(nss.netlink(ns).nftables().inet().apply(rules(v4, v6))).isZero();
    }

    @Test
    void inetAndIpTablesAndForeignOnesStayApart(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("apart");
        Netlink nl = nss.netlink(ns);
        NatRule m = Nat.masquerade("10.233.0.0/16").excludeDestinationSet(List.of("10.0.0.0/8", "172.16.0.0/12")).tag("m").build();
        nl.nftables().apply(m);
        String ipOnly = NftOracle.ruleset(ns.name());
        nl.nftables().inet().apply(m);
        assertThat(nl.nftables().rules()).singleElement().satisfies(r -> assertThat(r.family()).isEqualTo(Netfilter.NFPROTO_IPV4));
        assertThat(nl.nftables().inet().rules()).singleElement().satisfies(r -> assertThat(r.natRule()).contains(m));

        assertThat(nl.nftables().inet().remove("m")).isEqualTo(1);
        assertThat(nl.nftables().inet().deleteTable().tablesDeleted()).isPositive();
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(ipOnly);
        assertThat(nl.nftables().deleteTable().tablesDeleted()).isPositive();

        // A foreign inet table of the same name: refused, and passed by.
        NftOracle.load(ns.name(), """
                table inet overlaynet {
                  set keep { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }
                  chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                    ip daddr != @keep ip saddr 10.233.0.0/16 masquerade comment "m"
                  }
                }
                """);
        String before = NftOracle.ruleset(ns.name());
        assertThatThrownBy(() -> nl.nftables().inet().apply(m)).isInstanceOf(TableNotOwnedException.class)
                .hasMessageContaining("inet");
        assertThat(nl.nftables().inet().remove("m")).isZero();
        assertThat(nl.nftables().inet().rules()).isEmpty();
        assertThat(nl.nftables().inet().deleteTable().changed()).isFalse();
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
        List<Map<String, Object>> rules = NftOracle.objects(ns.name(), "rule");
        assertThat(rules).hasSize(1);
    }
}
