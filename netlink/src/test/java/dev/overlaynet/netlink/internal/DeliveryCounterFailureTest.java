package dev.overlaynet.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where a counter cannot be attached (here: no such socket; elsewhere: no
 * privilege to load BPF, another architecture) {@link DeliveryCounter#attach}
 * returns null, and whatever it created on the way (map, mapping, program) is
 * released: no fd is left behind. Runs with or without root.
 */
class DeliveryCounterFailureTest {

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @Test
    void aFailedAttachReturnsNullAndLeavesNoFd() throws IOException {
        assertThat(DeliveryCounter.attach(-1)).isNull(); // loads the binding first
        long before = openFds();
        for (int i = 0; i < 200; i++) {
            assertThat(DeliveryCounter.attach(-1)).isNull();
        }
        assertThat(openFds()).isEqualTo(before);
    }
}
