package dev.overlaynet.agent;

/**
 * What one {@link Converger#converge} pass did: how many entries it found,
 * and how many it added, changed and removed. A pass over a kernel that was
 * already right reports {@link #unchanged()} and sent no change.
 *
 * <pre>{@code
 * ConvergeReport r = Converger.converge(nl, overlay, want);
 * log.info("converged: {}", r);   // "+3 ~0 -1 (of 120 fdb, 117 neigh) in 2.1 ms"
 * }</pre>
 *
 * @param fdbSeen FDB entries of the vxlan device considered (owned ones)
 * @param neighSeen permanent neighbours of the bridge considered
 * @param added entries written that were missing
 * @param changed entries rewritten because they differed
 * @param removed stale entries deleted
 * @param failed entries the kernel refused (each logged)
 * @param nanos how long the pass took
 */
public record ConvergeReport(int fdbSeen, int neighSeen, int added, int changed, int removed, int failed,
        long nanos) {
    /** {@return true if nothing had to be sent} */
    public boolean unchanged() {
        return added == 0 && changed == 0 && removed == 0 && failed == 0;
    }

    @Override
    public String toString() {
        return String.format("+%d ~%d -%d%s (of %d fdb, %d neigh) in %.1f ms", added, changed, removed,
                failed == 0 ? "" : " !" + failed, fdbSeen, neighSeen, nanos / 1e6);
    }
}
