package dev.overlaynet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A network interface: the attributes every kind shares. Subclasses add the
 * kind's own ({@link Vxlan}, {@link Bridge}, {@link Veth}, {@link Macvlan},
 * {@link Vlan}, {@link Dummy}, and {@link GenericLink} for kinds not modelled).
 *
 * <p>Immutable. Fields left unset are null and are not sent: the kernel keeps
 * its default. Links read from the kernel have every field it reports set,
 * plus the read-only {@link #index()}, {@link #operState()} and
 * {@link #flags()}. Attributes the decoder does not know are kept in
 * {@link #unknownAttributes()} (top level) and in the kind's
 * {@code unknownDataAttributes()}; they are informational and never sent back.
 *
 * <p>{@link #equals} compares the configuration fields and the kind's data
 * (not index, operState, flags or unknown attributes). To ask "does the
 * kernel's link already look like this one", use {@link #differences(Link)}.
 *
 * <pre>{@code
 * Link l = nl.links().get("vxlan0");
 * if (l instanceof Vxlan vx) {
 *     log.info(vx.vni() + " mtu " + vx.mtu() + " master " + vx.master());
 * }
 * }</pre>
 */
public abstract class Link {
    private final String name;
    private final Integer index;
    private final Integer mtu;
    private final MacAddress address;
    private final String master;
    private final Long group;
    private final Long txQueueLength;
    private final String alias;
    private final Boolean up;
    private final String operState;
    private final Integer flags;
    private final Map<Integer, byte[]> unknown;
    final AttrValues data;
    /** IFLA_LINK as a name: a macvlan/vlan parent, a veth peer. */
    final String linkRef;
    private final Integer linkNetnsId;
    private final Integer linkIndex;

    /**
     * Copies the common fields from a kind's builder; kinds call it from their own constructor.
     *
     * @param b the validated builder
     */
    protected Link(Builder<?, ?> b) {
        this.name = b.name;
        this.index = b.index;
        this.mtu = b.mtu;
        this.address = b.address;
        this.master = b.master;
        this.group = b.group;
        this.txQueueLength = b.txQueueLength;
        this.alias = b.alias;
        this.up = b.up;
        this.operState = b.operState;
        this.flags = b.flags;
        this.unknown = b.unknown;
        this.data = b.data;
        this.linkRef = b.linkRef;
        this.linkNetnsId = b.linkNetnsId;
        this.linkIndex = b.linkIndex;
    }

    /** {@return the kind as the kernel names it (IFLA_INFO_KIND), e.g. {@code vxlan}} */
    public abstract String kind();

    /** {@return a builder holding this link's fields, to derive a changed copy} */
    public abstract Builder<?, ?> toBuilder();

    /** The kind's codec: attribute table and hooks. */
    abstract LinkKind kindCodec();

    /** {@return the interface name (IFLA_IFNAME)} */
    public String name() {
        return name;
    }

    /** {@return the interface index; read back from the kernel, null on a link that was built} */
    public Integer index() {
        return index;
    }

    /** {@return the MTU (IFLA_MTU), or null when unset} */
    public Integer mtu() {
        return mtu;
    }

    /** {@return the link-layer address (IFLA_ADDRESS)} */
    public MacAddress address() {
        return address;
    }

    /** {@return the name of the master device (bridge) this link is enslaved to} */
    public String master() {
        return master;
    }

    /** {@return the link group (IFLA_GROUP, u32: 0..4294967295), named so to keep {@code group} for VXLAN's multicast group; 0 is the kernel's "default" group} */
    public Long linkGroup() {
        return group;
    }

    /** {@return transmit queue length (IFLA_TXQLEN, u32: 0..4294967295)} */
    public Long txQueueLength() {
        return txQueueLength;
    }

    /** {@return the interface alias (IFLA_IFALIAS)} */
    public String alias() {
        return alias;
    }

    /** {@return administrative state (IFF_UP): true up, false down, null unset} */
    public Boolean up() {
        return up;
    }

    /** {@return operational state as the kernel reports it (RFC 2863 name: UP, DOWN, UNKNOWN, ...); read only} */
    public String operState() {
        return operState;
    }

    /**
     * When this link's peer or parent lives in another namespace: that
     * namespace's id here (IFLA_LINK_NETNSID), as {@code ip -d link} prints
     * {@code link-netnsid} (or {@code link-netns NAME});
     * {@link NetnsIds#name(int)} finds the name. Null when it lives here. Read only.
     *
     * @return the peer's or parent's namespace id, or null when it is in this namespace
     */
    public Integer linkNetnsId() {
        return linkNetnsId;
    }

    /**
     * The peer's or parent's ifindex as reported (IFLA_LINK; in the namespace of
     * {@link #linkNetnsId()} when that is set, as {@code ip link} prints
     * {@code vb0@if5}), or null. Read only.
     *
     * @return the peer's or parent's ifindex, or null
     */
    public Integer linkIndex() {
        return linkIndex;
    }

    /** {@return the ifinfomsg flags (IFF_*); read only} */
    public Integer flags() {
        return flags;
    }

    /** {@return top-level IFLA_* attributes the decoder does not model, by type, as raw payload copies} */
    public Map<Integer, byte[]> unknownAttributes() {
        Map<Integer, byte[]> copy = new TreeMap<>();
        unknown.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * The names of the fields set on this link whose value differs in
     * {@code actual} (typically what the kernel reports). Empty means
     * {@code actual} already is what this link asks for. Read-only fields
     * (index, operState, flags) are never compared.
     *
     * @param actual the link to compare with, usually decoded from the kernel
     * @return the differing field names, empty when none
     */
    public List<String> differences(Link actual) {
        List<String> out = new ArrayList<>();
        if (!kind().equals(actual.kind())) {
            out.add("kind");
            return out;
        }
        diff(out, "name", name, actual.name);
        diff(out, "mtu", mtu, actual.mtu);
        diff(out, "address", address, actual.address);
        diff(out, "master", master, actual.master);
        diff(out, "linkGroup", group, actual.group);
        diff(out, "txQueueLength", txQueueLength, actual.txQueueLength);
        diff(out, "alias", alias, actual.alias);
        diff(out, "up", up, actual.up);
        if (kindCodec().comparesLinkRef(this)) {
            diff(out, kindCodec().linkRefName(), linkRef, actual.linkRef);
        }
        for (AttrSpec<?> s : data.differences(actual.data, kindCodec().specs())) {
            if (kindCodec().comparedOnlyWhenReported().contains(s) && !actual.data.isSet(s)) {
                continue;
            }
            out.add(s.name());
        }
        kindCodec().extraDifferences(this, actual, out);
        return out;
    }

    /**
     * This link with only {@code fields} set (its name and kind are kept), in
     * the field names {@link #differences} uses. Its use is putting back what
     * {@link Links#ensure(Link)} changed:
     *
     * <pre>{@code
     * Link before = nl.links().get("vxlan0");
     * List<String> changed = want.differences(before);
     * nl.links().ensure(want);
     * // ... a later step fails:
     * nl.links().ensure(before.restrictedTo(changed));
     * }</pre>
     *
     * A field that is unset on this link stays unset, so it is not put back;
     * read-only fields (index, operState, flags) are never carried.
     *
     * @param fields field names as {@link #differences} returns them
     * @return a copy with only those fields (and name and kind) set
     */
    public Link restrictedTo(Collection<String> fields) {
        Builder<?, ?> b = kindCodec().newBuilder();
        if (b instanceof GenericLink.Builder g) {
            g.kind(kind());
        }
        b.name = name;
        b.mtu = fields.contains("mtu") ? mtu : null;
        b.address = fields.contains("address") ? address : null;
        b.master = fields.contains("master") ? master : null;
        b.group = fields.contains("linkGroup") ? group : null;
        b.txQueueLength = fields.contains("txQueueLength") ? txQueueLength : null;
        b.alias = fields.contains("alias") ? alias : null;
        b.up = fields.contains("up") ? up : null;
        b.linkRef = fields.contains(kindCodec().linkRefName()) ? linkRef : null;
        List<AttrSpec<?>> kept = new ArrayList<>();
        for (AttrSpec<?> s : kindCodec().specs()) {
            if (fields.contains(s.name())) {
                kept.add(s);
            }
        }
        b.data = data.only(kept);
        kindCodec().restrictExtra(this, b, fields);
        return b.create();
    }

    private static void diff(List<String> out, String field, Object want, Object have) {
        if (want != null && !want.equals(have)) {
            out.add(field);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        Link l = (Link) o;
        return Objects.equals(name, l.name) && Objects.equals(mtu, l.mtu) && Objects.equals(address, l.address)
                && Objects.equals(master, l.master) && Objects.equals(group, l.group)
                && Objects.equals(txQueueLength, l.txQueueLength) && Objects.equals(alias, l.alias)
                && Objects.equals(up, l.up) && Objects.equals(linkRef, l.linkRef) && data.equals(l.data) && kindCodec().extraEquals(this, l);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), name, mtu, address, master, group, data);
    }

    /**
     * The link as iproute2 writes it: index (when read from the kernel), name,
     * kind and the kind's options in {@code ip link add} words, then the shared
     * fields. For example {@code vxlan0 vxlan id 42 dstport 4789 group 239.1.1.1
     * dev eth1 mtu 1450 master br0 up}, or {@code 7: br0 bridge stp_state 0 mtu
     * 1500 address 0a:58:0a:e9:00:01 up state UP} for a bridge read back.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (index != null) {
            sb.append(index).append(": ");
        }
        sb.append(name);
        LinkKind k = kindCodec();
        if (!kind().isEmpty()) {
            sb.append(' ').append(kind());
        }
        if (linkRef != null) {
            sb.append(' ').append(k.linkRefWord()).append(' ').append(linkRef);
        }
        data.describe(sb, k.describeOrder(), k);
        k.describeExtra(this, sb);
        append(sb, "mtu", mtu);
        append(sb, "master", master);
        append(sb, "address", address);
        append(sb, "group", group);
        append(sb, "qlen", txQueueLength);
        if (alias != null) {
            sb.append(" alias \"").append(alias).append('"');
        }
        if (up != null) {
            sb.append(up ? " up" : " down");
        }
        append(sb, "state", operState);
        // Only the kind's own unmodelled attributes: every link carries dozens of top-level
        // ones (stats, queues, gso limits) that unknownAttributes() keeps without comment.
        if (data.unknownCount() > 0) {
            sb.append(" (+").append(data.unknownCount()).append(' ').append(kind()).append(" attributes not modelled)");
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String k, Object v) {
        if (v != null) {
            sb.append(' ').append(k).append(' ').append(v);
        }
    }

    static boolean bytesMapEquals(Map<Integer, byte[]> a, Map<Integer, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The shared part of every kind's builder. Setters take domain values;
     * {@code build()} validates and throws IllegalArgumentException naming the
     * field before anything reaches the kernel.
     *
     * <pre>{@code
     * Bridge br = Bridge.builder().name("br0").mtu(1450).linkGroup(7).up(true).build();
     * }</pre>
     *
     * @param <L> the link type built
     * @param <B> the concrete builder type, for chaining
     */
    public abstract static class Builder<L extends Link, B extends Builder<L, B>> {
        String name;
        Integer index;
        Integer mtu;
        MacAddress address;
        String master;
        Long group;
        Long txQueueLength;
        String alias;
        Boolean up;
        String operState;
        Integer flags;
        Map<Integer, byte[]> unknown = Map.of();
        AttrValues data = AttrValues.EMPTY;
        String linkRef;
        Integer linkNetnsId;
        Integer linkIndex;

        /** An empty builder. */
        protected Builder() {}

        /**
         * A builder holding the common fields of {@code l}.
         *
         * @param l the link to copy
         */
        protected Builder(Link l) {
            this.name = l.name;
            this.index = l.index;
            this.mtu = l.mtu;
            this.address = l.address;
            this.master = l.master;
            this.group = l.group;
            this.txQueueLength = l.txQueueLength;
            this.alias = l.alias;
            this.up = l.up;
            this.operState = l.operState;
            this.flags = l.flags;
            this.unknown = l.unknown;
            this.data = l.data;
            this.linkRef = l.linkRef;
        }

        @SuppressWarnings("unchecked")
        final B self() {
            return (B) this;
        }

        <T> B set(AttrSpec<T> spec, T value) {
            data = data.with(spec, value);
            return self();
        }

        /**
         * Interface name: 1..15 bytes, not . or .., no '/', ':' or whitespace.
         *
         * @param name interface name: 1..15 bytes, not . or .., no '/', ':' or whitespace
         * @return this builder
         */
        public B name(String name) {
            this.name = name;
            return self();
        }

        /**
         * Sets {@link Link#mtu()}.
         *
         * @param mtu the MTU (IFLA_MTU); null leaves it unset
         * @return this builder
         */
        public B mtu(Integer mtu) {
            this.mtu = mtu;
            return self();
        }

        /**
         * Sets {@link Link#address()}.
         *
         * @param address the link-layer address (IFLA_ADDRESS)
         * @return this builder
         */
        public B address(MacAddress address) {
            this.address = address;
            return self();
        }

        /**
         * Parses {@code aa:bb:cc:dd:ee:ff}.
         *
         * @param address parses {@code aa:bb:cc:dd:ee:ff}
         * @return this builder
         */
        public B address(String address) {
            this.address = address == null ? null : MacAddress.parse(address);
            return self();
        }

        /**
         * Enslave to this master (bridge) by name, resolved when the link is added.
         *
         * @param master enslave to this master (bridge) by name, resolved when the link is added
         * @return this builder
         */
        public B master(String master) {
            this.master = master;
            return self();
        }

        /**
         * Sets {@link Link#linkGroup()}: 0..4294967295 (IFLA_GROUP is a u32; 0 is "default");
         * {@link #build()} refuses other values naming the field.
         *
         * @param group the link group, or null to leave it unset
         * @return this builder
         */
        public B linkGroup(Long group) {
            this.group = group;
            return self();
        }

        /**
         * Sets {@link Link#linkGroup()}.
         *
         * @param group the link group, 0..4294967295 (0 is "default")
         * @return this builder
         */
        public B linkGroup(long group) {
            return linkGroup(Long.valueOf(group));
        }

        /**
         * Sets {@link Link#txQueueLength()}: 0..4294967295 (IFLA_TXQLEN is a u32);
         * {@link #build()} refuses other values naming the field.
         *
         * @param txQueueLength transmit queue length, or null to leave it unset
         * @return this builder
         */
        public B txQueueLength(Long txQueueLength) {
            this.txQueueLength = txQueueLength;
            return self();
        }

        /**
         * Sets {@link Link#txQueueLength()}.
         *
         * @param txQueueLength transmit queue length, 0..4294967295
         * @return this builder
         */
        public B txQueueLength(long txQueueLength) {
            return txQueueLength(Long.valueOf(txQueueLength));
        }

        /**
         * Sets {@link Link#alias()}.
         *
         * @param alias the interface alias (IFLA_IFALIAS)
         * @return this builder
         */
        public B alias(String alias) {
            this.alias = alias;
            return self();
        }

        /**
         * Administrative state; null leaves it to the kernel (new links start down).
         *
         * @param up administrative state; null leaves it to the kernel (new links start down)
         * @return this builder
         */
        public B up(Boolean up) {
            this.up = up;
            return self();
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code L}
         */
        public abstract L build();

        /** Builds without validation: for what the kernel reports, which is true by definition. */
        abstract L create();

        /** Checks the shared fields; kinds call this first in build(). */
        void validateCommon() {
            LinkName.validate("name", name);
            if (master != null) {
                LinkName.validate("master", master);
                if (master.equals(name)) {
                    throw new IllegalArgumentException("master \"" + master + "\" is the link itself");
                }
            }
            if (mtu != null && (mtu < 68 || mtu > 65535)) {
                // 68 is IPv4's minimum (RFC 791); the largest any driver accepts is 65535 (IP_MAX_MTU is 0xFFFF).
                throw new IllegalArgumentException("mtu " + mtu + " out of range [68..65535]");
            }
            if (txQueueLength != null) {
                Attrs.requireU32("txQueueLength", txQueueLength);
            }
            if (group != null) {
                Attrs.requireU32("linkGroup", group);
            }
            if (alias != null) {
                Text.requireKernelString("alias", alias, 255, "IFALIASZ - 1");
            }
            if (address != null && address.isMulticast()) {
                throw new IllegalArgumentException("address " + address + " is a multicast MAC; a link needs a unicast one");
            }
        }

        static void range(String field, Integer v, long lo, long hi) {
            if (v != null && (v < lo || v > hi)) {
                throw new IllegalArgumentException(field + " " + v + " out of range [" + lo + ".." + hi + "]");
            }
        }
    }
}
