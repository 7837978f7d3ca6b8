package dev.overlaynet.directory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The strict JSON subset directory records use: one object whose values are
 * strings, integers, booleans or null. Anything else (nesting, fractions,
 * exponents, duplicate keys, trailing text, unpaired surrogates, control
 * characters in strings) is rejected rather than guessed at, because a record
 * written by someone else must either mean exactly one thing or be skipped.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    static Map<String, Object> parse(String text) throws MalformedRecordException {
        if (text == null) {
            throw new MalformedRecordException("record is empty");
        }
        if (text.length() > 4096) {
            throw new MalformedRecordException("record is " + text.length() + " characters, more than 4096");
        }
        FlatJson p = new FlatJson(text);
        p.ws();
        Map<String, Object> m = p.object();
        p.ws();
        if (p.i != text.length()) {
            throw p.error("trailing text");
        }
        return m;
    }

    static String write(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder(128).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                b.append(v);
            } else {
                string(b, v.toString());
            }
        }
        return b.append('}').toString();
    }

    private static void string(StringBuilder b, String v) {
        b.append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    private Map<String, Object> object() throws MalformedRecordException {
        expect('{');
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            ws();
            String key = string();
            ws();
            expect(':');
            ws();
            Object v = value();
            if (m.containsKey(key)) {
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            ws();
            char c = next();
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private Object value() throws MalformedRecordException {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        throw error(c == '{' || c == '[' ? "nested values are not allowed" : "unexpected character");
    }

    private Long number() throws MalformedRecordException {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (i < s.length() && s.charAt(i) == '0' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
            throw error("leading zero in number");
        }
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            throw error("only integers are allowed");
        }
        String digits = s.substring(start, i);
        if (digits.isEmpty() || digits.equals("-") || digits.length() > 19) {
            throw error("bad integer");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("integer out of range");
        }
    }

    private String string() throws MalformedRecordException {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            } else {
                b.append(c);
            }
        }
        String out = b.toString();
        for (int k = 0; k < out.length(); k++) {
            char c = out.charAt(k);
            if (Character.isHighSurrogate(c)) {
                if (k + 1 >= out.length() || !Character.isLowSurrogate(out.charAt(k + 1))) {
                    throw error("unpaired surrogate");
                }
                k++;
            } else if (Character.isLowSurrogate(c)) {
                throw error("unpaired surrogate");
            }
        }
        return out;
    }

    private void ws() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private char peek() throws MalformedRecordException {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() throws MalformedRecordException {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) throws MalformedRecordException {
        if (next() != c) {
            i--;
            throw error("expected '" + c + "'");
        }
    }

    private MalformedRecordException error(String what) {
        return new MalformedRecordException("not a flat JSON record: " + what + " at offset " + i);
    }
}
