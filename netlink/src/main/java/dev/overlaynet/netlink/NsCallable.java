package dev.overlaynet.netlink;

/**
 * A task for {@link NetNs#call}: returns a value and may throw one checked
 * exception type, which {@code call} passes through as that type (a task
 * that throws nothing checked makes {@code call} throw only
 * {@link NetlinkException}).
 *
 * <pre>{@code
 * ServerSocket s = ns.call(() -> new ServerSocket(8080));   // throws IOException
 * int n = ns.call(() -> NetworkInterface.networkInterfaces().toList().size()); // SocketException
 * }</pre>
 *
 * @param <T> the result type
 * @param <E> the checked exception the task may throw
 */
@FunctionalInterface
public interface NsCallable<T, E extends Exception> {
    /**
     * Runs the task.
     *
     * @return the result
     * @throws E the task's failure
     */
    T call() throws E;
}
