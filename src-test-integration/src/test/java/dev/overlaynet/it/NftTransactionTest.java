package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftChain;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.nftables.NftTable;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import dev.overlaynet.netlink.internal.nftables.UnknownExpr;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** nf_tables transactions: all or nothing, the kernel's error surfaced, generation guard. */
@ExtendWith(NetnsExtension.class)
class NftTransactionTest {
    private static final String BASELINE = """
            table inet filter {
              chain input { type filter hook input priority 0; policy accept;
                tcp dport 22 accept
              }
            }
            """;

    @Test
    void batchWithOneInvalidRuleChangesNothing(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("bad");
        NftOracle.load(ns.name(), BASELINE);
        String before = NftOracle.ruleset(ns.name());
        Netlink nl = nss.netlink(ns);

        // Valid masquerade + a masquerade in prerouting, which the kernel refuses (masq is postrouting only).
        NatRule good = Nat.masquerade("10.233.0.0/16").build();
        NatRule bad = RawAccess.rawRule(NatRule.Chain.PREROUTING, Netfilter.NFPROTO_IPV4, List.of(MasqExpr.plain())).build();
        NetlinkException e = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class,
                () -> nl.nftables().apply(good, bad));

        assertThat(e.errno()).as("EOPNOTSUPP").isEqualTo(95);
        assertThat(e.isNotSupported()).isTrue();
        assertThat(e.request()).isEqualTo("NFT_MSG_NEWRULE ip overlaynet prerouting");
        assertThat(e.getMessage()).startsWith("NFT_MSG_NEWRULE ip overlaynet prerouting: ");
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
        assertThat(nl.nftables().exists()).isFalse();
    }

    @Test
    void kernelExtAckTextReachesTheCaller(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("extack");
        NftOracle.load(ns.name(), BASELINE);
        String before = NftOracle.ruleset(ns.name());
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));

        // A table, then a rule whose payload load has a length the kernel rejects, in one batch.
        NftBatch b = nft.newBatch(null);
        b.addTable(NftTable.of(Netfilter.NFPROTO_IPV4, "t"), true);
        NatRule.Chain post = NatRule.Chain.POSTROUTING;
        b.addChain(NftChain.base(Netfilter.NFPROTO_IPV4, "t", post.chainName(), "nat", post.hook(), post.priority(),
                Netfilter.NF_ACCEPT), true);
        b.addRule(NftRule.of(Netfilter.NFPROTO_IPV4, "t", "postrouting",
                List.of(new UnknownExpr("payload", DataValue.of(
                        0x08, 0, 0x01, 0, 0, 0, 0, 0x01,        // DREG 1
                        0x08, 0, 0x02, 0, 0, 0, 0, 0x01,        // BASE network
                        0x08, 0, 0x03, 0, 0, 0, 0, 0x0c,        // OFFSET 12
                        0x08, 0, 0x04, 0, 0, 0, 0x01, 0x00)))));// LEN 256: too long for a register
        NetlinkException e = org.junit.jupiter.api.Assertions.assertThrows(NetlinkException.class, () -> nft.commit(b));

        assertThat(e.errnoName()).isEqualTo("ERANGE");
        assertThat(e.request()).isEqualTo("NFT_MSG_NEWRULE ip t postrouting");
        // nf_tables points at the offending expression rather than sending text: nlmsghdr 16 +
        // nfgenmsg 4 + NFTA_RULE_TABLE "t" 8 + NFTA_RULE_CHAIN "postrouting" 16 + list nest header 4.
        assertThat(e.extAckOffset()).isEqualTo(48);
        assertThat(e.getMessage()).isEqualTo(
                "NFT_MSG_NEWRULE ip t postrouting: ERANGE (Numerical result out of range) [at request offset 48]");
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
    }

    @Test
    void generationGuardRefusesAConcurrentChange(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("gen");
        NftOracle.load(ns.name(), BASELINE);
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));

        int gen = nft.generation();
        // Someone else commits between our read and our batch.
        NftOracle.run(ns.name(), "add", "table", "ip", "intruder");
        String afterIntruder = NftOracle.ruleset(ns.name());
        assertThat(nft.generation()).isNotEqualTo(gen);

        NftBatch b = nft.newBatch(gen);
        b.addTable(NftTable.of(Netfilter.NFPROTO_IPV4, "mine"), true);
        b.deleteTable(Netfilter.NFPROTO_INET, "filter");
        assertThatThrownBy(() -> nft.commit(b))
                .isInstanceOf(ConcurrentRulesetChangeException.class)
                .satisfies(t -> {
                    ConcurrentRulesetChangeException c = (ConcurrentRulesetChangeException) t;
                    assertThat(c.errnoName()).isEqualTo("ERESTART");
                    assertThat(c.expectedGeneration()).isEqualTo(gen);
                });
        // Not clobbered: the intruder's table and the baseline are there, ours is not.
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(afterIntruder).contains("table ip intruder")
                .contains("table inet filter").doesNotContain("table ip mine");

        // With the fresh generation the same change goes through.
        NftBatch again = nft.newBatch(nft.generation());
        again.addTable(NftTable.of(Netfilter.NFPROTO_IPV4, "mine"), true);
        nft.commit(again);
        assertThat(NftOracle.ruleset(ns.name())).contains("table ip mine");
    }

    @Test
    void thousandRuleNatBatchIsOneTransaction(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("bulk");
        Netlink nl = nss.netlink(ns);
        List<NatRule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rules.add(Nat.portForward(NatRule.Protocol.TCP, 10000 + i, "10.233." + (i / 250) + "." + (i % 250 + 2), 80)
                    .tag("c" + i).build());
        }
        int gen = RawAccess.nftClient(nl).generation();
        assertThat(nl.nftables().apply(rules)).isEqualTo(1000);
        // One commit: the generation moved by exactly one.
        assertThat(RawAccess.nftClient(nl).generation()).isEqualTo(gen + 1);
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(1000);
        assertThat(nl.nftables().apply(rules)).isZero();
        assertThat(RawAccess.nftClient(nl).generation()).isEqualTo(gen + 1);
    }
}
