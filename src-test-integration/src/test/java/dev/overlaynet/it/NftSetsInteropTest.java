package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Netlink;
import dev.overlaynet.Nftables;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.LookupExpr;
import dev.overlaynet.netlink.internal.nftables.MasqExpr;
import dev.overlaynet.netlink.internal.nftables.MetaExpr;
import dev.overlaynet.netlink.internal.nftables.CmpExpr;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import dev.overlaynet.netlink.internal.nftables.NftBatch;
import dev.overlaynet.netlink.internal.nftables.NftChain;
import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftIntervals.Range;
import dev.overlaynet.netlink.internal.nftables.NftRule;
import dev.overlaynet.netlink.internal.nftables.NftSet;
import dev.overlaynet.netlink.internal.nftables.NftTable;
import dev.overlaynet.netlink.internal.nftables.NftUserdata;
import dev.overlaynet.netlink.internal.nftables.PayloadExpr;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * nftables interval sets, named and anonymous, in {@code ip} and {@code inet}
 * tables, through the low-level {@link NftClient} client: what the library writes
 * is read back by {@code nft -j}, what {@code nft -f} writes is decoded by
 * the library, and a set changes in the same transaction as the rules that
 * use it. Random CIDRs from a printed seed ({@code -Dnftsets.seed=N}).
 */
@ExtendWith(NetnsExtension.class)
class NftSetsInteropTest {
    private static final String TABLE = "ovsets";
    private static final int IP = Netfilter.NFPROTO_IPV4;
    private static final int INET = Netfilter.NFPROTO_INET;

    private static Random random(String test) {
        long seed = Long.getLong("nftsets.seed", System.nanoTime());
        System.out.println("NftSetsInteropTest." + test + " seed " + seed + " (rerun with -Dnftsets.seed=" + seed + ")");
        return new Random(seed);
    }

