package dev.overlaynet.bench.peer;

import dev.overlaynet.Netlink;

/** One workload of the peer protocol: its setup (for the scratch namespace) and its timed phases. */
interface Workload {
    /**
     * Untimed: builds in a scratch namespace what the driver's setup builds in the
     * real one (same names, kinds, addresses, up/down), so warm-up trains the same paths.
     */
    void setUp(Netlink nl) throws Exception;

    /** Runs the timed phases on {@code nl} and records them. */
    void run(Netlink nl, Phases out) throws Exception;

    /**
     * Untimed, after a warm-up round and before its scratch namespace is deleted:
     * removes what the round added with synchronous requests, so that deleting the
     * namespace leaves no table of 10,000 entries for the kernel to free in the
     * background while the timed run goes on (the harness's idle-CPU wait does not
     * see all of it: with the warm-up's namespaces deleted full, the FDB ack-last
     * run took 17-70 ms against the C client's 15-32 ms in the same sitting).
     */
    default void clearScratch(Netlink nl) throws Exception {
    }

    /**
     * Whether a warm-up round needs a namespace of its own. Add workloads do (the
     * timed run starts on an empty table); dump-only ones reuse one scratch namespace.
     */
    default boolean freshNamespacePerRound() {
        return true;
    }

    /**
     * Warm-up rounds when {@code -w} does not say: enough for the per-entry code to
     * run ~120,000 times (C2 compiles after ~15,000 calls with a loop; the JMH runs
     * of the same calls settled after ~15 rounds of 10,000), at least {@link #MIN_ROUNDS}.
     */
    default int warmupRounds() {
        return MIN_ROUNDS;
    }

    /** Fewest automatic warm-up rounds: the request-level code (addAll, list) is called once per round. */
    int MIN_ROUNDS = 12;

    /** Rounds for {@code perRound} calls of the per-entry code per round, capped at 200. */
    static int roundsFor(long perRound) {
        long r = (120_000 + perRound - 1) / Math.max(1, perRound);
        return (int) Math.max(MIN_ROUNDS, Math.min(200, r));
    }

    /** The workload a warm-up round runs: this one, or a smaller one when the kernel dominates. */
    default Workload forWarmup() {
        return this;
    }
}
