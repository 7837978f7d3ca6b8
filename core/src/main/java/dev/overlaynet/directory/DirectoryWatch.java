package dev.overlaynet.directory;

/**
 * A running {@link Directory#watch}: resumes from the last revision it saw after
 * a disconnect and re-lists after a compaction, until closed.
 *
 * <pre>{@code
 * try (DirectoryWatch w = directory.watch(view -> agent.converge(view))) {
 *     ...
 * }
 * }</pre>
 */
public interface DirectoryWatch extends AutoCloseable {
    /** {@return the revision of the last view delivered, or 0 before the first} */
    long revision();

    /** {@return how many times the watch re-listed instead of resuming} */
    long relists();

    /** Stops delivery; no {@link DirectoryListener} call starts after this returns. */
    @Override
    void close();
}
