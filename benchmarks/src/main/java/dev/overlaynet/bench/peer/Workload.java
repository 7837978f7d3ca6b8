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
     * Whether a warm-up round needs a namespace of its own. Add workloads do (the
     * timed run starts on an empty table); dump-only ones reuse one scratch namespace.
     */
    default boolean freshNamespacePerRound() {
        return true;
    }

    /** The workload a warm-up round runs: this one, or a smaller one when the kernel dominates. */
    default Workload forWarmup() {
        return this;
    }
}
