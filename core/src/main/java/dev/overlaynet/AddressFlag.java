package dev.overlaynet;

import java.util.EnumSet;
import java.util.Set;

/**
 * Interface address flags (the kernel's IFA_F_*). Some are set by callers
 * ({@link #NODAD}, {@link #NOPREFIXROUTE}, ...), others only reported by
 * the kernel ({@link #PERMANENT}, {@link #TENTATIVE}, ...).
 *
 * <pre>{@code
 * Address a = Address.builder().link("br0").prefix("fd00::1/64").flags(AddressFlag.NODAD).build();
 * }</pre>
 */
public enum AddressFlag {
    /** IFA_F_SECONDARY (IFA_F_TEMPORARY for IPv6). */
    SECONDARY(0x01),
    /** IFA_F_NODAD: skip duplicate address detection (IPv6). */
    NODAD(0x02),
    /** IFA_F_OPTIMISTIC. */
    OPTIMISTIC(0x04),
    /** IFA_F_DADFAILED. */
    DADFAILED(0x08),
    /** IFA_F_HOMEADDRESS. */
    HOMEADDRESS(0x10),
    /** IFA_F_DEPRECATED. */
    DEPRECATED(0x20),
    /** IFA_F_TENTATIVE. */
    TENTATIVE(0x40),
    /** IFA_F_PERMANENT: no lifetime (reported by the kernel). */
    PERMANENT(0x80),
    /** IFA_F_MANAGETEMPADDR. */
    MANAGETEMPADDR(0x100),
    /** IFA_F_NOPREFIXROUTE: do not add the prefix route. */
    NOPREFIXROUTE(0x200),
    /** IFA_F_MCAUTOJOIN. */
    MCAUTOJOIN(0x400),
    /** IFA_F_STABLE_PRIVACY. */
    STABLE_PRIVACY(0x800);

    private final int bit;

    AddressFlag(int bit) {
        this.bit = bit;
    }

    /** {@return the IFA_F_* bit} */
    public int bit() {
        return bit;
    }

    static int toBits(Set<AddressFlag> flags) {
        int v = 0;
        for (AddressFlag f : flags) {
            v |= f.bit;
        }
        return v;
    }

    static Set<AddressFlag> fromBits(int bits) {
        EnumSet<AddressFlag> s = EnumSet.noneOf(AddressFlag.class);
        for (AddressFlag f : values()) {
            if ((bits & f.bit) != 0) {
                s.add(f);
            }
        }
        return s;
    }
}
