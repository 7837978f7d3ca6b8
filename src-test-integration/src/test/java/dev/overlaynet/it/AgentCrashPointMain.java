package dev.overlaynet.it;

import dev.overlaynet.Netlink;
import dev.overlaynet.agent.AgentOptions;
import dev.overlaynet.agent.OverlayAgent;
import dev.overlaynet.etcd.EtcdDirectory;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.StepObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link AgentCrashPointTest}: an {@link OverlayAgent} on
 * simulated host 1 with an etcd directory starts (spec, join, register,
 * adopt, watch), attaches container 2 with a fixed address (claim) and
 * container 1 with an allocated one (allocate), publishing both, detaches
 * container 2 again (withdraw, release), and converges to a peer the test
 * published; it dies with {@code halt(137)}
 * (kill -9 to the kernel and to etcd: no finally, no hook, no lease revoke)
 * at point K. Without a K it runs to the end, prints {@code POINTS n} and
 * the point list, and halts without leaving.
 *
 * <p>A point is a moment at which the kernel or etcd may hold something the
 * previous point did not: after each change request the handle sends (its
 * {@link NetlinkListener}; an nftables batch counts once), after each change
 * the host's {@link StepObserver} reports that the listener cannot see (the
 * container side, sysctls), and before and after each directory call
 * ({@link CountingDirectory}). Calls of the agent's worker thread (its
 * converge passes) count too, so the order of a few points may differ
 * between runs.
 *
 * <p>Arguments: HOST_NS C1_NS C2_NS ETCD_ENDPOINTS OVERLAY MODE [K]
 */
public final class AgentCrashPointMain {
    /** The address container 2 is attached with (claimed, not allocated). */
    static final String FIXED_IP = "10.233.1.3";
    static final Duration TTL = Duration.ofSeconds(2);

    private AgentCrashPointMain() {}

    /** Counts points and halts the JVM at the K-th. */
    static final class Points implements StepObserver, NetlinkListener, CountingDirectory.Points {
        private final int killAt;
        private final List<String> seen = new ArrayList<>();
        /** True right after a change this thread sent through the listened handle (its mutated() is no new point). */
        private final ThreadLocal<Boolean> justSent = ThreadLocal.withInitial(() -> false);

        Points(int killAt) {
            this.killAt = killAt;
        }

        private synchronized void point(String label) {
            seen.add(label);
            if (seen.size() == killAt) {
                System.out.println("HALT " + killAt + " " + label);
                System.out.flush();
                Runtime.getRuntime().halt(137);
            }
        }

        @Override
        public void requestSent(NetlinkMessage m) {
            String change = change(m);
            if (change != null) {
                point("sent " + change);
                justSent.set(true);
            }
        }

        @Override
        public void beforeStep(String step) {
            justSent.set(false);
        }

        @Override
        public void mutated(String what) {
            if (!justSent.get()) {
                point("changed " + what);
            }
            justSent.set(false);
        }

        @Override
        public void directory(String call, boolean done) {
            justSent.set(false);
            point((done ? "after " : "before ") + call);
        }

        synchronized List<String> seen() {
            return new ArrayList<>(seen);
        }

        /** A change request's name, or null for a read (GET, dump) or a message inside an nftables batch. */
        private static String change(NetlinkMessage m) {
            int type = m.type();
            if (m.protocol() == NetlinkProtocol.NETLINK_NETFILTER) {
                return type == 0x11 ? "nftables batch" : null; // NFNL_MSG_BATCH_END: the batch as a whole
            }
            if (m.protocol() != NetlinkProtocol.NETLINK_ROUTE || type < RtNetlink.RTM_BASE
                    || (type - RtNetlink.RTM_BASE) % 4 == 2) { // RTM_GET*
                return null;
            }
            return switch (type) {
                case 16 -> "RTM_NEWLINK";
                case 17 -> "RTM_DELLINK";
                case 19 -> "RTM_SETLINK";
                case 20 -> "RTM_NEWADDR";
                case 21 -> "RTM_DELADDR";
                case 24 -> "RTM_NEWROUTE";
                case 25 -> "RTM_DELROUTE";
                case 28 -> "RTM_NEWNEIGH";
                case 29 -> "RTM_DELNEIGH";
                default -> "rtnetlink type " + type;
            };
        }
    }

    public static void main(String[] args) throws Exception {
        int killAt = args.length > 6 ? Integer.parseInt(args[6]) : -1;
        Points points = new Points(killAt);
        Overlay overlay = OverlaySim.overlay(Overlay.Mode.valueOf(args[5]));
        try (NetNs host = NetNs.open(args[0]); NetNs c1 = NetNs.open(args[1]); NetNs c2 = NetNs.open(args[2]);
                Netlink nl = Netlink.builder().namespace(host).listener(points).open();
                EtcdDirectory etcd = EtcdDirectory.connect(EtcdDirectory.endpoints(args[3]), args[4])) {
            CountingDirectory dir = new CountingDirectory(etcd, points);
            OverlayAgent agent = OverlayAgent.start(nl, dir, overlay, OverlaySim.hostSpec(1, true),
                    AgentOptions.builder().hostName("h1").leaseTtl(TTL).stepObserver(points).build());
            ContainerSpec fixed = ContainerSpec.builder().namespace(c2).ip(FIXED_IP).build();
            agent.attach(fixed);
            agent.attach(c1);
            agent.detach(fixed); // withdraw, unplug, release
            // Let the worker converge to everything published so far (the peer the test put there).
            if (!agent.awaitRevision(etcd.view().revision(), Duration.ofSeconds(30))) {
                System.out.println("NOT CONVERGED " + agent.status());
                System.out.flush();
                Runtime.getRuntime().halt(2);
            }
            List<String> seen = points.seen();
            for (int k = 0; k < seen.size(); k++) {
                System.out.println("POINT " + (k + 1) + " " + seen.get(k));
            }
            System.out.println("POINTS " + seen.size());
            System.out.flush();
            // Die as at any other point: without leaving, closing or revoking anything.
            Runtime.getRuntime().halt(0);
        }
    }
}
