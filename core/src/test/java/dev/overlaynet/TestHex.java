package dev.overlaynet;

/** Parses commented hex ("0a 00 // comment" per line) into bytes, and prints bytes as hex for diffs. */
final class TestHex {
    private TestHex() {}

    static byte[] parse(String text) {
        StringBuilder digits = new StringBuilder();
        for (String line : text.split("\n")) {
            int c = line.indexOf("//");
            String data = (c >= 0 ? line.substring(0, c) : line).trim();
            if (data.startsWith("#")) {
                continue;
            }
            digits.append(data.replace(" ", ""));
        }
        byte[] b = new byte[digits.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String format(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            sb.append(String.format("%02x", b[i] & 0xff)).append(i % 16 == 15 ? "\n" : " ");
        }
        return sb.toString().trim();
    }
}
