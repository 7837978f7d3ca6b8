package dev.overlaynet;

/**
 * How macvlan devices on one parent reach each other (enum macvlan_mode;
 * {@link #value()} is the uapi bit).
 *
 * <pre>{@code
 * Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.BRIDGE).build();
 * }</pre>
 */
public enum MacvlanMode {
    /** MACVLAN_MODE_PRIVATE: no traffic between macvlans of one parent. */
    PRIVATE(1),
    /** MACVLAN_MODE_VEPA: via the external switch. */
    VEPA(2),
    /** MACVLAN_MODE_BRIDGE: switched inside the parent. */
    BRIDGE(4),
    /** MACVLAN_MODE_PASSTHRU: one macvlan takes over the parent. */
    PASSTHRU(8),
    /** MACVLAN_MODE_SOURCE: by source MAC allow-list. */
    SOURCE(16);

    private final int value;

    MacvlanMode(int value) {
        this.value = value;
    }

    /** {@return the MACVLAN_MODE_* value} */
    public int value() {
        return value;
    }

    static MacvlanMode of(int v) {
        for (MacvlanMode m : values()) {
            if (m.value == v) {
                return m;
            }
        }
        return null;
    }
}
