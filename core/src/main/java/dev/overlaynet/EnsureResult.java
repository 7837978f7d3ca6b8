package dev.overlaynet;

/**
 * What {@link Links#ensure(Link)} did.
 *
 * <pre>{@code
 * if (nl.links().ensure(vx) == EnsureResult.UNCHANGED) { log.debug("vxlan0 already as wanted"); }
 * }</pre>
 */
public enum EnsureResult {
    /** The link did not exist and was added. */
    CREATED,
    /** The link existed with every requested field already as asked; nothing was sent. */
    UNCHANGED,
    /** Changeable fields differed and were changed in place (same ifindex). */
    CHANGED,
    /** A field the kernel can not change differed; the link was deleted and added again. */
    RECREATED
}
