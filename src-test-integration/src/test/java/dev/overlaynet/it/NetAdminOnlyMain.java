package dev.overlaynet.it;

import dev.overlaynet.Bridge;
import dev.overlaynet.Link;
import dev.overlaynet.LinkCache;
import dev.overlaynet.MonitorEvent;
import dev.overlaynet.Netlink;
import dev.overlaynet.Subscription;
import dev.overlaynet.netlink.NetlinkException;
import java.util.concurrent.TimeUnit;

/**
 * Child process of {@link NetAdminOnlyTest}, started inside a test namespace
 * with CAP_SYS_ADMIN and CAP_BPF dropped (CAP_NET_ADMIN kept): what a program
 * with only the netlink capability does in its own namespace. Prints one line
 * per result for the parent to check against {@code ip}.
 */
public final class NetAdminOnlyMain {
    private NetAdminOnlyMain() {}

    public static void main(String[] args) throws Exception {
        String other = args[0];
        try (Netlink nl = Netlink.open()) {
            LinkCache cache = nl.linkCache();
            System.out.println("COUNTS " + cache.countsDeliveries());
            try (Subscription s = nl.monitor().links().subscribe()) {
                await(s, MonitorEvent.Type.SYNCED, null);
                nl.links().add(Bridge.builder().name("cb0").build());
                await(s, MonitorEvent.Type.ADDED, "cb0");
                System.out.println("EVENT ADDED cb0");
                System.out.println("INDEX cb0 " + nl.ifindex("cb0"));
                nl.links().delete("cb0");
                nl.links().add(Bridge.builder().name("cb0").build());
                System.out.println("INDEX cb0 " + nl.ifindex("cb0"));
                System.out.println("HITS " + cache.hits());
            }
        }
        try {
            Netlink.open(other).close();
            System.out.println("OTHER OPENED");
        } catch (NetlinkException e) {
            System.out.println("OTHER " + e.errnoName() + " " + e.getMessage());
        }
        System.out.println("DONE");
    }

    private static void await(Subscription s, MonitorEvent.Type type, String name) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            MonitorEvent e = s.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && e.type() == type && (name == null || e.value() instanceof Link l && l.name().equals(name))) {
                return;
            }
        }
        throw new AssertionError("no " + type + " " + name);
    }
}
