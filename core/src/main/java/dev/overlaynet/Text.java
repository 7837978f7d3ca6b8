package dev.overlaynet;

import java.nio.charset.StandardCharsets;

/**
 * Checks on strings that go to the kernel as NUL-terminated UTF-8: the
 * kernel would silently cut a string at an embedded NUL, and Java encodes an
 * unpaired surrogate as '?', so either would store something other than
 * what was asked for.
 */
final class Text {
    private Text() {}

    /** Throws naming {@code field} if {@code s} has an unpaired surrogate (no UTF-8 form). */
    static void requireWellFormed(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i
                        + " (no UTF-8 form; it would be stored as '?')");
            }
        }
    }

    /**
     * Throws naming {@code field} unless {@code s} is well formed, has no NUL and
     * is at most {@code maxBytes} bytes as UTF-8.
     */
    static void requireKernelString(String field, String s, int maxBytes, String limitName) {
        requireWellFormed(field, s);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            throw new IllegalArgumentException(field + " contains NUL at index " + nul
                    + " (the kernel would cut the string there)");
        }
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        if (n > maxBytes) {
            throw new IllegalArgumentException(field + " is " + n + " bytes; max " + maxBytes + " (" + limitName + ")");
        }
    }

    /** {@code s} in double quotes with control characters escaped, for error messages. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0xa0) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
