package dev.overlaynet;

import java.nio.charset.StandardCharsets;


/**
 * Validation of interface names, with the kernel's rules applied before any
 * syscall. The kernel ({@code dev_valid_name}) looks at the UTF-8 bytes: 1..15
 * bytes (IFNAMSIZ - 1), not {@code .} or {@code ..}, and no byte that is
 * {@code /}, {@code :} or whitespace by its {@code isspace()}: tab, LF, VT,
 * FF, CR, space and 0xA0 (its ctype table is Latin-1, so 0xA0 is a
 * no-break space). A 0xA0 byte occurs inside many UTF-8 characters
 * ({@code U+00A0}, {@code à}, {@code U+2020}, ...), which are therefore
 * refused too, while other Unicode spaces such as {@code U+2003} are
 * accepted, as the kernel accepts them. Also refused: NUL (the kernel would
 * cut the name there), {@code %} (the kernel takes a name with {@code %d} as
 * a pattern and picks a different name) and unpaired surrogates (they have no
 * UTF-8 form).
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

    /**
     * {@return {@code name} if the kernel would accept it, else throws naming {@code field}}
     *
     * @param field the field name for the error message
     * @param name the interface name
     */
    public static String validate(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        if (isPlainAscii(name)) {
            // The common case, per request: checked without encoding (the copy was a third of
            // what a one-request add allocated).
            return validateAscii(field, name);
        }
        Text.requireWellFormed(field, name);
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_BYTES) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is " + utf8.length + " bytes; max " + MAX_BYTES);
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is not allowed");
        }
        for (byte b : utf8) {
            int c = b & 0xff;
            if (c == '/' || c == ':' || c == 0 || kernelIsSpace(c)) {
                throw new IllegalArgumentException(field + " " + Text.quote(name)
                        + " must not contain '/', ':', NUL or whitespace (the kernel refuses byte 0x"
                        + Integer.toHexString(c) + (c >= 0x80 ? ", part of a UTF-8 character," : "") + " in names)");
            }
            if (c == '%') {
                throw new IllegalArgumentException(field + " " + Text.quote(name)
                        + " must not contain '%' (the kernel takes it as a %d name pattern and picks another name)");
            }
        }
        return name;
    }

    private static boolean isPlainAscii(String name) {
        if (name.length() > MAX_BYTES) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** {@link #validate} for a name of at most 15 ASCII characters: the same rules, char by char. */
    private static String validateAscii(String field, String name) {
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(field + " \"" + name + "\" is not allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            int c = name.charAt(i);
            if (c == '/' || c == ':' || c == 0 || kernelIsSpace(c)) {
                throw new IllegalArgumentException(field + " " + Text.quote(name)
                        + " must not contain '/', ':', NUL or whitespace (the kernel refuses byte 0x"
                        + Integer.toHexString(c) + " in names)");
            }
            if (c == '%') {
                throw new IllegalArgumentException(field + " " + Text.quote(name)
                        + " must not contain '%' (the kernel takes it as a %d name pattern and picks another name)");
            }
        }
        return name;
    }

    /** The kernel's {@code isspace()} on one byte: lib/ctype.c marks 9..13, 32 and 160 (Latin-1 NBSP). */
    static boolean kernelIsSpace(int b) {
        return (b >= 9 && b <= 13) || b == 32 || b == 0xa0;
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
