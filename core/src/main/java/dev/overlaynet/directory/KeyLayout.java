package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import java.net.InetAddress;

/**
 * Where an overlay's records live in a key-value store:
 * {@code <root>/v1/<overlay>/spec}, {@code .../hosts/<name>},
 * {@code .../endpoints/<ip>} and {@code .../ipam/<ip>}. The {@code v1} is the
 * layout's version: a later layout gets a new prefix, so readers of this one
 * never see records they cannot parse.
 *
 * <pre>{@code
 * KeyLayout keys = KeyLayout.of("/overlaynet", "prod");
 * keys.host("h1");      // "/overlaynet/v1/prod/hosts/h1"
 * }</pre>
 */
public final class KeyLayout {
    /** The layout version, part of every key. */
    public static final String VERSION = "v1";

    /** What a key under {@link #prefix()} holds. */
    public enum Kind { SPEC, HOST, ENDPOINT, ALLOCATION, UNKNOWN }

    private final String prefix;

    private KeyLayout(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The layout for overlay {@code overlay} under {@code root} (e.g.
     * {@code /overlaynet}); the overlay name follows the host-name rules.
     */
    public static KeyLayout of(String root, String overlay) {
        if (root == null || !root.startsWith("/") || root.endsWith("/") || root.contains("//")) {
            throw new IllegalArgumentException("root \"" + root + "\" must start with '/' and not end with one");
        }
        HostRecord.requireValidName("overlay", overlay);
        return new KeyLayout(root + "/" + VERSION + "/" + overlay + "/");
    }

    /** {@return every key of this overlay starts with this} */
    public String prefix() {
        return prefix;
    }

    public String spec() {
        return prefix + "spec";
    }

    public String host(String name) {
        return prefix + "hosts/" + name;
    }

    public String endpoint(InetAddress ip) {
        return prefix + "endpoints/" + Ip.text(ip);
    }

    public String allocation(InetAddress ip) {
        return prefix + "ipam/" + Ip.text(ip);
    }

    /** {@return the prefix of all allocation keys} */
    public String allocations() {
        return prefix + "ipam/";
    }

    /** {@return what {@code key} holds; UNKNOWN for keys outside this layout} */
    public Kind kind(String key) {
        if (!key.startsWith(prefix)) {
            return Kind.UNKNOWN;
        }
        String rest = key.substring(prefix.length());
        if (rest.equals("spec")) {
            return Kind.SPEC;
        }
        if (rest.startsWith("hosts/") && rest.length() > 6) {
            return Kind.HOST;
        }
        if (rest.startsWith("endpoints/") && rest.length() > 10) {
            return Kind.ENDPOINT;
        }
        if (rest.startsWith("ipam/") && rest.length() > 5) {
            return Kind.ALLOCATION;
        }
        return Kind.UNKNOWN;
    }

    /** {@return the last path element of {@code key}: a host name or an address text} */
    public String leaf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
