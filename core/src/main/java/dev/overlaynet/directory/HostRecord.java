package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One host taking part in an overlay, as published in a {@link Directory}: its
 * name, the underlay address its VTEP sends from, and the VTEP's MAC. Its
 * liveness is the {@link HostLease} it was published under: when that lease
 * ends (withdrawn, or expired after a crash), the record and every endpoint
 * published under it disappear.
 *
 * <pre>{@code
 * HostRecord h1 = new HostRecord("h1", Ip.parse("172.16.1.11"), MacAddress.parse("0a:58:ac:10:01:0b"));
 * }</pre>
 *
 * @param name unique within the overlay: 1..63 characters of {@code [A-Za-z0-9._-]}, starting
 *     with a letter or digit
 * @param underlay the host's underlay (VXLAN source) address
 * @param vtepMac the MAC of the host's vxlan device
 */
public record HostRecord(String name, InetAddress underlay, MacAddress vtepMac) {
    /**
     * Checks the fields.
     *
     * @param name the host's name, see {@link #requireValidName}
     * @param underlay the host's underlay address, where VXLAN packets go
     * @param vtepMac the MAC of the host's vxlan device
     */
    public HostRecord {
        requireValidName("name", name);
        Objects.requireNonNull(underlay, "underlay");
        Objects.requireNonNull(vtepMac, "vtepMac");
    }

    /**
     * Checks a host or overlay name: 1..63 characters of {@code [A-Za-z0-9._-]},
     * starting with a letter or digit (safe as a key element and a file name).
     *
     * @throws IllegalArgumentException naming {@code field}
     * @param field the field name for the error message
     * @param name the name to check
     * @throws IllegalArgumentException if the name breaks the rules
     */
    public static void requireValidName(String field, String name) {
        if (name == null || name.isEmpty() || name.length() > 63) {
            throw new IllegalArgumentException(field + " must be 1..63 characters, got "
                    + (name == null ? "null" : name.length() + ""));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (i > 0 && (c == '.' || c == '_' || c == '-'));
            if (!ok) {
                throw new IllegalArgumentException(field + " \"" + name + "\": character " + i
                        + " is not allowed (letters, digits, '.', '_', '-'; first a letter or digit)");
            }
        }
    }

    @Override
    public String toString() {
        return name + " " + Ip.text(underlay) + " " + vtepMac;
    }
}
