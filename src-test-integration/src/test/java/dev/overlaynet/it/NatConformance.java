package dev.overlaynet.it;

import dev.overlaynet.EnsureResult;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * NAT rule sets: one to four random rules (masquerade and snat over IPv4 or
 * IPv6 with default, explicit or no destination exclusions; IPv4 port
 * forwards in prerouting or output, with or without a host address;
 * counters and tags), applied by the library or loaded as nft text written
 * here from the same input. {@code nft -j list ruleset} is read back into
 * the rules' fields by a small interpreter of nft's JSON in this class. A
 * rule is named by family, chain and position, e.g. {@code ip postrouting #0}.
 */
final class NatConformance extends ConformanceFamily {
    private static final String TABLE = "overlaynet";

    @Override
    String name() {
        return "nat";
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        List<Map<String, Object>> rules = new ArrayList<>();
        int count = between(r, 1, 4);
        for (int i = 0; i < count; i++) {
            Map<String, Object> rule = new LinkedHashMap<>();
            int kind = r.nextInt(3);
            boolean v6 = kind != 2 && chance(r, 0.35);
            rule.put("family", v6 ? "ip6" : "ip");
            if (kind == 2) {
                rule.put("kind", "dnat");
                rule.put("chain", chance(r, 0.3) ? "output" : "prerouting");
                rule.put("protocol", oneOf(r, "tcp", "udp"));
                rule.put("hostPort", between(r, 1, 65535));
                rule.put("toAddress", v4(r));
                rule.put("toPort", between(r, 1, 65535));
                if (chance(r, 0.4)) {
                    rule.put("hostAddress", v4(r));
                }
            } else {
                rule.put("kind", kind == 0 ? "masquerade" : "snat");
                rule.put("chain", "postrouting");
                String src = prefix(r, v6);
                rule.put("source", src);
                int ex = r.nextInt(3);
                List<String> excluded = new ArrayList<>();
                if (ex == 0) {
                    rule.put("_exclusion", "default");
                    excluded.add(src);
                } else if (ex == 1) {
                    rule.put("_exclusion", "none");
                } else {
                    for (int k = between(r, 1, 2); k > 0; k--) {
                        excluded.add(prefix(r, v6));
                    }
                    rule.put("_exclusion", "explicit");
                }
                rule.put("excluded", String.join(",", excluded));
                if (kind == 1) {
                    rule.put("toAddress", v6 ? v6(r) : v4(r));
                }
            }
            rule.put("counter", chance(r, 0.4));
            if (chance(r, 0.6)) {
                rule.put("tag", "t" + n + "-" + i + (chance(r, 0.5) ? " " + truncate(LinkConformance.alias(r), 30) : ""));
            }
            rules.add(rule);
        }
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("_rules", rules);
        return in;
    }

    /** At most {@code chars} characters, without the quotes and backslashes nft's text syntax can not hold. */
    private static String truncate(String s, int chars) {
        s = s.replaceAll("[\"'\\\\]", "");
        return s.length() <= chars ? s : s.substring(0, chars).strip();
    }

    private static String prefix(Random r, boolean v6) {
        byte[] b = new byte[v6 ? 16 : 4];
        r.nextBytes(b);
        int len = v6 ? between(r, 16, 128) : between(r, 8, 32);
        b[0] = (byte) (v6 ? 0xfd : 10);
        for (int i = len; i < b.length * 8; i++) {
            b[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        }
        try {
            return text(java.net.InetAddress.getByAddress(b)) + "/" + len;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(Map<String, Object> in) {
        return (List<Map<String, Object>>) in.get("_rules");
    }

    private static final List<String> FIELDS = List.of("kind", "source", "excluded", "toAddress", "toPort", "protocol",
            "hostPort", "hostAddress", "counter", "tag");

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> position = new TreeMap<>();
        for (Map<String, Object> rule : rules(in)) {
            String where = rule.get("family") + " " + rule.get("chain");
            int k = position.merge(where, 1, Integer::sum) - 1;
            for (String f : FIELDS) {
                Object v = rule.get(f);
                out.put(f + "@" + where + " #" + k, f.equals("excluded") && v == null ? "" : canon(v));
            }
            out.put(REBUILD + "@" + where + " #" + k, "ok");
        }
        return out;
    }

    private static NatRule build(Map<String, Object> rule) {
        NatRule.Builder b;
        switch ((String) rule.get("kind")) {
            case "masquerade" -> b = Nat.masquerade((String) rule.get("source"));
            case "snat" -> b = Nat.snat((String) rule.get("source"), (String) rule.get("toAddress"));
            default -> {
                b = Nat.portForward(NatRule.Protocol.valueOf(((String) rule.get("protocol")).toUpperCase(Locale.ROOT)),
                        (Integer) rule.get("hostPort"), (String) rule.get("toAddress"), (Integer) rule.get("toPort"));
                if (rule.containsKey("hostAddress")) {
                    b.hostAddress((String) rule.get("hostAddress"));
                }
                if ("output".equals(rule.get("chain"))) {
                    b.fromLocalHost();
                }
            }
        }
        if ("none".equals(rule.get("_exclusion"))) {
            b.noDestinationExclusion();
        } else if ("explicit".equals(rule.get("_exclusion"))) {
            b.excludeDestinations(((String) rule.get("excluded")).split(","));
        }
        b.counter((Boolean) rule.get("counter"));
        if (rule.containsKey("tag")) {
            b.tag((String) rule.get("tag"));
        }
        return b.build();
    }

    private static List<NatRule> buildAll(Map<String, Object> in) {
        List<NatRule> out = new ArrayList<>();
        rules(in).forEach(r -> out.add(build(r)));
        return out;
    }

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        nl.nftables().apply(buildAll(in));
    }

    /** The rule set as nft text, written from the input (as NatInteropTest's hand-written text is). */
    static String nftText(Map<String, Object> in) {
        Map<String, Map<String, List<String>>> byFamily = new TreeMap<>();
        for (Map<String, Object> rule : rules(in)) {
            String f = (String) rule.get("family");
            StringBuilder sb = new StringBuilder();
            if (rule.get("kind").equals("dnat")) {
                sb.append(rule.containsKey("hostAddress") ? "ip daddr " + rule.get("hostAddress") : "fib daddr type local");
                sb.append(' ').append(rule.get("protocol")).append(" dport ").append(rule.get("hostPort"));
            } else {
                sb.append(f).append(" saddr ").append(rule.get("source"));
                for (String e : ((String) rule.get("excluded")).split(",")) {
                    if (!e.isEmpty()) {
                        sb.append(' ').append(f).append(" daddr != ").append(e);
                    }
                }
            }
            if ((Boolean) rule.get("counter")) {
                sb.append(" counter");
            }
            switch ((String) rule.get("kind")) {
                case "masquerade" -> sb.append(" masquerade");
                case "snat" -> sb.append(" snat to ").append(rule.get("toAddress"));
                default -> sb.append(" dnat to ").append(rule.get("toAddress")).append(':').append(rule.get("toPort"));
            }
            if (rule.containsKey("tag")) {
                sb.append(" comment \"").append(rule.get("tag")).append('"');
            }
            byFamily.computeIfAbsent(f, k -> new LinkedHashMap<>())
                    .computeIfAbsent((String) rule.get("chain"), k -> new ArrayList<>()).add(sb.toString());
        }
        StringBuilder t = new StringBuilder();
        byFamily.forEach((family, chains) -> {
            t.append("table ").append(family).append(' ').append(TABLE).append(" {\n  comment \"managed by overlaynet\"\n");
            chains.forEach((chain, lines) -> {
                String prio = chain.equals("postrouting") ? "srcnat" : chain.equals("prerouting") ? "dstnat" : "-100";
                t.append("  chain ").append(chain).append(" { type nat hook ").append(chain).append(" priority ")
                        .append(prio).append("; policy accept;\n");
                lines.forEach(l -> t.append("    ").append(l).append('\n'));
                t.append("  }\n");
            });
            t.append("}\n");
        });
        return t.toString();
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        NftOracle.load(ns, nftText(in));
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        Oracle.Result res = Oracle.execIn(ns, "nft", "-j", "list", "ruleset");
        if (!res.ok()) {
            throw new IllegalStateException("nft -j list ruleset: " + res.stderr());
        }
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> position = new TreeMap<>();
        for (Object o : (List<Object>) Json.path(Json.parse(res.stdout().strip()), "nftables")) {
            Map<String, Object> rule = (Map<String, Object>) ((Map<String, Object>) o).get("rule");
            if (rule == null || !TABLE.equals(rule.get("table"))) {
                continue;
            }
            String where = rule.get("family") + " " + rule.get("chain");
            int k = position.merge(where, 1, Integer::sum) - 1;
            Map<String, String> f = interpret((List<Object>) rule.get("expr"));
            f.put("tag", canon(rule.get("comment")));
            for (String field : FIELDS) {
                out.put(field + "@" + where + " #" + k, f.getOrDefault(field, ABSENT));
            }
        }
        return out;
    }

    /** The rule fields of one nft JSON expression list. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> interpret(List<Object> exprs) {
        Map<String, String> f = new LinkedHashMap<>();
        List<String> excluded = new ArrayList<>();
        f.put("counter", "false");
        for (Object e : exprs) {
            Map<String, Object> x = (Map<String, Object>) e;
            if (x.containsKey("match")) {
                Map<String, Object> m = (Map<String, Object>) x.get("match");
                Object left = m.get("left");
                String op = (String) m.get("op");
                Map<String, Object> payload = (Map<String, Object>) Json.path(left, "payload");
                Map<String, Object> meta = (Map<String, Object>) Json.path(left, "meta");
                if (payload != null && "saddr".equals(payload.get("field"))) {
                    f.put("source", prefixText(m.get("right")));
                } else if (payload != null && "daddr".equals(payload.get("field"))) {
                    if ("!=".equals(op)) {
                        excluded.add(prefixText(m.get("right")));
                    } else {
                        f.put("hostAddress", canon(m.get("right")));
                    }
                } else if (payload != null && "dport".equals(payload.get("field"))) {
                    f.put("protocol", (String) payload.get("protocol"));
                    f.put("hostPort", canon(m.get("right")));
                } else if (meta != null && "l4proto".equals(meta.get("key"))) {
                    f.put("protocol", canon(m.get("right")));
                }
            } else if (x.containsKey("counter")) {
                f.put("counter", "true");
            } else if (x.containsKey("masquerade")) {
                f.put("kind", "masquerade");
            } else if (x.containsKey("snat") || x.containsKey("dnat")) {
                boolean s = x.containsKey("snat");
                Map<String, Object> nat = (Map<String, Object>) x.get(s ? "snat" : "dnat");
                f.put("kind", s ? "snat" : "dnat");
                f.put("toAddress", canon(nat.get("addr")));
                if (nat.containsKey("port")) {
                    f.put("toPort", canon(nat.get("port")));
                }
            }
        }
        f.put("excluded", f.containsKey("source") || !excluded.isEmpty() ? String.join(",", excluded) : "");
        return f;
    }

    private static String prefixText(Object right) {
        if (right instanceof Map<?, ?> m && m.get("prefix") instanceof Map<?, ?> p) {
            return text(addr((String) p.get("addr"))) + "/" + p.get("len");
        }
        String a = text(addr((String) right));
        return a + (a.contains(":") ? "/128" : "/32");
    }

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> position = new TreeMap<>();
        for (OwnedRule o : nl.nftables().rules()) {
            String where = (o.family() == 10 ? "ip6" : "ip") + " " + o.chain();
            int k = position.merge(where, 1, Integer::sum) - 1;
            Map<String, String> f = new LinkedHashMap<>();
            f.put(REBUILD, o.natRule().map(r -> rebuild(() -> r.toBuilder().build())).orElse("not a typed rule"));
            o.natRule().ifPresent(r -> {
                f.put("kind", canon(r.kind()));
                f.put("source", prefix(r.source()));
                List<String> ex = new ArrayList<>();
                r.excludedDestinations().forEach(p -> ex.add(prefix(p)));
                f.put("excluded", String.join(",", ex));
                f.put("toAddress", canon(r.toAddress()));
                f.put("toPort", canon(r.toPort()));
                f.put("protocol", canon(r.protocol()));
                f.put("hostPort", canon(r.hostPort()));
                f.put("hostAddress", canon(r.hostAddress()));
                f.put("counter", canon(r.counter()));
            });
            f.put("tag", canon(o.tag()));
            for (String field : FIELDS) {
                out.put(field + "@" + where + " #" + k, f.getOrDefault(field, ABSENT));
            }
            out.put(REBUILD + "@" + where + " #" + k, f.get(REBUILD));
        }
        return out;
    }

    private static String prefix(IpPrefix p) {
        return p == null ? ABSENT : text(p.address()) + "/" + p.length();
    }

    /** The second apply: the library's count of rules added, and whether nft's listing moved at all. */
    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        String before = NftOracle.ruleset(ns);
        int added = nl.nftables().apply(buildAll(in));
        boolean moved = !before.equals(NftOracle.ruleset(ns));
        return new Ensured(added == 0 && !moved ? EnsureResult.UNCHANGED : EnsureResult.CHANGED, added + (moved ? 1 : 0),
                moved ? "nft list ruleset changed" : "");
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        for (String family : new String[] {"ip", "ip6"}) {
            Oracle.execIn(ns, "nft", "delete", "table", family, TABLE);
        }
    }
}
