package dev.overlaynet.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.Nftables;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.ConcurrentRulesetChangeException;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import dev.overlaynet.testkit.fake.FakeKernel;
import dev.overlaynet.testkit.fake.Request;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

/**
 * The nftables generation guard, without root: a change is decided on the
 * ruleset generation it read, the kernel refuses it with ERESTART when the
 * generation moved on, and {@code Nftables} reads again and decides again,
 * a bounded number of times.
 */
class NftablesRetryOverFakeKernelTest {
    private static final int GETTABLE = (NfNetlink.NFNL_SUBSYS_NFTABLES << 8) | NfTablesUapi.NFT_MSG_GETTABLE;
    private static final int GETGEN = (NfNetlink.NFNL_SUBSYS_NFTABLES << 8) | NfTablesUapi.NFT_MSG_GETGEN;

    private static boolean begin(Request r) {
        return r.protocol() == NetlinkProtocol.NETLINK_NETFILTER && r.type() == NfNetlink.NFNL_MSG_BATCH_BEGIN;
    }

    private static long count(FakeKernel k, java.util.function.Predicate<Request> p) {
        return k.requests().stream().filter(p).count();
    }

    private static NatRule rule() {
        return Nat.masquerade("10.233.0.0/16").tag("ovl-a").build();
    }

    @Test
    void aConcurrentCommitBetweenReadAndCommitIsReadAgainAndDecidedAgain() throws Exception {
        FakeKernel kernel = new FakeKernel();
        try (Netlink other = Netlink.builder().kernel(kernel).open()) {
            // Another writer applies the same rule while we are between our read and our commit.
            AtomicBoolean raced = new AtomicBoolean();
            NetlinkListener racer = new NetlinkListener() {
                @Override
                public void requestSent(NetlinkMessage request) {
                    if (request.type() == GETTABLE && raced.compareAndSet(false, true)) {
                        try {
                            assertThat(other.nftables().apply(rule())).isEqualTo(1);
                        } catch (NetlinkException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            };
            try (Netlink nl = Netlink.builder().kernel(kernel).listener(racer).open()) {
                int gen = kernel.nftGeneration();
                assertThat(nl.nftables().apply(rule())).as("the rule was there on the second read").isZero();
                assertThat(raced).isTrue();
                assertThat(kernel.nftGeneration()).isEqualTo(gen + 1);
                assertThat(nl.nftables().rules()).hasSize(1);
                // Ours: one refused batch; the other's: one applied batch. No second batch from us.
                assertThat(count(kernel, NftablesRetryOverFakeKernelTest::begin)).isEqualTo(2);
                assertThat(count(kernel, r -> r.type() == GETGEN)).as("both read the generation; we read it twice")
                        .isEqualTo(3);
            }
        }
    }

    @Test
    void aRefusedBatchIsRetriedOnTheNewGeneration() throws Exception {
        FakeKernel kernel = new FakeKernel();
        kernel.failNext(NftablesRetryOverFakeKernelTest::begin, ConcurrentRulesetChangeException.ERESTART, null);
        try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
            assertThat(nl.nftables().apply(rule())).isEqualTo(1);
            assertThat(count(kernel, NftablesRetryOverFakeKernelTest::begin)).isEqualTo(2);
            assertThat(nl.nftables().rules()).hasSize(1);
        }
    }

    @Test
    void givesUpAfterTheLastAttemptWithTheTypedExceptionAndChangesNothing() throws Exception {
        FakeKernel kernel = new FakeKernel();
        String before = kernel.snapshot();
        kernel.on(NftablesRetryOverFakeKernelTest::begin,
                (r, reply) -> reply.error(ConcurrentRulesetChangeException.ERESTART, null));
        try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
            ConcurrentRulesetChangeException e = catchThrowableOfType(ConcurrentRulesetChangeException.class,
                    () -> nl.nftables().apply(rule()));
            assertThat(e).isNotNull();
            assertThat(e.errno()).isEqualTo(Errno.ERESTART.intValue());
            assertThat(count(kernel, NftablesRetryOverFakeKernelTest::begin)).isEqualTo(Nftables.ATTEMPTS);
            assertThat(count(kernel, r -> r.type() == GETGEN)).isEqualTo(Nftables.ATTEMPTS);
        }
        assertThat(kernel.snapshot()).isEqualTo(before);
    }
}
