package dev.overlaynet.directory;

/**
 * Receives an overlay's desired state from {@link Directory#watch}: first the
 * whole view as listed, then a new view after every change, in revision order
 * (never decreasing; a re-list may repeat the revision last delivered).
 * Views are complete and immutable, so a listener converges to the latest one
 * and may skip intermediate ones; nothing is applied twice because nothing is
 * applied incrementally.
 *
 * <p>Called on the directory's event thread; it must return quickly (hand the
 * view to the thread that converges the kernel).
 *
 * <pre>{@code
 * directory.watch(view -> latest.set(view));
 * }</pre>
 */
@FunctionalInterface
public interface DirectoryListener {
    /**
     * The directory's content as of {@link DirectoryView#revision()}.
     *
     * @param view the whole current view, not a difference
     */
    void onView(DirectoryView view);

    /**
     * The watch had to list the directory again instead of resuming (after a
     * compaction of the revisions it missed, or a reconnect that could not
     * resume); the next {@link #onView} is that fresh list.
     *
     * @param reason why resuming was not possible
     */
    default void onRelist(String reason) {}
}
