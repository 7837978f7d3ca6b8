package dev.overlaynet.netlink.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageWriterTest {
    @Test
    void growingKeepsBytesAndPositionZero() {
        MessageWriter w = new MessageWriter(64);
        for (int i = 0; i < 100; i++) {
            int m = w.begin(0x10 + (i % 3), 0);
            w.u32(1, i).end(m);
        }
        assertThat(w.buffer().capacity()).isGreaterThanOrEqualTo(2400);
        assertThat(w.buffer().position()).isZero(); // native calls send from address + position
        assertThat(w.length()).isEqualTo(100 * 24);
        MessageReader r = MessageReader.of(w.toByteArray());
        int i = 0;
        while (r.next()) {
            assertThat(r.length()).isEqualTo(24);
            assertThat(r.type()).isEqualTo(0x10 + (i % 3));
            AttrReader a = r.attrs(0);
            assertThat(a.next()).isTrue();
            assertThat(a.u32()).isEqualTo(i);
            i++;
        }
        assertThat(i).isEqualTo(100);
    }
}
