package dev.overlaynet.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.Netlink;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import dev.overlaynet.testkit.fake.FakeKernel;
import dev.overlaynet.testkit.fake.Request;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What {@code Links.ensure} sends, and what it does not, checked without root
 * against the test kit's fake kernel: one create when absent, nothing at all
 * when already so, one changelink (no NLM_F_CREATE) carrying only what
 * differs, and nothing before refusing a field the kernel cannot change.
 */
class EnsureOverFakeKernelTest {
    private static final long SEED = Long.getLong("ensure.seed", System.nanoTime());

    private static Vxlan vxlan(int vni, int port, int ttl) {
        return Vxlan.builder().name("vxlan0").vni(vni).dstPort(port).group("239.1.1.1").device("eth1").ttl(ttl)
                .learning(false).build();
    }

    @Test
    void createsOnceThenSendsNothing() throws Exception {
        FakeKernel kernel = new FakeKernel();
        kernel.addLinkUp("eth1", "veth");
        try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
            assertThat(nl.links().ensure(Bridge.builder().name("br0").build())).isEqualTo(EnsureResult.CREATED);
            assertThat(kernel.changes()).extracting(Request::type).containsExactly(RtNetlink.RTM_NEWLINK);
            assertThat(kernel.changes().get(0).flags() & (Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL))
                    .isEqualTo(Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);

            kernel.clearRequests();
            assertThat(nl.links().ensure(Bridge.builder().name("br0").build())).isEqualTo(EnsureResult.UNCHANGED);
            assertThat(kernel.changes()).isEmpty();
            assertThat(kernel.requests()).isNotEmpty(); // it did look
        }
    }

    @Test
    void randomVxlansAreCreatedThenUnchangedThenChangedInPlace() throws Exception {
        System.out.println("EnsureOverFakeKernelTest seed " + SEED + " (rerun with -Densure.seed=" + SEED + ")");
        Random rnd = new Random(SEED);
        for (int i = 0; i < 50; i++) {
            FakeKernel kernel = new FakeKernel();
            kernel.addLinkUp("eth1", "veth");
            int vni = 1 + rnd.nextInt(16_777_215);
            int port = 1 + rnd.nextInt(65_535);
            int ttl = 1 + rnd.nextInt(255);
            try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
                assertThat(nl.links().ensure(vxlan(vni, port, ttl))).isEqualTo(EnsureResult.CREATED);
                int index = nl.ifindex("vxlan0");

                kernel.clearRequests();
                assertThat(nl.links().ensure(vxlan(vni, port, ttl))).as("vni %d port %d ttl %d", vni, port, ttl)
                        .isEqualTo(EnsureResult.UNCHANGED);
                assertThat(kernel.changes()).isEmpty();

                int ttl2 = ttl % 255 + 1;
                kernel.clearRequests();
                assertThat(nl.links().ensure(vxlan(vni, port, ttl2))).isEqualTo(EnsureResult.CHANGED);
                assertThat(kernel.changes()).hasSize(1);
                Request change = kernel.changes().get(0);
                assertThat(change.type()).isEqualTo(RtNetlink.RTM_NEWLINK);
                assertThat(change.flags() & Nlmsg.NLM_F_CREATE).as("a change in place, not a create").isZero();
                assertThat(nl.ifindex("vxlan0")).isEqualTo(index);
                assertThat(nl.links().get("vxlan0")).isInstanceOfSatisfying(Vxlan.class, v -> assertThat(v.ttl()).isEqualTo(ttl2));

                kernel.clearRequests();
                assertThat(nl.links().ensure(vxlan(vni, port, ttl2))).isEqualTo(EnsureResult.UNCHANGED);
                assertThat(kernel.changes()).isEmpty();

                // The VNI cannot change in place: refused, and nothing sent.
                int vni2 = vni % 16_777_215 + 1;
                kernel.clearRequests();
                String before = kernel.snapshot();
                assertThatThrownBy(() -> nl.links().ensure(vxlan(vni2, port, ttl2))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("vni differs");
                assertThat(kernel.changes()).isEmpty();
                assertThat(kernel.snapshot()).isEqualTo(before);
            }
        }
    }
}
