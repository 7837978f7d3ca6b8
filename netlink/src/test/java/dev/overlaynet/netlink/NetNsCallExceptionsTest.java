package dev.overlaynet.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.FileNotFoundException;
import org.junit.jupiter.api.Test;

/**
 * {@code NetNs.call/run} keep the task's own checked exception type (these
 * methods would not compile if {@code call} still declared
 * {@code throws Exception}) and never lose an interrupt. Runs in the
 * current namespace; entering it needs the privilege setns needs (root here).
 */
class NetNsCallExceptionsTest {
    /** Declares only what call can throw for this task: the task's type and NetlinkException. */
    private static String readMissing(NetNs ns) throws FileNotFoundException, NetlinkException {
        return ns.call(() -> {
            throw new FileNotFoundException("/nonexistent");
        });
    }

    private static int plain(NetNs ns) throws NetlinkException {
        return ns.call(() -> 42);
    }

    @Test
    void theTasksCheckedExceptionComesOutAsItself() throws Exception {
        try (NetNs ns = NetNs.current()) {
            FileNotFoundException e = catchThrowableOfType(FileNotFoundException.class, () -> readMissing(ns));
            assertThat(e).hasMessage("/nonexistent");
            assertThat(plain(ns)).isEqualTo(42);
            assertThatThrownBy(() -> ns.run(() -> {
                throw new IllegalStateException("unchecked passes through");
            })).isInstanceOf(IllegalStateException.class).hasMessage("unchecked passes through");
        }
    }

    @Test
    void anInterruptedCallerWaitsForTheTaskAndKeepsItsFlag() throws Exception {
        try (NetNs ns = NetNs.current()) {
            Thread.currentThread().interrupt();
            try {
                assertThat(plain(ns)).isEqualTo(42);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            InterruptedException ie = catchThrowableOfType(InterruptedException.class, () -> ns.call(() -> {
                throw new InterruptedException("task interrupted");
            }));
            assertThat(ie).hasMessage("task interrupted");
        }
    }

    @Test
    void aClosedNamespaceIsANetlinkException() throws Exception {
        NetNs ns = NetNs.current();
        ns.close();
        assertThatThrownBy(() -> plain(ns)).isInstanceOf(NetlinkException.class);
    }
}
