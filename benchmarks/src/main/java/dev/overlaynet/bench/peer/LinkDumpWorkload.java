package dev.overlaynet.bench.peer;

import dev.overlaynet.GenericLink;
import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import java.util.List;

/** W4: dump all links R times into typed {@link Link} objects; each dump must return EXPECT links. */
final class LinkDumpWorkload implements Workload {
    private final int rounds;
    private final int expect;

    LinkDumpWorkload(int rounds, int expect) {
        this.rounds = rounds;
        this.expect = expect;
    }

    @Override
    public void setUp(Netlink nl) throws Exception {
        // the driver's: EXPECT - 1 ifb links d0... (down) besides lo
        for (int i = 0; i < expect - 1; i++) {
            nl.links().add(GenericLink.builder().name("d" + i).kind("ifb").build());
        }
    }

    @Override
    public boolean freshNamespacePerRound() {
        return false;
    }

    @Override
    public void run(Netlink nl, Phases out) throws Exception {
        long total = 0;
        long bad = 0;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            List<Link> all = nl.links().list();
            total += all.size();
            if (all.size() != expect) {
                bad++;
            }
        }
        long t1 = System.nanoTime();
        out.record("dump", rounds, t0, t1, total, (long) rounds * expect, bad);
    }
}
