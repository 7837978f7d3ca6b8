package dev.overlaynet.it;

import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What iproute2, bridge, nft and sysctl say about a namespace, normalised so
 * two snapshots are equal exactly when the configuration is: fields that
 * change by themselves (counters, timers, operstate and carrier flags) are dropped. None of the commands
 * below print statistics (no {@code -s}); the list is a safety net. A link
 * that was never up shows qdisc {@code noop}; once it has been up it keeps
 * its default {@code noqueue} even when down again: the kernel's memory of
 * having been up, not configuration, so the two read the same here.
 */
final class Snapshot {
    /** Counters and timers; besides these, every key ending in {@code _timer} (bridge and port STP/GC timers) is dropped. */
    private static final Set<String> VOLATILE = Set.of("stats", "stats64", "used", "confirmed", "updated", "probes");

    private Snapshot() {}

    /** Links (with details), addresses, routes, neighbours, FDB, nft ruleset and ip_forward of {@code ns}. */
    static Map<String, Object> host(String ns) throws Exception {
        Map<String, Object> s = container(ns);
        s.put("neigh", configuredNeighbours(Oracle.json("ip", "-n", ns, "-j", "neigh", "show")));
        s.put("fdb", configuredFdb(Oracle.json("bridge", "-n", ns, "-j", "fdb", "show")));
        s.put("nft", normalise(Oracle.json("ip", "netns", "exec", ns, "nft", "-j", "list", "ruleset")));
        s.put("ip_forward", Oracle.run("ip", "netns", "exec", ns, "sysctl", "-n", "net.ipv4.ip_forward").strip());
        return s;
    }

    /** Links (with details), addresses and routes of {@code ns}. */
    static Map<String, Object> container(String ns) throws Exception {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("link", normalise(Oracle.json("ip", "-n", ns, "-d", "-j", "link", "show")));
        s.put("addr", normalise(Oracle.json("ip", "-n", ns, "-j", "addr", "show")));
        s.put("route", normalise(Oracle.json("ip", "-n", ns, "-j", "route", "show", "table", "all")));
        return s;
    }

    /**
     * What differs between two snapshots, per section: the entries only in
     * {@code before} ("-") and only in {@code after} ("+"). Empty when equal.
     */
    static List<String> diff(Map<String, Object> before, Map<String, Object> after) {
        List<String> out = new ArrayList<>();
        for (String k : before.keySet()) {
            Object b = before.get(k);
            Object a = after.get(k);
            if (java.util.Objects.equals(a, b)) {
                continue;
            }
            if (b instanceof List<?> bl && a instanceof List<?> al) {
                int found = out.size();
                for (Object x : bl) {
                    if (!al.contains(x)) {
                        out.add(k + " - " + x);
                    }
                }
                for (Object x : al) {
                    if (!bl.contains(x)) {
                        out.add(k + " + " + x);
                    }
                }
                if (out.size() == found) {
                    out.add(k + ": same entries, other order");
                }
            } else {
                out.add(k + ": " + b + " -> " + a);
            }
        }
        return out;
    }

    /**
     * Neighbour entries someone configured (PERMANENT, NOARP). Resolved ones
     * (REACHABLE, STALE, ...) are the kernel's ARP cache: VXLAN traffic between
     * hosts leaves them on the underlay by itself.
     */
    /**
     * FDB entries someone configured (permanent or static); entries the bridge or
     * vxlan learned from traffic come and go with timing, like the ARP cache.
     */
    private static Object configuredFdb(Object fdb) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) normalise(fdb)) {
            Object state = ((Map<?, ?>) o).get("state");
            if (state != null && !"".equals(state)) {
                out.add(o);
            }
        }
        return out;
    }

    private static Object configuredNeighbours(Object neigh) {
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) normalise(neigh)) {
            Object state = ((Map<?, ?>) o).get("state");
            if (state instanceof List<?> l && (l.contains("PERMANENT") || l.contains("NOARP"))) {
                out.add(o);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normalise(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = (String) e.getKey();
                if (VOLATILE.contains(k) || k.endsWith("_timer") || k.equals("operstate")) {
                    continue;
                }
                if (k.equals("flags") && e.getValue() instanceof List<?> flags) {
                    // Carrier is the kernel's runtime state, reached asynchronously (a bridge gets
                    // it when a port starts forwarding): not configuration, so not compared.
                    List<Object> kept = new ArrayList<>(flags);
                    kept.removeAll(List.of("NO-CARRIER", "LOWER_UP", "DORMANT", "M-DOWN"));
                    out.put(k, kept);
                    continue;
                }
                out.put(k, k.equals("qdisc") && "noop".equals(e.getValue()) ? "noqueue" : normalise(e.getValue()));
            }
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(normalise(x));
            }
            return out;
        }
        return o;
    }
}
