package dev.overlaynet;

import java.util.EnumSet;
import java.util.Set;

/**
 * Neighbour cache states (the kernel's NUD_* bits); an entry's state is a
 * set of them, the empty set being NUD_NONE.
 *
 * <pre>{@code
 * Neigh n = Neigh.builder().dev("br0").ip("10.233.0.3").lladdr(mac).state(NeighState.REACHABLE).build();
 * }</pre>
 */
public enum NeighState {
    INCOMPLETE(0x01), REACHABLE(0x02), STALE(0x04), DELAY(0x08), PROBE(0x10), FAILED(0x20),
    /** NUD_NOARP: valid without resolution. */
    NOARP(0x40),
    /** NUD_PERMANENT: static entry, never expires. */
    PERMANENT(0x80);

    private final int bit;

    NeighState(int bit) {
        this.bit = bit;
    }

    /** The NUD_* bit. */
    public int bit() {
        return bit;
    }

    static int toBits(Set<NeighState> states) {
        int v = 0;
        for (NeighState s : states) {
            v |= s.bit;
        }
        return v;
    }

    static Set<NeighState> fromBits(int bits) {
        EnumSet<NeighState> s = EnumSet.noneOf(NeighState.class);
        for (NeighState n : values()) {
            if ((bits & n.bit) != 0) {
                s.add(n);
            }
        }
        return s;
    }
}
