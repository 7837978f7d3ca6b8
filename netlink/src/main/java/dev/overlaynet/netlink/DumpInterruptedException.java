package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.NetlinkSocket;

import java.util.List;

/**
 * The kernel flagged a dump with {@code NLM_F_DUMP_INTR}: the table changed
 * while it was read, so what came back may be inconsistent. Never returned as
 * a good result; the partial results ride along for callers that can use
 * them. {@link NetlinkSocket#dumpList} retries a bounded number of times
 * before throwing this.
 *
 * <pre>{@code
 * try {
 *     list = nl.addresses().list();
 * } catch (DumpInterruptedException e) {
 *     List<?> maybeStale = e.partialResults();
 * }
 * }</pre>
 */
public final class DumpInterruptedException extends NetlinkException {
    private static final long serialVersionUID = 1L;
    private final transient List<?> partial;
    /** How many dumps were tried before giving up. */
    private final int attempts;

    /**
     * A dump that stayed interrupted for {@code attempts} tries.
     *
     * @param request what was dumped, e.g. {@code RTM_GETLINK}
     * @param partial what the last, inconsistent dump returned (copied)
     * @param attempts how many dumps were tried
     */
    public DumpInterruptedException(String request, List<?> partial, int attempts) {
        super(request, "dump interrupted by concurrent changes (NLM_F_DUMP_INTR) after "
                + attempts + " attempt(s); " + partial.size() + " partial result(s)");
        this.partial = List.copyOf(partial);
        this.attempts = attempts;
    }

    /** {@return what the last, inconsistent dump returned} */
    public List<?> partialResults() {
        return partial;
    }

    /** {@return how many dumps were tried} */
    public int attempts() {
        return attempts;
    }
}
