package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkSocketOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code interfaceIndex} racing {@code close()}: on a native socket the fd
 * number freed by close can be reused at once by a socket of another
 * namespace, so a lookup that checked "open" and then used the fd could
 * answer from a foreign namespace. The lookup and close must exclude each
 * other: close waits for a lookup in progress, and a lookup after close is
 * EBADF, every time.
 *
 * <p>The transport here blocks inside the lookup until released, which makes
 * the interleaving deterministic: before the fix, close() ran straight
 * through and closed the transport under the running lookup.
 */
class InterfaceIndexCloseRaceTest {
    @Test
    void closeWaitsForALookupInProgressAndLaterLookupsAreEbadf() throws Exception {
        CountDownLatch inLookup = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean closedUnderLookup = new AtomicBoolean();
        AtomicBoolean looking = new AtomicBoolean();
        ScriptedTransport t = new ScriptedTransport(ScriptedTransport::ackEach) {
            @Override
            public int interfaceIndex(String name) {
                looking.set(true);
                inLookup.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                looking.set(false);
                return 7;
            }

            @Override
            public void close() {
                if (looking.get()) {
                    closedUnderLookup.set(true);
                }
                super.close();
            }
        };
        NetlinkSocket s = NetlinkSocket.over(t, NetlinkSocketOptions.defaults());
        AtomicReference<Object> lookup = new AtomicReference<>();
        Thread looker = new Thread(() -> {
            try {
                lookup.set(s.interfaceIndex("eth0"));
            } catch (Throwable e) {
                lookup.set(e);
            }
        });
        looker.start();
        assertThat(inLookup.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(s::close);
        closer.start();
        // Either close() returns (the defect) or it parks on the socket's lock (fixed).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (closer.isAlive() && closer.getState() != Thread.State.WAITING
                && closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(30_000);
        looker.join(30_000);
        assertThat(closedUnderLookup).as("transport closed while a lookup was using it").isFalse();
        assertThat(lookup.get()).isEqualTo(7);
        assertThat(t.closed).isTrue();
        NetlinkException e = catchThrowableOfType(NetlinkException.class, () -> s.interfaceIndex("eth0"));
        assertThat(e.errnoName()).isEqualTo("EBADF");
    }
}
