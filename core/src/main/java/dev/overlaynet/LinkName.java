package dev.overlaynet;


/**
 * Validation of interface names, with the kernel's rules applied before any
 * syscall: 1..15 bytes (IFNAMSIZ - 1), not {@code .} or {@code ..}, and no
 * {@code /}, {@code :} or whitespace.
 *
 * <pre>{@code
 * LinkName.validate("name", "vxlan0"); // returns "vxlan0"
 * LinkName.validate("name", "averyveryverylong0"); // IllegalArgumentException: name "averyveryverylong0" is 18 bytes; max 15
 * }</pre>
 */
public final class LinkName {
    /** IFNAMSIZ - 1. */
    public static final int MAX_BYTES = 15;

    private LinkName() {}

    /** Returns {@code name} if the kernel would accept it, else throws naming {@code field}. */
    public static String validate(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is " + bytes + " bytes; max " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c) || c == 0) {
                throw new IllegalArgumentException(field + " \"" + name + "\" must not contain '/', ':', NUL or whitespace");
            }
        }
        return name;
    }

    /**
     * {@code s.getBytes(UTF_8).length} without building the array: every
     * per-request call validates its device name, and the copy was a third of
     * what such a request allocated. An unpaired surrogate counts 1, as the
     * encoder replaces it with '?'.
     */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
