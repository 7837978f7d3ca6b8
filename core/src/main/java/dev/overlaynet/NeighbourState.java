package dev.overlaynet;

import java.util.EnumSet;
import java.util.Set;

/**
 * Neighbour cache states (the kernel's NUD_* bits); an entry's state is a
 * set of them, the empty set being NUD_NONE.
 *
 * <pre>{@code
 * Neighbour n = Neighbour.builder().dev("br0").ip("10.233.0.3").lladdr(mac).state(NeighbourState.REACHABLE).build();
 * }</pre>
 */
public enum NeighbourState {
    /** NUD_INCOMPLETE: resolution sent, no answer yet. */
    INCOMPLETE(0x01),
    /** NUD_REACHABLE: confirmed within the reachable time. */
    REACHABLE(0x02),
    /** NUD_STALE: still used, but confirmed too long ago; checked again on the next send. */
    STALE(0x04),
    /** NUD_DELAY: used while stale; waiting briefly for an upper layer to confirm it before probing. */
    DELAY(0x08),
    /** NUD_PROBE: being probed with unicast solicitations. */
    PROBE(0x10),
    /** NUD_FAILED: resolution failed. */
    FAILED(0x20),
    /** NUD_NOARP: valid without resolution. */
    NOARP(0x40),
    /** NUD_PERMANENT: static entry, never expires. */
    PERMANENT(0x80);

    private final int bit;

    NeighbourState(int bit) {
        this.bit = bit;
    }

    /** {@return the NUD_* bit} */
    public int bit() {
        return bit;
    }

    static int toBits(Set<NeighbourState> states) {
        int v = 0;
        for (NeighbourState s : states) {
            v |= s.bit;
        }
        return v;
    }

    /** Immutable sets for every combination of the 8 bits, shared: decoding allocates none. */
    private static final java.util.List<Set<NeighbourState>> BY_BITS = byBits();

    private static java.util.List<Set<NeighbourState>> byBits() {
        java.util.List<Set<NeighbourState>> all = new java.util.ArrayList<>(256);
        for (int bits = 0; bits < 256; bits++) {
            EnumSet<NeighbourState> s = EnumSet.noneOf(NeighbourState.class);
            for (NeighbourState n : values()) {
                if ((bits & n.bit) != 0) {
                    s.add(n);
                }
            }
            all.add(java.util.Collections.unmodifiableSet(s));
        }
        return java.util.List.copyOf(all);
    }

    /** The immutable set of the bits in {@code bits} (bits beyond the 8 defined are ignored). */
    static Set<NeighbourState> fromBits(int bits) {
        return BY_BITS.get(bits & 0xff);
    }

    /** The shared immutable set equal to {@code s}. */
    static Set<NeighbourState> canonical(Set<NeighbourState> s) {
        return fromBits(toBits(s));
    }
}
