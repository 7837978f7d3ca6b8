package dev.overlaynet;

import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A named nftables set in the library's table, with its elements: what
 * {@code nft add set ip overlaynet excluded { type ipv4_addr; flags interval; }}
 * and {@code nft add element ip overlaynet excluded { 10.0.0.0/8 }} make.
 * Immutable; {@link Builder#build()} validates everything and names the bad
 * field before anything is sent. Written and read with {@link NamedSets}
 * ({@link Nftables#sets()}); a NAT rule refers to one with
 * {@link NatRule.Builder#excludeDestinationsIn(String)}.
 *
 * <p>The elements are kept as the kernel keeps them, so a set read back
 * equals the one written: an {@linkplain #interval() interval} set's
 * prefixes (or port ranges) are merged where they overlap or touch and cut
 * into the fewest prefixes, ascending; a set without {@code interval} holds
 * single addresses (full-length prefixes) or single ports, ascending, each once.
 *
 * <pre>{@code
 * NamedSet excluded = NamedSet.ipv4("excluded").elements("10.0.0.0/8", "192.168.0.0/16").build();
 * NamedSet web = NamedSet.ports("web").elements("80", "443").build();
 * nl.nftables().sets().ensure(excluded);
 * }</pre>
 */
public final class NamedSet {
    /** Longest set name in bytes (NFT_SET_MAXNAMELEN without the NUL). */
    public static final int MAX_NAME_BYTES = NfTablesUapi.NFT_SET_MAXNAMELEN - 1;

    private final String name;
    private final SetType type;
    private final boolean interval;
    private final List<IpPrefix> prefixes;
    private final List<PortRange> ports;
    private final String tableFamily;
    private final String comment;

    private NamedSet(Builder b, List<IpPrefix> prefixes, List<PortRange> ports) {
        this.name = b.name;
        this.type = b.type;
        this.interval = b.interval;
        this.prefixes = List.copyOf(prefixes);
        this.ports = List.copyOf(ports);
        this.tableFamily = b.tableFamily;
        this.comment = b.comment;
    }

    /**
     * A builder for an IPv4 prefix set ({@code type ipv4_addr; flags interval}).
     *
     * @param name the set's name
     * @return a builder with name, type and {@code interval} set
     */
    public static Builder ipv4(String name) {
        return builder().name(name).type(SetType.IPV4_ADDR).interval(true);
    }

    /**
     * A builder for an IPv6 prefix set ({@code type ipv6_addr; flags interval}).
     *
     * @param name the set's name
     * @return a builder with name, type and {@code interval} set
     */
    public static Builder ipv6(String name) {
        return builder().name(name).type(SetType.IPV6_ADDR).interval(true);
    }

    /**
     * A builder for a set of single ports ({@code type inet_service}); add
     * {@code interval(true)} for port ranges.
     *
     * @param name the set's name
     * @return a builder with name and type set
     */
    public static Builder ports(String name) {
        return builder().name(name).type(SetType.INET_SERVICE);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the set's name} */
    public String name() {
        return name;
    }

    /** {@return the key type} */
    public SetType type() {
        return type;
    }

    /** {@return whether the set holds prefixes or ranges ({@code flags interval}) rather than single keys} */
    public boolean interval() {
        return interval;
    }

    /** {@return the address elements as prefixes (single addresses are /32 or /128), canonical; empty for a port set} */
    public List<IpPrefix> prefixes() {
        return prefixes;
    }

    /** {@return the port elements (a single port is a range of one), canonical; empty for an address set} */
    public List<PortRange> ports() {
        return ports;
    }

    /** {@return how many elements: prefixes or port ranges} */
    public int size() {
        return type.isAddress() ? prefixes.size() : ports.size();
    }

    /**
     * The family of the table the set was read from ({@code ip}, {@code ip6}
     * or {@code inet}); null for a set that was built, not read.
     *
     * @return the table family, or null
     */
    public String tableFamily() {
        return tableFamily;
    }

    /**
     * The set's nft comment as read from the kernel; the library writes
     * {@link Nftables#OWNER_COMMENT}. Null for a set that was built, or one without comment.
     *
     * @return the comment, or null
     */
    public String comment() {
        return comment;
    }

    /**
     * Whether the set carries the library's ownership mark, as read; the
     * library changes and deletes only such sets. A set that was built, not read, says false.
     *
     * @return true for a set the library made
     */
    public boolean owned() {
        return Nftables.OWNER_COMMENT.equals(comment);
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        Builder b = builder().name(name).type(type).interval(interval);
        b.items.addAll(prefixes);
        b.items.addAll(ports);
        return b;
    }

    /**
     * Equal when name, type, {@code interval} and elements are; where the set
     * was read from and its comment are not compared, so a set read back
     * equals the one written.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NamedSet s && name.equals(s.name) && type == s.type && interval == s.interval
                && prefixes.equals(s.prefixes) && ports.equals(s.ports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, interval, prefixes, ports);
    }

    /** As nft writes it: {@code set excluded { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("set ").append(name).append(" { type ").append(type.nftName()).append(';');
        if (interval) {
            sb.append(" flags interval;");
        }
        List<?> e = type.isAddress() ? prefixes : ports;
        if (!e.isEmpty()) {
            sb.append(" elements = { ");
            for (int i = 0; i < Math.min(e.size(), 8); i++) {
                Object x = e.get(i);
                sb.append(i == 0 ? "" : ", ").append(x instanceof PortRange p && p.low() == p.high() ? "" + p.low() : x);
            }
            sb.append(e.size() > 8 ? ", ... (" + e.size() + " elements) }" : " }");
        }
        return sb.append(" }").toString();
    }

    /**
     * Builds a {@link NamedSet}. Setters only record; {@link #build()}
     * validates and canonicalises the elements.
     *
     * <pre>{@code
     * NamedSet s = NamedSet.builder().name("excluded").type(SetType.IPV6_ADDR).interval(true)
     *     .elements(List.of("fd00::/8", "2001:db8::1")).build();
     * }</pre>
     */
    public static final class Builder {
        private String name;
        private SetType type;
        private boolean interval;
        private final List<Object> items = new ArrayList<>();
        private String tableFamily;
        private String comment;

        private Builder() {}

        /**
         * The set's name: 1..{@value NamedSet#MAX_NAME_BYTES} bytes of UTF-8, no NUL, no {@code %}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * The key type.
         *
         * @param type the type
         * @return this builder
         */
        public Builder type(SetType type) {
            this.type = type;
            return this;
        }

        /**
         * Whether the set holds prefixes or port ranges ({@code flags interval}).
         *
         * @param on true for an interval set
         * @return this builder
         */
        public Builder interval(boolean on) {
            this.interval = on;
            return this;
        }

        /**
         * Adds elements as nft writes them: {@code 10.0.0.0/8} or
         * {@code 10.0.0.1} for an address type, {@code 80} or (interval only)
         * {@code 1000-2000} for {@code inet_service}. Parsed by {@link #build()}.
         *
         * @param elements the elements
         * @return this builder
         */
        public Builder elements(String... elements) {
            if (elements == null) {
                throw new IllegalArgumentException("elements must not be null");
            }
            return elements(Arrays.asList(elements));
        }

        /**
         * As {@link #elements(String...)}.
         *
         * @param elements the elements
         * @return this builder
         */
        public Builder elements(Collection<String> elements) {
            if (elements == null) {
                throw new IllegalArgumentException("elements must not be null");
            }
            items.addAll(elements);
            return this;
        }

        /**
         * Adds address elements.
         *
         * @param prefixes the prefixes (full length for a set without {@code interval})
         * @return this builder
         */
        public Builder prefixes(Collection<IpPrefix> prefixes) {
            if (prefixes == null) {
                throw new IllegalArgumentException("prefixes must not be null");
            }
            items.addAll(prefixes);
            return this;
        }

        /**
         * Adds port elements.
         *
         * @param ports the ports (single ports for a set without {@code interval})
         * @return this builder
         */
        public Builder ports(Collection<PortRange> ports) {
            if (ports == null) {
                throw new IllegalArgumentException("ports must not be null");
            }
            items.addAll(ports);
            return this;
        }

        /** Where a set read from the kernel lives; not for users. */
        Builder readFrom(String tableFamily, String comment) {
            this.tableFamily = tableFamily;
            this.comment = comment;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code NamedSet}
         * @throws IllegalArgumentException naming the field when a value is missing or wrong
         */
        public NamedSet build() {
            if (tableFamily == null) {
                validateName("name", name);
            } else {
                checkName("name", name); // what nft made may start with __
            }
            if (type == null) {
                throw new IllegalArgumentException("type is required (ipv4_addr, ipv6_addr or inet_service)");
            }
            List<IpPrefix> prefixes = new ArrayList<>();
            List<PortRange> ports = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String field = "elements[" + i + "]";
                Object item = items.get(i);
                if (item == null) {
                    throw new IllegalArgumentException(field + " must not be null");
                }
                if (type.isAddress()) {
                    IpPrefix p = address(field, item);
                    if (p.isV4() != (type == SetType.IPV4_ADDR)) {
                        throw new IllegalArgumentException(field + " " + p + " is not of type " + type.nftName());
                    }
                    if (!interval && p.length() != Ip.bits(p.address())) {
                        throw new IllegalArgumentException(field + " " + p + ": a set without interval holds single "
                                + "addresses; use interval(true) for prefixes");
                    }
                    prefixes.add(p.network());
                } else {
                    PortRange r = port(field, item);
                    if (!interval && r.low() != r.high()) {
                        throw new IllegalArgumentException(field + " " + r + ": a set without interval holds single "
                                + "ports; use interval(true) for ranges");
                    }
                    ports.add(r);
                }
            }
            if (type.isAddress()) {
                prefixes = interval ? PrefixSets.canonical(prefixes)
                        : prefixes.stream().distinct().sorted(Comparator.comparing(SetContents::number)).toList();
            } else {
                ports = SetContents.mergePorts(ports, interval);
            }
            return new NamedSet(this, prefixes, ports);
        }

        private IpPrefix address(String field, Object item) {
            if (item instanceof IpPrefix p) {
                return p;
            }
            if (item instanceof String s) {
                return IpPrefix.parse(field, s.trim());
            }
            throw new IllegalArgumentException(field + " " + item + " is not an address; the set's type is "
                    + type.nftName());
        }

        private static PortRange port(String field, Object item) {
            if (item instanceof PortRange r) {
                return r;
            }
            if (!(item instanceof String s0)) {
                throw new IllegalArgumentException(field + " " + item + " is not a port; the set's type is inet_service");
            }
            String s = s0.trim();
            int dash = s.indexOf('-');
            int low = portNumber(field, s0, dash < 0 ? s : s.substring(0, dash));
            int high = dash < 0 ? low : portNumber(field, s0, s.substring(dash + 1));
            if (high < low) {
                throw new IllegalArgumentException(field + " \"" + s0 + "\": the range ends before it starts");
            }
            return new PortRange(low, high);
        }

        private static int portNumber(String field, String text, String s) {
            if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException(field + " \"" + text + "\" is not a port or port range (e.g. 80, 1000-2000)");
            }
            int p = Integer.parseInt(s);
            if (p > 65535) {
                throw new IllegalArgumentException(field + " \"" + text + "\": port " + p + " out of range [0..65535]");
            }
            return p;
        }
    }

    /** Checks a set name before anything is sent; {@code field} names it in the message. */
    static void validateName(String field, String name) {
        checkName(field, name);
        if (name.indexOf('%') >= 0 || name.startsWith("__")) {
            // The kernel fills "%d" in with a number, and "__set%d" is an anonymous set's name.
            throw new IllegalArgumentException(field + " \"" + name + "\" must not contain % or start with __");
        }
    }

    /** What any set name in the kernel satisfies: 1..255 bytes without NUL. */
    static void checkName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(field + " is required");
        }
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n > MAX_NAME_BYTES) {
            throw new IllegalArgumentException(field + " \"" + name.substring(0, 16) + "...\" is " + n + " bytes; max "
                    + MAX_NAME_BYTES);
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must not contain NUL");
        }
    }
}
