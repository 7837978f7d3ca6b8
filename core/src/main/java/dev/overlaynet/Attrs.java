package dev.overlaynet;

import dev.overlaynet.netlink.codec.AttrReader;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Small helpers shared by the address, route, neighbour and FDB value classes and codecs. */
final class Attrs {
    private Attrs() {}

    /** Collects an attribute the codec does not model, keeping its raw payload. */
    static Map<Integer, byte[]> keep(Map<Integer, byte[]> unknown, AttrReader a) {
        return keep(unknown, a, 64);
    }

    /**
     * As {@link #keep(Map, AttrReader)}; a new accumulator gets {@code capacity}
     * bytes at once (e.g. the message length: link messages carry kilobytes of
     * attributes we do not model, and growing by doubling would copy them repeatedly).
     */
    static Map<Integer, byte[]> keep(Map<Integer, byte[]> unknown, AttrReader a, int capacity) {
        if (unknown == null || unknown instanceof UnknownAttributes.Acc) {
            return UnknownAttributes.keep((UnknownAttributes.Acc) unknown, a, capacity);
        }
        unknown.put(a.type(), a.bytes());
        return unknown;
    }

    static Map<Integer, byte[]> freeze(Map<Integer, byte[]> unknown) {
        if (unknown == null || unknown.isEmpty()) {
            return Map.of();
        }
        if (unknown instanceof UnknownAttributes.Acc acc) {
            return acc.freeze();
        }
        if (unknown instanceof UnknownAttributes u) {
            return u;
        }
        return Collections.unmodifiableMap(new TreeMap<>(unknown));
    }

    static void requireFamily(String field, InetAddress a, boolean v4, String other) {
        if (a != null && Ip.isV4(a) != v4) {
            throw new IllegalArgumentException(field + " " + Ip.text(a) + " is " + (Ip.isV4(a) ? "IPv4" : "IPv6")
                    + " but " + other + " is " + (v4 ? "IPv4" : "IPv6"));
        }
    }

    static long requireU32(String field, long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(field + " " + v + " out of range [0..4294967295]");
        }
        return v;
    }

    /**
     * {@code values} as an EnumSet; a null array or a null element is refused
     * naming {@code field}, not left to a bare NullPointerException.
     */
    @SafeVarargs
    static <E extends Enum<E>> java.util.EnumSet<E> enumSet(String field, Class<E> type, E... values) {
        if (values == null) {
            throw new IllegalArgumentException(field + " must not be null (pass no values for none)");
        }
        return enumSet(field, type, java.util.Arrays.asList(values));
    }

    /** As {@link #enumSet(String, Class, Enum[])} for a collection. */
    static <E extends Enum<E>> java.util.EnumSet<E> enumSet(String field, Class<E> type, java.util.Collection<E> values) {
        if (values == null) {
            throw new IllegalArgumentException(field + " must not be null (pass an empty set for none)");
        }
        java.util.EnumSet<E> out = java.util.EnumSet.noneOf(type);
        for (E e : values) {
            if (e == null) {
                throw new IllegalArgumentException(field + " must not contain null");
            }
            out.add(e);
        }
        return out;
    }
}
