package dev.overlaynet.it;

import dev.overlaynet.Address;
import dev.overlaynet.AddressFlag;
import dev.overlaynet.Netlink;
import dev.overlaynet.Scope;
import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * IPv4 or IPv6 addresses on a bridge with peer, broadcast, label, scope,
 * flags and lifetimes, against {@code ip -j addr show}. Flags a user sets
 * ("flags") are compared apart from the ones the kernel sets ("state":
 * tentative, deprecated, secondary, dadfailed, permanent). Lifetimes count
 * down, so a lifetime is written "~N" and agrees with any value from N-60 to N.
 */
final class AddressConformance extends ConformanceFamily {
    private static final String DEV = "br0";
    /** ip's JSON keys for the flags a user can set, by AddressFlag name. */
    private static final Map<String, String> USER_FLAGS = Map.of("nodad", "nodad", "optimistic", "optimistic",
            "homeaddress", "home", "managetempaddr", "mngtmpaddr", "noprefixroute", "noprefixroute");
    private static final Map<String, String> STATE_FLAGS = Map.of("secondary", "secondary", "tentative", "tentative",
            "deprecated", "deprecated", "dadfailed", "dadfailed");
    static final Map<String, Scope> SCOPES = Map.of("global", Scope.UNIVERSE, "site", Scope.SITE, "link",
            Scope.LINK, "host", Scope.HOST, "nowhere", Scope.NOWHERE);

    private final boolean v6;

    AddressConformance(boolean v6) {
        this.v6 = v6;
    }

    @Override
    String name() {
        return v6 ? "addr6" : "addr4";
    }

    @Override
    void prepare(String ns) throws Exception {
        bridgeUp(ns, DEV);
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        String local = v6 ? v6(r) : "10." + between(r, 1, 232) + "." + r.nextInt(256) + "." + between(r, 1, 254);
        int len = v6 ? (chance(r, 0.5) ? 64 : between(r, 8, 128)) : between(r, 8, 32);
        in.put("local", local);
        if (chance(r, 0.2)) {
            in.put("peer", v6 ? v6(r) : v4(r));
            len = v6 ? 128 : 32;
        }
        in.put("prefixLength", len);
        if (!v6 && !in.containsKey("peer") && chance(r, 0.3)) {
            in.put("broadcast", v4(r));
        }
        if (!v6 && chance(r, 0.4)) {
            in.put("label", DEV + ":" + Integer.toString(r.nextInt(1_000_000), 36));
        }
        if (chance(r, 0.4)) {
            in.put("scope", oneOf(r, "global", "site", "link", "host"));
        }
        Set<String> flags = new TreeSet<>();
        for (String f : USER_FLAGS.keySet()) {
            if (chance(r, 0.25) && (!f.equals("managetempaddr") || (v6 && len == 64))) {
                flags.add(f);
            }
        }
        in.put("flags", String.join(",", flags));
        if (chance(r, 0.4)) {
            long valid = between(r, 1, 1_000_000);
            in.put("validLifetime", valid);
            in.put("preferredLifetime", chance(r, 0.1) ? 0L : (long) between(r, 0, (int) valid));
        }
        return in;
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = canonAll(in);
        out.put(REBUILD, "ok");
        Set<String> flags = new TreeSet<>(List.of(((String) in.get("flags")).split(",")));
        flags.remove("");
        if (v6) {
            flags.remove("optimistic"); // needs optimistic_dad (off by default) and DAD
            if (in.containsKey("scope")) {
                out.put("scope", "global"); // IPv6 derives the scope from the address: fd00::/8 is global
            }
        } else {
            flags.retainAll(List.of("noprefixroute")); // IPv4 drops the IPv6-only flags
        }
        out.put("flags", String.join(",", flags));
        for (String k : new String[] {"validLifetime", "preferredLifetime"}) {
            if (in.containsKey(k)) {
                out.put(k, "~" + in.get(k));
            }
        }
        return out;
    }

