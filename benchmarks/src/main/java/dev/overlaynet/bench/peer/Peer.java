package dev.overlaynet.bench.peer;

import dev.overlaynet.LinkCache;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkSocketOptions;
import dev.overlaynet.netlink.internal.route.RouteDescriber;

/**
 * overlaynet as a peer of {@code ../shared/bench-peers}: speaks the C peer's protocol
 * ({@code peer_mnl.c}) through the typed API, inside the namespace the driver runs it in.
 *
 * <pre>
 * java -jar benchmarks/target/overlaynet-peer.jar [-b BATCH] [-a each|last] [-w ROUNDS] W1 N | W2 N | W3 N | W4 R EXPECT | W5 N QUIET_MS
 * </pre>
 *
 * {@code -b 1} is one request per ack ({@code nl.neighbours().add(n)} in a loop); a larger
 * batch uses the bulk calls ({@code addAll(list, AckMode)}), BATCH requests per sendmsg.
 * {@code -w} sets the untimed warm-up rounds in a scratch namespace (0 = none; by default
 * enough for the per-entry code to run ~120,000 times, at least 12 rounds; W3 2 rounds of 16 pairs).
 * Prints one JSON line per timed phase, as the C peer does. Exit status 2 on a usage error,
 * 1 on any other failure.
 */
public final class Peer {
    private Peer() {}

    public static void main(String[] argv) {
        PeerOptions o;
        Workload w;
        try {
            o = PeerOptions.parse(argv);
            w = workload(o);
        } catch (IllegalArgumentException e) {
            System.err.println("overlaynet peer: " + e.getMessage());
            System.err.println("usage: overlaynet-peer [-b BATCH] [-a each|last] [-w ROUNDS] "
                    + "W1 N | W2 N | W3 N | W4 R EXPECT | W5 N QUIET_MS");
            System.exit(2);
            return;
        }
        try {
            Warmup.run(w, o);
            Phases phases = new Phases();
            try (Netlink nl = open(null, o)) {
                w.run(nl, phases);
            }
            phases.print(System.out);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** The workload named on the command line; new workloads (W5) plug in here. */
    static Workload workload(PeerOptions o) {
        return switch (o.workload()) {
            case "W1" -> new NeighbourWorkload(o, o.intArg(0, "N"));
            case "W2" -> new FdbWorkload(o, o.intArg(0, "N"));
            case "W3" -> new VethWorkload(o.intArg(0, "N"));
            case "W4" -> new LinkDumpWorkload(o.intArg(0, "R"), o.intArg(1, "EXPECT"));
            case "W5" -> new EventsWorkload(o.intArg(0, "N"), o.args().size() > 1 ? o.intArg(1, "QUIET_MS") : 2000);
            default -> throw new IllegalArgumentException("unknown workload " + o.workload());
        };
    }

    /**
     * In per-request mode, starts the handle's link cache, as a program making one call per
     * entry by name does: each name is then answered with one epoll_wait instead of a
     * SIOCGIFINDEX ioctl (issue 9). Called before the timer (the cache dumps the links once),
     * as a long-lived program starts it once.
     */
    static LinkCache startLinkCacheIfPerRequest(Netlink nl, PeerOptions o) throws NetlinkException {
        return o.perRequest() ? nl.linkCache() : null;
    }

    /**
     * How the link cache answered during a phase, for its JSON line: whether it proved
     * freshness by the delivery counter or by a syscall, and its hit and fallback counts.
     */
    static String cacheNote(LinkCache c, long hits0, long fallbacks0) {
        if (c == null) {
            return "";
        }
        return ",\"linkcache_proof\":\"" + (c.countsDeliveries() ? "count" : "syscall") + "\",\"linkcache_hits\":"
                + (c.hits() - hits0) + ",\"linkcache_fallbacks\":" + (c.fallbacks() - fallbacks0);
    }

    /**
     * A fresh handle on {@code ns} (the current namespace when null), as a user opens one:
     * default options, except the batch size when {@code -b} asks for another than the default 256.
     */
    static Netlink open(NetNs ns, PeerOptions o) throws NetlinkException {
        if (o.batch() == 1 || o.batch() == NetlinkSocketOptions.defaults().maxBatchMessages()) {
            return ns == null ? Netlink.open() : Netlink.open(ns);
        }
        NetlinkSocketOptions options = NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE)
                .maxBatchMessages(o.batch()).build();
        return Netlink.open(ns == null ? NetNs.current() : ns, options);
    }
}
