package dev.overlaynet.it;

import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.NeighbourState;
import dev.overlaynet.Netlink;
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
 * IPv4 or IPv6 neighbour entries on a bridge: every state a user can set
 * (permanent, noarp, reachable, stale, delay, probe), the router and
 * extern_learn flags, and proxy entries, against {@code ip -j neigh show}.
 * The namespace's neighbour timers are set to an hour so that no state
 * moves on while a case runs.
 */
final class NeighConformance extends ConformanceFamily {
    private static final String DEV = "br0";
    private final boolean v6;

    NeighConformance(boolean v6) {
        this.v6 = v6;
    }

    @Override
    String name() {
        return v6 ? "neigh6" : "neigh4";
    }

    @Override
    void prepare(String ns) throws Exception {
        bridgeUp(ns, DEV);
        String fam = v6 ? "ipv6" : "ipv4";
        for (String k : new String[] {"base_reachable_time_ms", "retrans_time_ms"}) {
            Oracle.Result r = Oracle.execIn(ns, "sysctl", "-q", "-w", "net." + fam + ".neigh." + DEV + "." + k + "=3600000");
            if (!r.ok()) {
                throw new IllegalStateException("sysctl " + k + ": " + r.stderr());
            }
        }
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("ip", v6 ? "fd00::" + Integer.toHexString(between(r, 2, 0xffff)) + ":" + Integer.toHexString(n + 1)
                : "10.233." + (n % 250) + "." + between(r, 2, 254));
        if (chance(r, 0.12)) {
            in.put("flags", "proxy");
            return in;
        }
        in.put("lladdr", mac(r));
        in.put("state", oneOf(r, "permanent", "noarp", "reachable", "stale", "delay", "probe"));
        Set<String> flags = new TreeSet<>();
        if (chance(r, 0.3)) {
            flags.add("router");
        }
        if (chance(r, 0.2)) {
            flags.add("ext_learned");
        }
        in.put("flags", String.join(",", flags));
        return in;
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = canonAll(in);
        out.put("dev", DEV);
        out.put(REBUILD, "ok");
        if ("delay".equals(out.get("state"))) {
            out.put("state", "probe");
        }
        return out;
    }

    private static boolean proxy(Map<String, Object> in) {
        return "proxy".equals(in.get("flags"));
    }

    private static Neighbour build(Map<String, Object> in) {
        if (proxy(in)) {
            return Neighbour.proxy(DEV, (String) in.get("ip"));
        }
        Set<NeighbourFlag> flags = EnumSet.noneOf(NeighbourFlag.class);
        for (String f : ((String) in.get("flags")).split(",")) {
            if (!f.isEmpty()) {
                flags.add(NeighbourFlag.valueOf(f.toUpperCase(Locale.ROOT)));
            }
        }
        return Neighbour.builder().dev(DEV).ip((String) in.get("ip")).lladdr((String) in.get("lladdr"))
                .state(NeighbourState.valueOf(((String) in.get("state")).toUpperCase(Locale.ROOT))).flags(flags).build();
    }

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        nl.neighbours().add(build(in));
        settle(ns, in);
    }

    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        Neighbour n = build(in);
        return ensureAll(() -> MutationCount.of(nl), List.of(() -> nl.neighbours().ensure(n)));
    }

    /**
     * DELAY lasts until the next timer tick, when it turns into PROBE (the
     * table in {@link KernelDifferences}); waits for that tick so that both
     * readers see the same state. A wait for the kernel, never a verdict.
     */
    private static void settle(String ns, Map<String, Object> in) throws Exception {
        if (!"delay".equals(in.get("state"))) {
            return;
        }
        for (int i = 0; i < 1000; i++) {
            String out = Oracle.run("ip", "-n", ns, "neigh", "show", (String) in.get("ip"), "dev", DEV, "nud", "all");
            if (!out.contains("DELAY")) {
                return;
            }
            Thread.sleep(10);
        }
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        if (proxy(in)) {
            LinkOracle.ip(ns, "neigh", "add", "proxy", (String) in.get("ip"), "dev", DEV);
            return;
        }
        List<String> a = new ArrayList<>(List.of("neigh", "add", (String) in.get("ip"), "lladdr",
                (String) in.get("lladdr"), "dev", DEV, "nud", (String) in.get("state")));
        for (String f : ((String) in.get("flags")).split(",")) {
            if (!f.isEmpty()) {
                a.add(f.equals("ext_learned") ? "extern_learn" : f);
            }
        }
        LinkOracle.ip(ns, a.toArray(new String[0]));
        settle(ns, in);
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        List<Map<String, Object>> all = (List<Map<String, Object>>) (proxy(in)
                ? Oracle.json("ip", "-n", ns, "-j", "neigh", "show", "proxy", "dev", DEV)
                : Oracle.json("ip", "-n", ns, "-j", "neigh", "show", "nud", "all", "dev", DEV));
        for (Map<String, Object> m : all) {
            if (in.get("ip").equals(m.get("dst"))) {
                Map<String, String> out = new LinkedHashMap<>();
                out.put("ip", str(m, "dst"));
                out.put("dev", m.containsKey("dev") ? str(m, "dev") : DEV); // "show dev X" leaves dev out
                Set<String> flags = new TreeSet<>();
                if (m.containsKey("router")) {
                    flags.add("router");
                }
                if (m.containsKey("extern_learn")) {
                    flags.add("ext_learned");
                }
                if (proxy(in)) {
                    flags.add("proxy"); // ip lists proxies separately, without a flag
                } else {
                    out.put("lladdr", str(m, "lladdr"));
                    List<Object> st = (List<Object>) m.getOrDefault("state", List.of());
                    Set<String> states = new TreeSet<>();
                    st.forEach(s -> states.add(s.toString().toLowerCase(Locale.ROOT)));
                    out.put("state", String.join(",", states));
                }
                out.put("flags", String.join(",", flags));
                return out;
            }
        }
        throw new AssertionError("ip neigh show has no " + in.get("ip") + ": " + all);
    }

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        Neighbour n;
        if (proxy(in)) {
            n = nl.neighbours().listProxies().stream().filter(x -> text(x.ip()).equals(in.get("ip"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no proxy entry " + in.get("ip")));
        } else {
            n = nl.neighbours().get(DEV, (String) in.get("ip"))
                    .orElseThrow(() -> new AssertionError("no entry " + in.get("ip")));
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("ip", canon(n.ip()));
        out.put("dev", canon(n.dev()));
        if (!proxy(in)) {
            out.put("lladdr", canon(n.lladdr()));
            Set<String> states = new TreeSet<>();
            n.state().forEach(s -> states.add(canon(s)));
            out.put("state", String.join(",", states));
        }
        Set<String> flags = new TreeSet<>();
        n.flags().forEach(f -> flags.add(canon(f)));
        out.put("flags", String.join(",", flags));
        Neighbour read = n;
        out.put(REBUILD, rebuild(() -> read.toBuilder().build()));
        return out;
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        if (proxy(in)) {
            Oracle.exec("ip", "-n", ns, "neigh", "del", "proxy", (String) in.get("ip"), "dev", DEV);
        } else {
            Oracle.exec("ip", "-n", ns, "neigh", "del", (String) in.get("ip"), "dev", DEV);
        }
    }
}
