package dev.overlaynet;

import java.util.Objects;

/**
 * One change seen by a {@link Subscription}: an object {@link Type#ADDED},
 * {@link Type#CHANGED} or {@link Type#REMOVED}, carrying the same value type
 * that {@code list()} returns ({@link Link}, {@link Address}, {@link Route},
 * {@link Neighbour}, {@link FdbEntry}, {@link OwnedRule}); or {@link Type#SYNCED},
 * which marks the end of a snapshot or of a resync and carries its
 * {@link Resync} report.
 *
 * <p>Applying ADDED/CHANGED as "put by key" and REMOVED as "remove by key"
 * keeps an exact copy of the kernel's objects (those the subscription's
 * filters select), also across overflows: see {@link Monitor}.
 *
 * <pre>{@code
 * for (MonitorEvent e : subscription) {
 *     switch (e.type()) {
 *         case ADDED, CHANGED -> copy.put(key(e.value()), e.value());
 *         case REMOVED -> copy.remove(key(e.value()));
 *         case SYNCED -> log.info("exact again: {}", e.resync());
 *     }
 * }
 * }</pre>
 */
public final class MonitorEvent {
    /** What happened. */
    public enum Type {
        /** A new object (or, in a snapshot, an existing one). */
        ADDED,
        /** An object whose fields changed; {@link #previous()} holds the old value. */
        CHANGED,
        /** An object that is gone; {@link #value()} is its last known value. */
        REMOVED,
        /** A snapshot or resync is complete: the events before this one made the copy exact. */
        SYNCED
    }

    private final Type type;
    private final MonitorTopic topic;
    private final Object value;
    private final Object previous;
    private final Integer nsid;
    private final boolean synthetic;
    private final Resync resync;

    MonitorEvent(Type type, MonitorTopic topic, Object value, Object previous, Integer nsid, boolean synthetic,
                 Resync resync) {
        this.type = type;
        this.topic = topic;
        this.value = value;
        this.previous = previous;
        this.nsid = nsid;
        this.synthetic = synthetic;
        this.resync = resync;
    }

    static MonitorEvent synced(Resync r) {
        return new MonitorEvent(Type.SYNCED, null, null, null, null, true, r);
    }

    /** {@return what happened to the object} */
    public Type type() {
        return type;
    }

    /** {@return the kind of object; null for {@link Type#SYNCED}} */
    public MonitorTopic topic() {
        return topic;
    }

    /** {@return the object (for REMOVED its last value); null for {@link Type#SYNCED}} */
    public Object value() {
        return value;
    }

    /**
     * {@return the object as {@code type}, e.g. {@code e.value(Neighbour.class)}}
     *
     * @param <T> the object's type
     * @param type its class, e.g. {@code Link.class}
     */
    public <T> T value(Class<T> type) {
        return type.cast(value);
    }

    /** {@return for {@link Type#CHANGED}, the value before the change; otherwise null} */
    public Object previous() {
        return previous;
    }

    /**
     * The id of the namespace the event comes from, when the subscription
     * follows all namespaces and it is not the handle's own; null otherwise.
     *
     * @return the namespace id, or null
     */
    public Integer nsid() {
        return nsid;
    }

    /**
     * True when the event was computed by the subscription (a snapshot, a
     * resync difference, or the objects a removed or renamed link took with
     * it) rather than sent by the kernel as such.
     *
     * @return true for a computed event
     */
    public boolean synthetic() {
        return synthetic;
    }

    /** {@return for {@link Type#SYNCED}, the report; otherwise null} */
    public Resync resync() {
        return resync;
    }

    /** {@code ip monitor}-like text, e.g. {@code [NEIGH] 10.0.0.1 dev br0 lladdr ... PERMANENT}. */
    @Override
    public String toString() {
        if (type == Type.SYNCED) {
            return "[SYNCED] " + resync;
        }
        StringBuilder sb = new StringBuilder();
        if (nsid != null) {
            sb.append("[nsid ").append(nsid).append("] ");
        }
        sb.append('[').append(topic).append("] ");
        switch (type) {
            case REMOVED -> sb.append("Deleted ");
            case CHANGED -> sb.append("Changed ");
            default -> { }
        }
        return sb.append(value).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MonitorEvent e && type == e.type && topic == e.topic && Objects.equals(value, e.value)
                && Objects.equals(previous, e.previous) && Objects.equals(nsid, e.nsid) && synthetic == e.synthetic
                && Objects.equals(resync, e.resync);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, topic, value, nsid);
    }
}
