package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The kind-specific attributes of one link (the payload of IFLA_INFO_DATA or
 * IFLA_INFO_SLAVE_DATA): values keyed by {@link AttrSpec}, only those that
 * were set, plus attributes the kind does not model, kept as raw bytes.
 * Immutable; {@link #with} returns a copy. Encoding follows the kind's
 * declaration order, so one table defines the wire layout.
 */
final class AttrValues {
    static final AttrValues EMPTY = new AttrValues(Map.of(), Map.of());

    private final Map<AttrSpec<?>, Object> values;
    private final Map<Integer, byte[]> unknown;

    private AttrValues(Map<AttrSpec<?>, Object> values, Map<Integer, byte[]> unknown) {
        this.values = values;
        this.unknown = unknown;
    }

    @SuppressWarnings("unchecked")
    <T> T get(AttrSpec<T> spec) {
        return (T) values.get(spec);
    }

    boolean isSet(AttrSpec<?> spec) {
        return values.containsKey(spec);
    }

    <T> AttrValues with(AttrSpec<T> spec, T value) {
        Map<AttrSpec<?>, Object> m = new HashMap<>(values);
        if (value == null) {
            m.remove(spec);
        } else {
            m.put(spec, value);
        }
        return new AttrValues(Collections.unmodifiableMap(m), unknown);
    }

    AttrValues withUnknown(Map<Integer, byte[]> raw) {
        Map<Integer, byte[]> u = new TreeMap<>();
        raw.forEach((k, v) -> u.put(k, v.clone()));
        return new AttrValues(values, Collections.unmodifiableMap(u));
    }

    Map<Integer, byte[]> unknown() {
        Map<Integer, byte[]> copy = new TreeMap<>();
        unknown.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    /** Writes the set values in {@code specs} order. Unknown attributes are not sent. */
    void encode(MessageWriter w, List<AttrSpec<?>> specs, NameResolver names) throws NetlinkException {
        for (AttrSpec<?> s : specs) {
            write(w, s, names);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void write(MessageWriter w, AttrSpec<T> s, NameResolver names) throws NetlinkException {
        Object v = values.get(s);
        if (v != null) {
            s.codec().write(w, s.type(), (T) v, names);
        }
    }

    /** Reads every attribute of {@code a}; types not in {@code specs} are kept raw. */
    static AttrValues decode(AttrReader a, List<AttrSpec<?>> specs, NameResolver names) {
        Map<Integer, AttrSpec<?>> byType = new HashMap<>();
        for (AttrSpec<?> s : specs) {
            byType.put(s.type(), s);
        }
        Map<AttrSpec<?>, Object> m = new HashMap<>();
        Map<Integer, byte[]> unknown = new TreeMap<>();
        while (a.next()) {
            AttrSpec<?> s = byType.get(a.type());
            Object v = s == null ? null : s.codec().read(a, names);
            if (v != null) {
                m.put(s, v);
            } else {
                unknown.put(a.type(), a.bytes());
            }
        }
        for (AttrSpec<?> s : specs) {
            if (s.absentIs() != null && !m.containsKey(s)) {
                m.put(s, s.absentIs());
            }
        }
        return new AttrValues(Collections.unmodifiableMap(m), Collections.unmodifiableMap(unknown));
    }

    /**
     * Fields set here whose value differs in {@code actual} (a decoded kernel
     * view, where absent flags read as false), in {@code specs} order.
     */
    List<AttrSpec<?>> differences(AttrValues actual, List<AttrSpec<?>> specs) {
        List<AttrSpec<?>> out = new ArrayList<>();
        for (AttrSpec<?> s : specs) {
            Object want = values.get(s);
            if (want == null) {
                continue;
            }
            Object have = actual.values.get(s);
            if (have == null && s.absentIs() != null) {
                have = s.absentIs();
            }
            if (have == null || !same(s, want, have)) {
                out.add(s);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> boolean same(AttrSpec<T> spec, Object want, Object have) {
        return spec.codec().same((T) want, (T) have);
    }

    /** Only the values of {@code fields}, for a changelink that sends nothing else. */
    AttrValues only(List<AttrSpec<?>> fields) {
        Map<AttrSpec<?>, Object> m = new HashMap<>();
        for (AttrSpec<?> s : fields) {
            if (values.containsKey(s)) {
                m.put(s, values.get(s));
            }
        }
        return new AttrValues(Collections.unmodifiableMap(m), Map.of());
    }

    void describe(StringBuilder sb, List<AttrSpec<?>> specs) {
        for (AttrSpec<?> s : specs) {
            Object v = values.get(s);
            if (v != null) {
                sb.append(", ").append(s.name()).append('=').append(v instanceof java.net.InetAddress ia
                        ? Ip.text(ia) : v);
            }
        }
        if (!unknown.isEmpty()) {
            sb.append(", unknown=").append(unknown.keySet());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AttrValues other) || !values.equals(other.values)
                || unknown.size() != other.unknown.size()) {
            return false;
        }
        for (Map.Entry<Integer, byte[]> e : unknown.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.unknown.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, unknown.keySet());
    }

    /** Ordered view for tests and toString. */
    Map<String, Object> asMap(List<AttrSpec<?>> specs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (AttrSpec<?> s : specs) {
            if (values.containsKey(s)) {
                m.put(s.name(), values.get(s));
            }
        }
        return m;
    }
}
