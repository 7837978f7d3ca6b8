package dev.overlaynet.directory;

/**
 * A directory operation that did not happen: the store is unreachable or
 * timed out, a compare-and-swap lost more often than it may retry, the overlay
 * has no spec yet, or a record conflicts with one another host owns.
 *
 * <pre>{@code
 * try {
 *     InetAddress ip = directory.allocate("h1");
 * } catch (DirectoryException e) {
 *     log.warn("no address for a new container: {}", e.getMessage());
 * }
 * }</pre>
 */
public class DirectoryException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A failure described by {@code message}.
     *
     * @param message what went wrong
     */
    public DirectoryException(String message) {
        super(message);
    }

    /**
     * A failure of the store, with its cause.
     *
     * @param message what went wrong
     * @param cause the store's exception
     */
    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
