package dev.overlaynet;

/**
 * The STP state of a bridge port or of one VLAN on it (BR_STATE_* of
 * {@code <linux/if_bridge.h>}): ordinals are the uapi values.
 *
 * <pre>{@code
 * BridgeVlanOptions.builder().dev("vb0").vid(10).state(StpState.FORWARDING).build();
 * }</pre>
 */
public enum StpState {
    /** BR_STATE_DISABLED (0). */
    DISABLED,
    /** BR_STATE_LISTENING (1). */
    LISTENING,
    /** BR_STATE_LEARNING (2). */
    LEARNING,
    /** BR_STATE_FORWARDING (3). */
    FORWARDING,
    /** BR_STATE_BLOCKING (4). */
    BLOCKING
}