    private Address build(Map<String, Object> in) {
        Set<AddressFlag> flags = EnumSet.noneOf(AddressFlag.class);
        for (String f : ((String) in.get("flags")).split(",")) {
            if (!f.isEmpty()) {
                flags.add(AddressFlag.valueOf(f.toUpperCase(Locale.ROOT)));
            }
        }
        Address.Builder b = Address.builder().link(DEV).prefix(in.get("local") + "/" + in.get("prefixLength"))
                .flags(flags).label((String) in.get("label")).scope(in.containsKey("scope") ? SCOPES.get((String) in.get("scope")) : null)
                .validLifetime((Long) in.get("validLifetime")).preferredLifetime((Long) in.get("preferredLifetime"));
        if (in.containsKey("peer")) {
            b.peer((String) in.get("peer"));
        }
        if (in.containsKey("broadcast")) {
            b.broadcast((String) in.get("broadcast"));
        }
        return b.build();
    }

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        nl.addresses().add(build(in));
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        List<String> a = new ArrayList<>(List.of("addr", "add"));
        if (in.containsKey("peer")) {
            a.addAll(List.of((String) in.get("local"), "peer", in.get("peer") + "/" + in.get("prefixLength")));
        } else {
            a.add(in.get("local") + "/" + in.get("prefixLength"));
        }
        a.addAll(List.of("dev", DEV));
        options(a, in, "broadcast", "broadcast", "label", "label", "scope", "scope");
        for (String f : ((String) in.get("flags")).split(",")) {
            if (!f.isEmpty()) {
                a.add(USER_FLAGS.get(f));
            }
        }
        if (in.containsKey("validLifetime")) {
            a.addAll(List.of("valid_lft", in.get("validLifetime").toString(), "preferred_lft",
                    in.get("preferredLifetime").toString()));
        }
        LinkOracle.ip(ns, a.toArray(new String[0]));
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        List<Map<String, Object>> links = (List<Map<String, Object>>) Oracle.json("ip", "-n", ns, "-j", "addr", "show",
                "dev", DEV);
        List<Map<String, Object>> info = (List<Map<String, Object>>) links.get(0).get("addr_info");
        for (Map<String, Object> m : info) {
            if (!in.get("local").equals(m.get("local"))) {
                continue;
            }
            Map<String, String> out = new LinkedHashMap<>();
            out.put("local", str(m, "local"));
            out.put("peer", str(m, "address"));
            out.put("prefixLength", str(m, "prefixlen"));
            out.put("broadcast", str(m, "broadcast"));
            out.put("label", str(m, "label"));
            out.put("scope", str(m, "scope"));
            Set<String> flags = new TreeSet<>();
            USER_FLAGS.forEach((name, key) -> {
                if (Boolean.TRUE.equals(m.get(key))) {
                    flags.add(name);
                }
            });
            out.put("flags", String.join(",", flags));
            Set<String> state = new TreeSet<>();
            STATE_FLAGS.forEach((name, key) -> {
                if (Boolean.TRUE.equals(m.get(key))) {
                    state.add(name);
                }
            });
            if (!Boolean.TRUE.equals(m.get("dynamic"))) {
                state.add("permanent"); // ip prints "dynamic" for an address without IFA_F_PERMANENT
            }
            out.put("state", String.join(",", state));
            out.put("validLifetime", lifetime(m.get("valid_life_time")));
            out.put("preferredLifetime", lifetime(m.get("preferred_life_time")));
            return out;
        }
        throw new AssertionError("ip addr show has no " + in.get("local") + ": " + info);
    }

    private static String lifetime(Object v) {
        if (v == null) {
            return ABSENT;
        }
        long l = ((Number) v).longValue();
        return l == Address.FOREVER ? "forever" : "~" + l;
    }

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        for (Address a : nl.addresses().list(DEV)) {
            if (!text(a.local()).equals(in.get("local"))) {
                continue;
            }
            Map<String, String> out = new LinkedHashMap<>();
            out.put("local", canon(a.local()));
            out.put("peer", canon(a.peer()));
            out.put("prefixLength", Integer.toString(a.prefix().length()));
            out.put("broadcast", canon(a.broadcast()));
            out.put("label", canon(a.label()));
            String scope = ABSENT;
            for (Map.Entry<String, Scope> e : SCOPES.entrySet()) {
                if (e.getValue().equals(a.scope())) {
                    scope = e.getKey();
                }
            }
            out.put("scope", scope);
            Set<String> flags = new TreeSet<>();
            Set<String> state = new TreeSet<>();
            for (AddressFlag f : a.flags()) {
                String n = canon(f);
                if (USER_FLAGS.containsKey(n)) {
                    flags.add(n);
                } else if (STATE_FLAGS.containsKey(n) || n.equals("permanent")) {
                    state.add(n);
                }
            }
            out.put("flags", String.join(",", flags));
            out.put("state", String.join(",", state));
            // the library decodes forever/forever as unset (documented on Address)
            out.put("validLifetime", a.validLifetime() == null || a.validLifetime() == Address.FOREVER ? "forever"
                    : a.validLifetime().toString());
            out.put("preferredLifetime", a.preferredLifetime() == null || a.preferredLifetime() == Address.FOREVER
                    ? "forever" : a.preferredLifetime().toString());
            out.put(REBUILD, rebuild(() -> a.toBuilder().build()));
            return out;
        }
        throw new AssertionError("the library lists no address " + in.get("local"));
    }

    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        Address a = build(in);
        return ensureAll(() -> MutationCount.of(nl), List.of(() -> nl.addresses().ensure(a)));
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        Oracle.exec("ip", "-n", ns, "addr", "del", in.get("local") + "/" + in.get("prefixLength"), "dev", DEV);
    }
}
