package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The link cache never answers with a stale index. Another process renames,
 * deletes and recreates, and moves links between namespaces; right after each
 * command returns (no wait), every name is looked up through the handle
 * (which uses the cache) and compared with SIOCGIFINDEX, the kernel's answer
 * at that moment. Random sequence with a printed seed
 * ({@code -Doverlaynet.linkcache.seed}). In package {@code dev.overlaynet} for
 * the reader-stall hook that opens the change-versus-lookup race on demand.
 */
@ExtendWith(NetnsExtension.class)
class LinkCacheTest {
    private static final String[] NAMES = {"lc0", "lc1", "lc2", "lc3", "lc4"};

    private static void ip(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns));
        cmd.addAll(List.of(args));
        Oracle.run(cmd.toArray(new String[0]));
    }

    /** The handle's answer (cache or fallback) in ioctl form: index, or -1 for ENODEV. */
    private static int lookup(Netlink nl, String name) throws NetlinkException {
        try {
            return nl.ifindex(name);
        } catch (NetlinkException e) {
            if (e.errnoName().equals("ENODEV")) {
                return -1;
            }
            throw e;
        }
    }

    private static void assertExact(Netlink nl, String step) throws NetlinkException {
        for (String n : NAMES) {
            int truth = nl.socket().interfaceIndex(n);
            assertThat(lookup(nl, n)).as("%s: %s", step, n).isEqualTo(truth);
        }
    }

    @Test
    void renamesRecreatesAndMovesNeverGiveAStaleIndex(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("overlaynet.linkcache.seed", System.nanoTime());
        System.out.println("LinkCacheTest seed " + seed);
        Random rnd = new Random(seed);
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        String na = nss.nameOf(a);
        String nb = nss.nameOf(b);
        Netlink nl = nss.netlink(a);
        LinkCache cache = nl.linkCache();
        List<String> here = new ArrayList<>();
        List<String> there = new ArrayList<>();
        int steps = 300;
        for (int step = 0; step < steps; step++) {
            List<String> free = new ArrayList<>(List.of(NAMES));
            free.removeAll(here);
            free.removeAll(there);
            int op = rnd.nextInt(5);
            String what;
            if (here.isEmpty() || op == 0 && !free.isEmpty()) {
                String n = free.isEmpty() ? null : free.get(rnd.nextInt(free.size()));
                if (n == null) {
                    continue;
                }
                ip(na, "link", "add", n, "type", "ifb");
                here.add(n);
                what = "add " + n;
            } else if (op == 1 && !free.isEmpty()) {
                String from = here.remove(rnd.nextInt(here.size()));
                String to = free.get(rnd.nextInt(free.size()));
                ip(na, "link", "set", from, "name", to);
                here.add(to);
                what = "rename " + from + " -> " + to;
            } else if (op == 2) {
                String n = here.get(rnd.nextInt(here.size()));
                ip(na, "link", "del", n);
                ip(na, "link", "add", n, "type", "ifb");
                what = "delete and recreate " + n;
            } else if (op == 3) {
                String n = here.remove(rnd.nextInt(here.size()));
                ip(na, "link", "set", n, "netns", nb);
                there.add(n);
                what = "move " + n + " out";
            } else if (!there.isEmpty()) {
                String n = there.remove(rnd.nextInt(there.size()));
                ip(nb, "link", "set", n, "netns", na);
                here.add(n);
                what = "move " + n + " back";
            } else {
                String n = here.remove(rnd.nextInt(here.size()));
                ip(na, "link", "del", n);
                what = "delete " + n;
            }
            assertExact(nl, "step " + step + " (" + what + ")");
        }
        System.out.printf("link cache: %d answers from the cache (%d proved by the counter), %d from the kernel%n",
                cache.hits(), cache.hitsByCount(), cache.fallbacks());
        assertThat(cache.hits()).as("the cache answered at all").isPositive();
        assertThat(cache.hitsByCount()).as("lookups proved by the delivery counter, no syscall").isPositive();
    }

    @Test
    void aChangeQueuedButNotYetAppliedIsNeverAnsweredFromTheCache(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("r");
        String na = nss.nameOf(a);
        ip(na, "link", "add", "lc0", "type", "bridge");
        Netlink nl = nss.netlink(a);
        LinkCache cache = nl.linkCache();
        int before = nl.ifindex("lc0");
        assertExact(nl, "start");
        for (int round = 0; round < 20; round++) {
            // The reader sees data, then stalls before marking itself busy: the stale window, held open.
            CountDownLatch stall = new CountDownLatch(1);
            cache.stallBeforeBusy = stall;
            String from = round % 2 == 0 ? "lc0" : "lc1";
            String to = round % 2 == 0 ? "lc1" : "lc0";
            ip(na, "link", "set", from, "name", to);
            ip(na, "link", "add", from, "type", "bridge"); // the old name now means another link
            assertExact(nl, "round " + round + " while the reader is stalled");
            cache.stallBeforeBusy = null;
            stall.countDown();
            ip(na, "link", "del", from);
            assertExact(nl, "round " + round + " after the reader caught up");
        }
        assertThat(nl.ifindex(NAMES[0])).isEqualTo(before);
    }

    @Test
    void kindsMastersAndDumpNamesComeFromTheCache(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("k");
        String na = nss.nameOf(a);
        ip(na, "link", "add", "br0", "type", "bridge");
        ip(na, "link", "add", "vx0", "type", "vxlan", "id", "7", "dstport", "4789");
        ip(na, "link", "set", "vx0", "master", "br0");
        ip(na, "link", "set", "br0", "up");
        Netlink nl = nss.netlink(a);
        LinkCache cache = nl.linkCache();
        int br0 = nl.ifindex("br0");
        int vx0 = nl.ifindex("vx0");
        assertThat(cache.kind(vx0)).contains("vxlan");
        assertThat(cache.kind(br0)).contains("bridge");
        assertThat(cache.master(vx0)).contains(br0);
        assertThat(cache.name(vx0)).contains("vx0");
        ip(na, "link", "set", "vx0", "nomaster");
        assertThat(cache.master(vx0)).contains(0);
        ip(na, "neigh", "add", "10.3.0.1", "lladdr", "02:00:00:00:03:01", "dev", "br0", "nud", "permanent");
        long hits = cache.hits();
        List<Neighbour> all = nl.neighbours().list();
        assertThat(all).anyMatch(x -> "br0".equals(x.dev()) && Ip.text(x.ip()).equals("10.3.0.1"));
        assertThat(cache.hits()).as("names for the dump came from the cache").isGreaterThan(hits);
        cache.close();
        assertThat(nl.ifindex("br0")).isEqualTo(br0); // back to the ioctl
    }

    @Test
    void lookupsAreProvedByTheCounterAndAgainAfterAnOverrun(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("k");
        String na = nss.nameOf(a);
        ip(na, "link", "add", "lc0", "type", "bridge");
        Netlink nl = nss.netlink(a);
        LinkCache cache = nl.linkCache();
        assertThat(cache.countsDeliveries()).as("root may load the counting filter").isTrue();
        assertExact(nl, "start");
        awaitCountedProofs(nl, cache, "start");

        // Overrun the cache's socket: the reader stalls while 2,000 links are added.
        CountDownLatch stall = new CountDownLatch(1);
        cache.stallBeforeBusy = stall;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            b.append("link add lf").append(i).append(" type ifb\n");
        }
        Oracle.batch("ip", na, b);
        ip(na, "link", "set", "lc0", "name", "lc1");
        ip(na, "link", "add", "lc0", "type", "bridge");
        assertExact(nl, "stalled, after the flood");
        cache.stallBeforeBusy = null;
        stall.countDown();
        awaitCountedProofs(nl, cache, "after the overrun");
        assertThat(cache.overruns()).as("the flood overran the socket").isPositive();
        assertExact(nl, "after the overrun");
        ip(na, "link", "del", "lc0");
        assertExact(nl, "a delete after the recount");
        ip(na, "link", "set", "lc1", "name", "lc0");
        assertExact(nl, "a rename after the recount");
    }

    /** Waits (bounded) until lookups are answered with the counter's proof again. */
    private static void awaitCountedProofs(Netlink nl, LinkCache cache, String step) throws Exception {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            long before = cache.hitsByCount();
            for (int i = 0; i < 10; i++) {
                lookup(nl, "lc0");
            }
            if (cache.hitsByCount() > before) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(step + ": no lookup proved by the counter within 60 s");
    }
}
