package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.internal.ffi.LibC;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** recvmmsg slots: as many per call as acks are expected (up to 256), grown only on demand. */
class AckReaderTest {
    @Test
    void slotsGrowOnDemandUpToAWholeChunk() {
        List<Integer> vlens = new ArrayList<>();
        LibC.Calls libc = (LibC.Calls) Proxy.newProxyInstance(LibC.Calls.class.getClassLoader(),
                new Class<?>[] {LibC.Calls.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recvmmsg")) {
                        vlens.add((Integer) args[2]);
                        return 0;
                    }
                    throw new AssertionError("unexpected call " + method.getName());
                });
        AckReader r = new AckReader(libc, 42);
        assertThat(r.capacity()).isEqualTo(32);
        r.fill(1);
        r.fill(32);
        assertThat(r.capacity()).isEqualTo(32);
        r.fill(33);
        assertThat(r.capacity()).isEqualTo(64);
        r.fill(256);
        assertThat(r.capacity()).isEqualTo(256);
        r.fill(10_000);
        assertThat(r.capacity()).isEqualTo(256);
        // one syscall asks for every expected ack, never more than the slots
        assertThat(vlens).containsExactly(1, 32, 33, 256, 256);
    }
}
