package dev.overlaynet.netlink.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {
    @Test
    void sizeZeroProcFileIsReadWhole() throws Exception {
        Path p = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assertThat(Files.size(p)).isZero();
        String v = ProcFiles.readString(p).strip();
        assertThat(v.split("\\s+")).hasSize(2).allMatch(s -> s.matches("[0-9]+"));
    }

    @Test
    void regularFilesOfAnySizeAreReadWhole(@TempDir Path dir) throws Exception {
        Random rnd = new Random(11);
        for (int size : new int[] {0, 1, 4095, 65535, 65536, 65537, 300_000}) {
            byte[] data = new byte[size];
            rnd.nextBytes(data);
            Path f = dir.resolve("f" + size);
            Files.write(f, data);
            assertThat(ProcFiles.readAllBytes(f)).as("size %d", size).isEqualTo(data);
        }
    }
}
