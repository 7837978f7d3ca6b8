package dev.overlaynet.monitor;

import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Ip;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a consumer of a subscription holds if it applies every event: the
 * neighbour and FDB entries, keyed and rendered the way {@code ip -j neigh}
 * and {@code bridge -j fdb} print them, so the two can be compared as text.
 * Keys are the test's own (device name and addresses), not the library's.
 */
final class MonitorCopy {
    final Map<String, String> neigh = new ConcurrentHashMap<>();
    final Map<String, String> fdb = new ConcurrentHashMap<>();
    final AtomicLong events = new AtomicLong();
    final AtomicLong synced = new AtomicLong();

    void apply(MonitorEvent e) {
        events.incrementAndGet();
        switch (e.type()) {
            case SYNCED -> synced.incrementAndGet();
            case ADDED, CHANGED -> {
                if (e.previous() != null) {
                    remove(e.previous()); // a changed key (e.g. renamed link) leaves its old rendering
                }
                put(e.value());
            }
            case REMOVED -> remove(e.value());
        }
    }

    private void put(Object v) {
        if (v instanceof Neighbour n) {
            neigh.put(neighKey(n.dev(), Ip.text(n.ip())), neighValue(n.lladdr() == null ? null : n.lladdr().toString(),
                    states(n)));
        } else if (v instanceof FdbEntry f) {
            fdb.put(fdbKey(f.dev(), f.mac().toString(), f.dst() == null ? null : Ip.text(f.dst()),
                    f.vlan() == null ? null : f.vlan().toString()), fdbState(f.state()));
        }
    }

    private void remove(Object v) {
        if (v instanceof Neighbour n) {
            neigh.remove(neighKey(n.dev(), Ip.text(n.ip())));
        } else if (v instanceof FdbEntry f) {
            fdb.remove(fdbKey(f.dev(), f.mac().toString(), f.dst() == null ? null : Ip.text(f.dst()),
                    f.vlan() == null ? null : f.vlan().toString()));
        }
    }

    private static String states(Neighbour n) {
        TreeSet<String> s = new TreeSet<>();
        for (NeighbourState x : n.state()) {
            s.add(x.name());
        }
        return String.join(",", s);
    }

    static String neighKey(String dev, String ip) {
        return dev + " " + ip;
    }

    static String neighValue(String lladdr, String states) {
        return lladdr + " " + states;
    }

    static String fdbKey(String dev, String mac, String dst, String vlan) {
        return dev + " " + mac + " dst " + dst + " vlan " + vlan;
    }

    static String fdbState(FdbEntryState s) {
        return s == null ? "?" : switch (s) {
            case PERMANENT -> "permanent";
            case STATIC -> "static";
            case DYNAMIC -> "";
        };
    }

    /** {@code ip -j neigh show nud all} in the same rendering. */
    @SuppressWarnings("unchecked")
    static Map<String, String> neighOracle(List<Map<String, Object>> shown) {
        Map<String, String> m = new TreeMap<>();
        for (Map<String, Object> o : shown) {
            TreeSet<String> s = new TreeSet<>((List<String>) o.getOrDefault("state", List.of()));
            m.put(neighKey((String) o.get("dev"), (String) o.get("dst")),
                    neighValue((String) o.get("lladdr"), String.join(",", s)));
        }
        return m;
    }

    /** {@code bridge -j fdb show} in the same rendering. */
    static Map<String, String> fdbOracle(List<Map<String, Object>> shown) {
        Map<String, String> m = new TreeMap<>();
        for (Map<String, Object> o : shown) {
            Object vlan = o.get("vlan");
            m.put(fdbKey((String) o.get("ifname"), (String) o.get("mac"), (String) o.get("dst"),
                    vlan == null ? null : vlan.toString()), String.valueOf(o.getOrDefault("state", "")));
        }
        return m;
    }
}
