package dev.overlaynet.it;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The change requests (rtnetlink NEW/DEL/SET) a handle has sent, counted by a
 * {@link ChangeCounter} listener attached when the handle is opened through
 * {@link #open}: the one place the idempotence tests count from.
 */
final class MutationCount {
    private static final Map<Netlink, ChangeCounter> COUNTERS = new IdentityHashMap<>();

    private MutationCount() {}

    /** A handle on {@code ns} whose change requests are counted; closed with the test's namespaces. */
    static synchronized Netlink open(TestNamespaces nss, NetNs ns) throws Exception {
        ChangeCounter c = new ChangeCounter();
        Netlink nl = nss.closeLater(Netlink.builder().namespace(ns).listener(c).open());
        COUNTERS.put(nl, c);
        return nl;
    }

    static synchronized long of(Netlink nl) {
        ChangeCounter c = COUNTERS.get(nl);
        if (c == null) {
            throw new IllegalStateException("handle not opened through MutationCount.open: nothing counts its requests");
        }
        return c.changes();
    }
}
