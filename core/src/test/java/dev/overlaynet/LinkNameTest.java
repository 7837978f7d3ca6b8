package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The name length check counts UTF-8 bytes without encoding: it must agree with the encoder. */
class LinkNameTest {
    @Test
    void utf8LengthAgreesWithTheEncoderOnRandomStrings() {
        long seed = 0x13_2026_1129L;
        System.out.println("LinkNameTest seed " + seed);
        Random r = new Random(seed);
        // ASCII, 2- and 3-byte chars, valid pairs, and lone high and low surrogates
        char[] pool = {'a', 'Z', '0', '-', '\u00e9', '\u07ff', '\u0800', '\u4e2d', '\uffff', '\ud83d', '\ude00', '\udbff'};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(12);
            for (int k = 0; k < len; k++) {
                if (r.nextInt(6) == 0) {
                    sb.appendCodePoint(0x10000 + r.nextInt(0xfffff));
                } else {
                    sb.append(pool[r.nextInt(pool.length)]);
                }
            }
            String s = sb.toString();
            assertThat(LinkName.utf8Length(s)).as("%s", s.codePoints().toArray())
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void limitIsFifteenBytesNotChars() {
        assertThat(LinkName.validate("name", "a".repeat(15))).hasSize(15);
        assertThatThrownBy(() -> LinkName.validate("name", "\u00e9".repeat(8)))
                .hasMessageContaining("16 bytes; max 15");
        assertThat(LinkName.validate("name", "\u00e9".repeat(7) + "a")).isNotNull();
    }
}
