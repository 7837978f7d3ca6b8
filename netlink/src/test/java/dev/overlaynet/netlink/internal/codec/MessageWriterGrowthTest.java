package dev.overlaynet.netlink.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Growing the writer must keep the buffer's position at 0: jnr-ffi sends from
 * address + position, so a moved position made batches larger than the
 * initial buffer go out as garbage (EFAULT or requests never acknowledged).
 */
class MessageWriterGrowthTest {

    @Test
    void growingKeepsPositionZeroAndContent() {
        MessageWriter w = new MessageWriter(64);
        for (int i = 0; i < 100; i++) {
            int m = w.begin(0x1c, 0);
            w.u32(1, i).end(m);
        }
        assertThat(w.buffer().capacity()).isGreaterThanOrEqualTo(w.length());
        assertThat(w.buffer().position()).isZero();
        MessageReader r = MessageReader.of(w.toByteArray());
        int n = 0;
        while (r.next()) {
            AttrReader a = r.attrs(0);
            assertThat(a.next()).isTrue();
            assertThat(a.u32()).isEqualTo(n);
            n++;
        }
        assertThat(n).isEqualTo(100);
    }
}
