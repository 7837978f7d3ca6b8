package dev.overlaynet.netlink;

/**
 * A task for {@link NetNs#run}: returns nothing and may throw one checked
 * exception type, which {@code run} passes through as that type.
 *
 * <pre>{@code
 * ns.run(() -> Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1")); // IOException
 * }</pre>
 *
 * @param <E> the checked exception the task may throw
 */
@FunctionalInterface
public interface NsRunnable<E extends Exception> {
    /**
     * Runs the task.
     *
     * @throws E the task's failure
     */
    void run() throws E;
}
