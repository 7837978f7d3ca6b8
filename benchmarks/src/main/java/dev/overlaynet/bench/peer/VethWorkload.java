package dev.overlaynet.bench.peer;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.List;

/**
 * W3: create N veth pairs va&lt;i&gt;/vb&lt;i&gt;, then delete them one RTM_DELLINK each.
 * The typed API creates links one request at a time whatever the mode (there is no
 * bulk link add); both phases are kernel-bound.
 */
final class VethWorkload implements Workload {
    /** Pairs a warm-up round uses: each delete waits for an RCU grace period (~16 ms). */
    private static final int WARMUP_PAIRS = 16;
    private final int n;

    VethWorkload(int n) {
        this.n = n;
    }

    @Override
    public void setUp(Netlink nl) {
        // the driver's W3 setup is empty
    }

    @Override
    public boolean freshNamespacePerRound() {
        return false; // every round deletes what it added
    }

    @Override
    public Workload forWarmup() {
        return new VethWorkload(Math.min(n, WARMUP_PAIRS));
    }

    @Override
    public void run(Netlink nl, Phases out) throws Exception {
        List<Veth> pairs = new ArrayList<>(n);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pairs.add(Veth.builder().name("va" + i).peer("vb" + i).build());
            names.add("va" + i);
        }
        long errors = 0;
        long t0 = System.nanoTime();
        for (Veth v : pairs) {
            try {
                nl.links().add(v);
            } catch (NetlinkException e) {
                errors++;
                Failures.report(errors, e);
            }
        }
        long t1 = System.nanoTime();
        out.record("add", n, t0, t1, vethCount(nl), 2L * n, errors);

        errors = 0;
        t0 = System.nanoTime();
        for (String name : names) {
            try {
                nl.links().delete(name); // deleting one end removes the pair
            } catch (NetlinkException e) {
                errors++;
                Failures.report(errors, e);
            }
        }
        t1 = System.nanoTime();
        out.record("del", n, t0, t1, vethCount(nl), 0, errors);
    }

    /** Untimed check, as the C peer's: links named va* or vb*. */
    private static long vethCount(Netlink nl) throws NetlinkException {
        long c = 0;
        for (Link l : nl.links().list()) {
            String name = l.name();
            if (name.length() > 1 && name.charAt(0) == 'v' && (name.charAt(1) == 'a' || name.charAt(1) == 'b')) {
                c++;
            }
        }
        return c;
    }
}
