package dev.overlaynet.examples;

import dev.overlaynet.Bridge;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Monitor;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.MonitorTopic;
import dev.overlaynet.Nat;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Subscription;
import dev.overlaynet.Vxlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Prints a namespace's changes as typed events, like {@code ip monitor} (and
 * {@code bridge monitor fdb}, {@code nft monitor}): the current objects
 * first, then every change, with resyncs reported when the kernel drops
 * notifications.
 *
 * <pre>{@code
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.WatchEvents                  # this namespace, until Ctrl-C
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.WatchEvents --netns h1 --topics neigh,fdb --no-snapshot
 * java -cp overlaynet-examples.jar dev.overlaynet.examples.WatchEvents --simulate 1     # makes changes and watches them
 * }</pre>
 */
public final class WatchEvents extends ExampleMain {
    public static void main(String[] argv) {
        new WatchEvents().run(argv);
    }

    @Override
    String usage() {
        return String.join("\n",
                "usage: WatchEvents [--netns NAME] [--topics link,address,route,neigh,fdb,nat_rule] [--link NAME]",
                "                   [--count N] [--snapshot true|false] | --simulate 1",
                "Prints typed events (ADDED/CHANGED/REMOVED, and SYNCED after a snapshot or resync) until Ctrl-C or",
                "N events. With --simulate: a scratch namespace, a series of changes made through the library, and a",
                "check that each one was seen.");
    }

    @Override
    java.util.Set<String> realOptions() {
        return java.util.Set.of("netns", "topics", "link", "count", "snapshot");
    }

    @Override
    java.util.Set<String> simulateOptions() {
        return java.util.Set.of();
    }

    @Override
    int maxSimulatedHosts() {
        return 1; // one scratch namespace: a larger N would be ignored, so it is refused
    }

    private static Monitor configure(Netlink nl, Args a) {
        Monitor m = nl.monitor();
        for (String t : a.get("topics", "link,address,route,neigh,fdb,nat_rule").split(",")) {
            m.topics(MonitorTopic.valueOf(t.strip().toUpperCase(Locale.ROOT)));
        }
        String link = a.get("link", null);
        if (link != null) {
            m.link(link);
        }
        return m.snapshot(Boolean.parseBoolean(a.get("snapshot", "true")));
    }

    @Override
    void real(Args a) throws Exception {
        String netns = a.get("netns", null);
        int count = a.getInt("count", Integer.MAX_VALUE);
        try (Netlink nl = netns == null ? Netlink.open() : Netlink.open(netns);
             Subscription s = configure(nl, a).subscribe()) {
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
            int n = 0;
            for (MonitorEvent e : s) {
                System.out.println(e);
                if (++n >= count) {
                    break;
                }
            }
        }
    }

    @Override
    void simulate(Args a, int hosts) throws Exception {
        try (Simulation sim = Simulation.create("ovex-mon-", 1, false)) {
            Netlink h = sim.handle("h1");
            try (Subscription s = h.monitor().all().subscribe()) {
                check(new Probes.Result(s.awaitSynced(Duration.ofSeconds(30)), "snapshot delivered"),
                        "initial snapshot");
                List<String> expected = List.of(
                        "[LINK] br0 bridge", "[LINK] vxlan0 vxlan id 42", "[ADDRESS] 10.233.0.1/16",
                        "[ROUTE] 10.99.0.0/16", "[NEIGH] 10.233.0.3", "[FDB] 0a:58:0a:e9:00:03",
                        "[NAT_RULE]", "[NEIGH] Deleted 10.233.0.3");
                h.links().add(Bridge.builder().name("br0").build());
                h.links().add(Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).device("eth1")
                        .learning(false).build());
                h.links().up("br0", "vxlan0");
                h.addresses().add("br0", "10.233.0.1/16");
                h.routes().add(Route.builder().dst("10.99.0.0/16").via("10.233.0.254").dev("br0").build());
                h.neighbours().replace(Neighbour.permanent("br0", "10.233.0.3", "0a:58:0a:e9:00:03"));
                h.fdb().replace(FdbEntry.remote("vxlan0", MacAddress.parse("0a:58:0a:e9:00:03"), "172.16.1.12"));
                h.nftables().apply(Nat.masquerade("10.233.0.0/16").tag("demo").build());
                h.neighbours().delete("br0", "10.233.0.3");
                List<String> seen = new ArrayList<>();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < end && !allSeen(expected, seen)) {
                    MonitorEvent e = s.poll(200, TimeUnit.MILLISECONDS);
                    if (e != null) {
                        System.out.println("  " + e);
                        seen.add(e.toString());
                    }
                }
                for (String x : expected) {
                    check(new Probes.Result(seen.stream().anyMatch(l -> matches(l, x)), x), "event " + x);
                }
            }
        }
    }

    private static boolean allSeen(List<String> expected, List<String> seen) {
        return expected.stream().allMatch(x -> seen.stream().anyMatch(l -> matches(l, x)));
    }

    /** "[TOPIC] words" matches an event line with that topic prefix containing each word, in order. */
    private static boolean matches(String line, String pattern) {
        int at = 0;
        for (String w : pattern.split(" ")) {
            int i = line.indexOf(w, at);
            if (i < 0) {
                return false;
            }
            at = i + w.length();
        }
        return true;
    }
}
