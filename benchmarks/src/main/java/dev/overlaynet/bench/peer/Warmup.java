package dev.overlaynet.bench.peer;

import dev.overlaynet.Netlink;
import dev.overlaynet.bench.BenchNamespaces;
import dev.overlaynet.bench.Quiesce;
import dev.overlaynet.netlink.NetNs;

/**
 * Untimed warm-up in scratch namespaces the peer creates and deletes, so that the
 * timed phases run JIT-compiled code, as the C peer's do. What it avoids, each found
 * with the JIT log: a scratch namespace that differs from the driver's (lo or links
 * down) trains other branches; a long-lived handle takes branches a fresh one does
 * not, so every round opens a fresh handle, like the timed run; and it ends with an
 * idle-CPU wait (namespace cleanup and JIT compile queues), never a System.gc().
 */
final class Warmup {
    private Warmup() {}

    static void run(Workload workload, PeerOptions o) throws Exception {
        int rounds = o.warmupRounds() >= 0 ? o.warmupRounds() : workload.warmupRounds();
        if (rounds <= 0) {
            return;
        }
        Workload w = workload.forWarmup();
        NetNs ns = null;
        try {
            for (int round = 1; round <= rounds; round++) {
                if (ns == null) {
                    ns = BenchNamespaces.create("peer" + round);
                    try (Netlink setup = Peer.open(ns, o)) {
                        setup.links().up("lo");
                        w.setUp(setup);
                    }
                }
                Phases scratch = new Phases();
                try (Netlink nl = Peer.open(ns, o)) {
                    w.run(nl, scratch);
                }
                String problem = scratch.problem();
                if (problem != null) {
                    throw new IllegalStateException("warm-up round " + round + " in " + ns.name() + ": " + problem);
                }
                if (w.freshNamespacePerRound()) {
                    try (Netlink nl = Peer.open(ns, o)) {
                        w.clearScratch(nl);
                    }
                    BenchNamespaces.destroy(null, ns);
                    ns = null;
                }
            }
        } finally {
            BenchNamespaces.destroy(null, ns);
        }
        Quiesce.await();
    }
}
