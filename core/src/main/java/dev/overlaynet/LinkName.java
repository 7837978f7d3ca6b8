package dev.overlaynet;

import java.nio.charset.StandardCharsets;

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
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
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
}
