package dev.overlaynet.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.fake.FakeKernel;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code OverlayHost.join} is transactional: whatever change fails, the ones
 * made before it are undone. Without root, over the fake kernel: a clean
 * join counts its changes (requests, batch messages, sysctl writes) N; then
 * for every k in 1..N a fresh kernel fails the k-th change, and afterwards
 * the whole kernel state must equal what it was before the join.
 */
class OverlayRollbackOverFakeKernelTest {

    private static FakeKernel host() {
        FakeKernel k = new FakeKernel();
        k.addLinkUp("eth1", "veth");
        return k;
    }

    private static Overlay overlay(boolean unicast, boolean nat) {
        Overlay.Builder b = Overlay.builder().cidr("10.233.0.0/16").vni(42).nat(nat);
        return (unicast ? b.unicast() : b.multicastGroup("239.1.1.1")).build();
    }

    private static HostSpec spec() {
        return HostSpec.builder().underlayDevice("eth1").localAddress("172.16.1.11").hostAddress("10.233.0.11").build();
    }

    @ParameterizedTest(name = "unicast={0} nat={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void aFailureAtAnyChangeLeavesTheKernelAsItWas(boolean unicast, boolean nat) throws Exception {
        Overlay o = overlay(unicast, nat);
        FakeKernel clean = host();
        String pristine = clean.snapshot();
        try (Netlink nl = Netlink.builder().kernel(clean).open()) {
            OverlayHost.join(nl, o, spec());
        }
        int changes = clean.changeCount();
        // vxlan, alias, bridge, master, neigh_suppress, 2x up, 2 addresses, 2 sysctls (+ nat batch)
        assertThat(changes).as("changes of a clean join").isGreaterThanOrEqualTo(nat ? 12 : 11);
        assertThat(clean.snapshot()).isNotEqualTo(pristine);

        List<String> failedAt = new ArrayList<>();
        for (int k = 1; k <= changes; k++) {
            FakeKernel kernel = host();
            String before = kernel.snapshot();
            kernel.failChange(k, Errno.EPERM.intValue(), "injected at change " + k);
            try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
                Throwable t = catchThrowable(() -> OverlayHost.join(nl, o, spec()));
                assertThat(t).as("join failing at change %d of %d", k, changes).isNotNull()
                        .hasMessageContaining("EPERM");
            }
            assertThat(kernel.snapshot()).as("kernel after join failed at change %d of %d", k, changes)
                    .isEqualTo(before);
            failedAt.add(kernel.changes().isEmpty() ? "sysctl" : kernel.requests().get(kernel.requests().size() - 1).toString());
        }
        assertThat(failedAt).hasSize(changes);
    }

    /**
     * addRemote writes a neighbour and then an FDB entry: if either fails, the
     * host is left as before the call (the neighbour is removed again).
     */
    @Test
    void aFailedAddRemoteLeavesNoNeighbourBehind() throws Exception {
        Overlay o = overlay(true, false);
        Endpoint remote = new Endpoint(InetAddress.getByName("10.233.2.2"), MacAddress.parse("02:00:0a:e9:02:02"),
                InetAddress.getByName("172.16.1.12"));
        FakeKernel clean = host();
        int changes;
        try (Netlink nl = Netlink.builder().kernel(clean).open()) {
            OverlayHost h = OverlayHost.join(nl, o, spec());
            int before = clean.changeCount();
            h.addRemote(remote);
            changes = clean.changeCount() - before;
        }
        assertThat(changes).as("neighbour + FDB entry").isEqualTo(2);
        for (int k = 1; k <= changes; k++) {
            FakeKernel kernel = host();
            try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
                OverlayHost h = OverlayHost.join(nl, o, spec());
                String joined = kernel.snapshot();
                kernel.failChange(k, Errno.EEXIST.intValue(), "injected at change " + k);
                assertThat(catchThrowable(() -> h.addRemote(remote))).as("addRemote failing at change %d", k)
                        .hasMessageContaining("EEXIST");
                assertThat(kernel.snapshot()).as("after addRemote failed at change %d", k).isEqualTo(joined);
                assertThat(h.remotes()).isEmpty();
            }
        }
    }
}
