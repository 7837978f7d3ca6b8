package dev.overlaynet;

import java.util.EnumSet;
import java.util.Set;

/**
 * Neighbour and FDB entry flags (the kernel's NTF_* bits of {@code ndm_flags}).
 *
 * <pre>{@code
 * Neighbour proxy = Neighbour.proxy("br0", "10.233.0.50");            // NTF_PROXY
 * FdbEntry port = FdbEntry.builder().dev("veth0").mac(mac).flags(NeighbourFlag.MASTER).build();
 * }</pre>
 */
public enum NeighbourFlag {
    /** NTF_USE. */
    USE(0x01),
    /** NTF_SELF: the entry lives in the device itself (vxlan's own FDB). */
    SELF(0x02),
    /** NTF_MASTER: the entry lives in the master (bridge) of the device. */
    MASTER(0x04),
    /** NTF_PROXY: a proxy-ARP/NDP entry. */
    PROXY(0x08),
    /** NTF_EXT_LEARNED: learned by an external control plane. */
    EXT_LEARNED(0x10),
    /** NTF_OFFLOADED. */
    OFFLOADED(0x20),
    /** NTF_STICKY: bridge entry that never moves to another port. */
    STICKY(0x40),
    /** NTF_ROUTER: the neighbour is an IPv6 router. */
    ROUTER(0x80);

    private final int bit;

    NeighbourFlag(int bit) {
        this.bit = bit;
    }

    /** {@return the NTF_* bit} */
    public int bit() {
        return bit;
    }

    static int toBits(Set<NeighbourFlag> flags) {
        int v = 0;
        for (NeighbourFlag f : flags) {
            v |= f.bit;
        }
        return v;
    }

    /** Immutable sets for every combination of the 8 bits, shared: decoding allocates none. */
    private static final java.util.List<Set<NeighbourFlag>> BY_BITS = byBits();

    private static java.util.List<Set<NeighbourFlag>> byBits() {
        java.util.List<Set<NeighbourFlag>> all = new java.util.ArrayList<>(256);
        for (int bits = 0; bits < 256; bits++) {
            EnumSet<NeighbourFlag> s = EnumSet.noneOf(NeighbourFlag.class);
            for (NeighbourFlag n : values()) {
                if ((bits & n.bit) != 0) {
                    s.add(n);
                }
            }
            all.add(java.util.Collections.unmodifiableSet(s));
        }
        return java.util.List.copyOf(all);
    }

    /** The immutable set of the bits in {@code bits} (bits beyond the 8 defined are ignored). */
    static Set<NeighbourFlag> fromBits(int bits) {
        return BY_BITS.get(bits & 0xff);
    }

    /** The shared immutable set equal to {@code s}. */
    static Set<NeighbourFlag> canonical(Set<NeighbourFlag> s) {
        return fromBits(toBits(s));
    }
}