    private static List<Range> randomV4Prefixes(Random rnd, int n) throws Exception {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[4];
            rnd.nextBytes(a);
            out.add(NftIntervals.prefix(InetAddress.getByAddress(a), 8 + rnd.nextInt(25)));
        }
        return out;
    }

    private static List<Range> randomV6Prefixes(Random rnd, int n) throws Exception {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[16];
            rnd.nextBytes(a);
            a[0] = (byte) 0xfd;
            out.add(NftIntervals.prefix(java.net.Inet6Address.getByAddress(null, a, null), 16 + rnd.nextInt(113)));
        }
        return out;
    }

    /** {@code ip daddr != @set masquerade}, optionally behind {@code meta nfproto ipv4} (inet tables). */
    private static List<Expr> notInSetMasquerade(boolean inet, String set, Integer setId) {
        List<Expr> e = new ArrayList<>();
        if (inet) {
            e.add(MetaExpr.load(NfTablesUapi.NFT_META_NFPROTO, NfTablesUapi.NFT_REG_1));
            e.add(CmpExpr.eq(NfTablesUapi.NFT_REG_1, DataValue.u8(Netfilter.NFPROTO_IPV4)));
        }
        e.add(PayloadExpr.load(NfTablesUapi.NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NfTablesUapi.NFT_REG_1));
        e.add(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, set, setId));
        e.add(MasqExpr.plain());
        return e;
    }

    private static NftChain postrouting(int family) {
        return NftChain.base(family, TABLE, "postrouting", "nat", Netfilter.NF_INET_POST_ROUTING,
                NftChain.PRIORITY_SRCNAT, Netfilter.NF_ACCEPT);
    }

    /** What nft lists for a set, as merged ranges: elements are addresses, prefixes or ranges. */
    @SuppressWarnings("unchecked")
    private static List<Range> oracleRanges(String ns, String family, String set) throws Exception {
        Object root = Json.parse(Oracle.run("ip", "netns", "exec", ns, "nft", "-j", "list", "set", family, TABLE, set));
        List<Object> items = (List<Object>) ((Map<String, Object>) root).get("nftables");
        List<Range> out = new ArrayList<>();
        for (Object o : items) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!m.containsKey("set")) {
                continue;
            }
            Object elem = ((Map<String, Object>) m.get("set")).get("elem");
            for (Object e : elem == null ? List.of() : (List<Object>) elem) {
                out.add(jsonRange(e));
            }
        }
        return NftIntervals.merge(out);
    }

    @SuppressWarnings("unchecked")
    private static Range jsonRange(Object e) throws Exception {
        if (e instanceof Map<?, ?> m && m.containsKey("elem")) {
            return jsonRange(((Map<String, Object>) m).get("elem")); // elements with options
        }
        if (e instanceof String s) {
            InetAddress a = InetAddress.getByName(s);
            return new Range(a, a);
        }
        Map<String, Object> m = (Map<String, Object>) e;
        if (m.containsKey("prefix")) {
            Map<String, Object> p = (Map<String, Object>) m.get("prefix");
            return NftIntervals.prefix(InetAddress.getByName((String) p.get("addr")), ((Number) p.get("len")).intValue());
        }
        List<Object> r = (List<Object>) m.get("range");
        return new Range(InetAddress.getByName((String) r.get(0)), InetAddress.getByName((String) r.get(1)));
    }

    private static String nftText(List<Range> ranges) {
        return ranges.stream().map(r -> r.first().equals(r.last()) ? r.first().getHostAddress()
                : r.first().getHostAddress() + "-" + r.last().getHostAddress()).collect(Collectors.joining(", "));
    }

    private static NftTable ownedTable(int family) {
        return NftTable.of(family, TABLE).withUserdata(NftUserdata.comment(Nftables.OWNER_COMMENT));
    }

    @Test
    void namedIntervalSetAndItsRuleInOneTransactionReadBackByNft(TestNamespaces nss) throws Exception {
        Random rnd = random("named");
        NetNs ns = nss.create("named");
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));
        List<Range> excluded = randomV4Prefixes(rnd, 1000);
        List<Range> merged = NftIntervals.merge(excluded);

        NftSet set = NftSet.ipv4Intervals(IP, TABLE, "no-nat", 1);
        NftBatch b = nft.newBatch(nft.generation());
        b.addTable(ownedTable(IP), true).addSet(set, true).addElements(set, NftIntervals.elements(excluded))
                .addChain(postrouting(IP), true)
                .addRule(new NftRule(IP, TABLE, "postrouting", null, notInSetMasquerade(false, "no-nat", 1), null));
        nft.commit(b);

        // nft's view: the set holds exactly the excluded addresses, and the one rule looks them up.
        assertThat(oracleRanges(ns.name(), "ip", "no-nat")).isEqualTo(merged);
        String chain = Oracle.run("ip", "netns", "exec", ns.name(), "nft", "list", "chain", "ip", TABLE, "postrouting");
        assertThat(chain).contains("ip daddr != @no-nat masquerade");
        assertThat(chain.lines().filter(l -> l.contains("masquerade")).count()).isEqualTo(1);

        // The library's view of the same.
        NftSet back = nft.sets(IP, TABLE).stream().filter(s -> s.name().equals("no-nat")).findFirst().orElseThrow();
        assertThat(back.isInterval()).isTrue();
        assertThat(back.isAnonymous()).isFalse();
        assertThat(back.keyType()).isEqualTo(NftSet.TYPE_IPV4_ADDR);
        assertThat(back.keyLen()).isEqualTo(4);
        assertThat(NftIntervals.ranges(nft.elements(IP, TABLE, "no-nat"), 4)).isEqualTo(merged);
        List<Expr> exprs = nft.rules(IP, TABLE, "postrouting").get(0).expressions();
        assertThat(exprs).contains(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, "no-nat", null));
    }

    @Test
    void elementsChangeAtomicallyWithTheRulesThatUseThem(TestNamespaces nss) throws Exception {
        Random rnd = random("atomic");
        NetNs ns = nss.create("atomic");
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));
        List<Range> first = NftIntervals.merge(randomV4Prefixes(rnd, 200));
        NftSet set = NftSet.ipv4Intervals(IP, TABLE, "ex", 1);
        NftBatch b = nft.newBatch(nft.generation());
        b.addTable(ownedTable(IP), true).addSet(set, true).addElements(set, NftIntervals.elements(first))
                .addChain(postrouting(IP), true);
        nft.commit(b);
        NftSet named = NftSet.ipv4Intervals(IP, TABLE, "ex", null);

        // Swap the whole content and add a rule using it: one transaction.
        List<Range> second = NftIntervals.merge(randomV4Prefixes(rnd, 300));
        b = nft.newBatch(nft.generation());
        b.deleteElements(named, NftIntervals.elements(first)).addElements(named, NftIntervals.elements(second))
                .addRule(new NftRule(IP, TABLE, "postrouting", null, notInSetMasquerade(false, "ex", null), null));
        nft.commit(b);
        assertThat(oracleRanges(ns.name(), "ip", "ex")).isEqualTo(second);
        assertThat(NftIntervals.ranges(nft.elements(IP, TABLE, "ex"), 4)).isEqualTo(second);

        // A batch that fails late (a rule looking up a set that does not exist) applies none of its changes.
        String before = NftOracle.ruleset(ns.name());
        NftBatch bad = nft.newBatch(nft.generation());
        bad.deleteElements(named, NftIntervals.elements(second))
                .addElements(named, NftIntervals.elements(randomV4Prefixes(rnd, 50)))
                .addRule(new NftRule(IP, TABLE, "postrouting", null, notInSetMasquerade(false, "nosuchset", null), null));
        assertThatThrownBy(() -> nft.commit(bad)).isInstanceOf(NetlinkException.class);
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(before);
    }

    @Test
    void anonymousSetInAnInetTableIsWhatNftWouldWrite(TestNamespaces nss) throws Exception {
        Random rnd = random("anonymous");
        NetNs ns = nss.create("anon");
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));
        List<Range> excluded = NftIntervals.merge(randomV4Prefixes(rnd, 20));
        NftSet anon = NftSet.anonymousIpv4Intervals(INET, TABLE, 7);
        NftBatch b = nft.newBatch(nft.generation());
        b.addTable(ownedTable(INET), true).addChain(postrouting(INET), true).addSet(anon, true)
                .addElements(anon, NftIntervals.elements(excluded))
                .addRule(new NftRule(INET, TABLE, "postrouting", null,
                        notInSetMasquerade(true, NftSet.ANONYMOUS_NAME, 7), null));
        nft.commit(b);

        // nft prints the inline set; load that text into a fresh namespace and compare what the kernel holds.
        String listed = Oracle.run("ip", "netns", "exec", ns.name(), "nft", "list", "table", "inet", TABLE);
        assertThat(listed).contains("table inet " + TABLE).contains("ip daddr != {").contains("masquerade");
        NetNs copy = nss.create("anoncopy");
        NftOracle.load(copy.name(), listed);
        NftClient nftCopy = RawAccess.nftClient(nss.netlink(copy));
        for (NftClient n : List.of(nft, nftCopy)) {
            List<NftSet> sets = n.sets(INET, TABLE);
            assertThat(sets).hasSize(1);
            NftSet s = sets.get(0);
            assertThat(s.isAnonymous()).isTrue();
            assertThat(s.name()).startsWith("__set");
            assertThat(NftIntervals.ranges(n.elements(INET, TABLE, s.name()), 4)).isEqualTo(excluded);
            assertThat(n.rules(INET, TABLE, "postrouting").get(0).expressions())
                    .contains(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, s.name(), null));
        }
        assertThat(nftCopy.tables(INET).get(0).comment()).isEqualTo(Nftables.OWNER_COMMENT);
    }

    @Test
    void setsWrittenByNftAreDecoded(TestNamespaces nss) throws Exception {
        Random rnd = random("fromNft");
        NetNs ns = nss.create("fromnft");
        List<Range> v4 = NftIntervals.merge(randomV4Prefixes(rnd, 500));
        List<Range> v6 = NftIntervals.merge(randomV6Prefixes(rnd, 100));
        List<Range> anon = NftIntervals.merge(randomV4Prefixes(rnd, 10));
        NftOracle.load(ns.name(), "table ip " + TABLE + " {\n"
                + "  set v4 { type ipv4_addr; flags interval; elements = { " + nftText(v4) + " } }\n"
                + "  chain postrouting { type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip daddr != @v4 masquerade\n"
                + "    ip daddr { " + nftText(anon) + " } masquerade\n"
                + "  }\n"
                + "}\n"
                + "table inet " + TABLE + " {\n"
                + "  set v6 { type ipv6_addr; flags interval; elements = { " + nftText(v6) + " } }\n"
                + "}\n");
        NftClient nft = RawAccess.nftClient(nss.netlink(ns));

        NftSet s4 = nft.sets(IP, TABLE).stream().filter(s -> s.name().equals("v4")).findFirst().orElseThrow();
        assertThat(s4.isInterval()).isTrue();
        assertThat(s4.keyType()).isEqualTo(NftSet.TYPE_IPV4_ADDR);
        assertThat(NftIntervals.ranges(nft.elements(IP, TABLE, "v4"), 4)).isEqualTo(v4);

        NftSet anonSet = nft.sets(IP, TABLE).stream().filter(NftSet::isAnonymous).findFirst().orElseThrow();
        assertThat(NftIntervals.ranges(nft.elements(IP, TABLE, anonSet.name()), 4)).isEqualTo(anon);
        List<NftRule> rules = nft.rules(IP, TABLE, "postrouting");
        assertThat(rules.get(0).expressions()).contains(LookupExpr.notIn(NfTablesUapi.NFT_REG_1, "v4", null));
        assertThat(rules.get(1).expressions()).contains(LookupExpr.in(NfTablesUapi.NFT_REG_1, anonSet.name(), null));

        assertThat(nft.tables(INET)).extracting(NftTable::name).containsExactly(TABLE);
        NftSet s6 = nft.sets(INET, TABLE).get(0);
        assertThat(s6.keyType()).isEqualTo(NftSet.TYPE_IPV6_ADDR);
        assertThat(s6.keyLen()).isEqualTo(16);
        assertThat(NftIntervals.ranges(nft.elements(INET, TABLE, "v6"), 16)).isEqualTo(v6);
        assertThat(oracleRanges(ns.name(), "inet", "v6")).isEqualTo(v6);
    }
}
