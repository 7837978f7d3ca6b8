package dev.overlaynet;

/**
 * The state of a forwarding database entry, with the meanings of
 * {@code bridge fdb add ... permanent|static|dynamic}.
 *
 * <pre>{@code
 * FdbEntry e = FdbEntry.builder().dev("veth0").mac(mac).flags(NeighbourFlag.MASTER).state(FdbEntryState.STATIC).build();
 * }</pre>
 */
public enum FdbEntryState {
    /** NUD_NOARP|NUD_PERMANENT on the wire: never ages out ("local" on a bridge). The default. */
    PERMANENT(Nud.NOARP | Nud.PERMANENT),
    /** NUD_NOARP|NUD_REACHABLE on the wire: does not age out, may be forwarded to. */
    STATIC(Nud.NOARP | Nud.REACHABLE),
    /** NUD_REACHABLE: ages out like a learned entry. */
    DYNAMIC(Nud.REACHABLE);

    private final int bits;

    FdbEntryState(int bits) {
        this.bits = bits;
    }

    /** {@return the ndm_state bits sent for this state (what iproute2's bridge sends)} */
    public int bits() {
        return bits;
    }

    /** Maps the kernel's reported ndm_state: PERMANENT bit, else NOARP (static), else dynamic. */
    static FdbEntryState fromBits(int state) {
        if ((state & Nud.PERMANENT) != 0) {
            return PERMANENT;
        }
        if ((state & Nud.NOARP) != 0) {
            return STATIC;
        }
        return DYNAMIC;
    }

    private static final class Nud {
        static final int REACHABLE = 0x02;
        static final int NOARP = 0x40;
        static final int PERMANENT = 0x80;
    }
}
