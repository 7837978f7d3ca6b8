package dev.overlaynet;

/**
 * Whether {@link Links#ensure(Link, Recreate)} may delete and re-add a link
 * whose unchangeable fields (a vxlan's VNI or port, a link's kind, a veth's
 * peer...) differ. Recreating drops the link's addresses, routes, FDB and
 * neighbour entries and gives it a new ifindex, so it is opt-in.
 *
 * <pre>{@code
 * nl.links().ensure(vx.toBuilder().vni(43).build(), Recreate.ALLOWED); // RECREATED
 * }</pre>
 */
public enum Recreate {
    /** Fail with an IllegalStateException naming the fields (the default). */
    FORBIDDEN,
    /** Delete and add again. */
    ALLOWED
}
