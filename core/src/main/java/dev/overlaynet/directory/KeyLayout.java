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
    public enum Kind {
        /** The overlay spec. */
        SPEC,
        /** A host record, under {@code hosts/}. */
        HOST,
        /** An endpoint record, under {@code endpoints/}. */
        ENDPOINT,
        /** An address allocation, under {@code ipam/}. */
        ALLOCATION,
        /** Anything else under the prefix. */
        UNKNOWN
    }

    private final String prefix;

    private KeyLayout(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The layout for overlay {@code overlay} under {@code root} (e.g.
     * {@code /overlaynet}); the overlay name follows the host-name rules.
     *
     * @param root the key root, starting with '/' and not ending with one
     * @param overlay the overlay's name
     * @return the layout
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

    /** {@return the key of the overlay spec} */
    public String spec() {
        return prefix + "spec";
    }

    /**
     * {@return the key of host {@code name}'s record}
     *
     * @param name the host's name
     */
    public String host(String name) {
        return prefix + "hosts/" + name;
    }

    /**
     * {@return the key of the endpoint record for {@code ip}}
     *
     * @param ip the endpoint's overlay address
     */
    public String endpoint(InetAddress ip) {
        return prefix + "endpoints/" + Ip.text(ip);
    }

    /**
     * {@return the key of the allocation of {@code ip}}
     *
     * @param ip the allocated overlay address
     */
    public String allocation(InetAddress ip) {
        return prefix + "ipam/" + Ip.text(ip);
    }

    /** {@return the prefix of all allocation keys} */
    public String allocations() {
        return prefix + "ipam/";
    }

    /**
     * {@return what {@code key} holds; UNKNOWN for keys outside this layout}
     *
     * @param key a full key
     */
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

    /**
     * {@return the last path element of {@code key}: a host name or an address text}
     *
     * @param key a full key
     */
    public String leaf(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
