package dev.overlaynet.netlink;

import java.io.IOException;

/**
 * A kernel a handle can talk to in place of a real network namespace: it
 * opens a {@link NetlinkTransport} per protocol and reads and writes the
 * namespace's sysctls (procfs files, not netlink, but kernel state all the
 * same). A test kit's fake kernel implements it, so that code using the typed
 * API can be tested without root; the real kernel is reached through
 * {@link NetNs} and native sockets instead.
 *
 * <pre>{@code
 * KernelEndpoint kernel = new FakeKernel();        // e.g. from overlaynet-testkit
 * try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
 *     nl.links().ensure(Bridge.builder().name("br0").build());
 * }
 * }</pre>
 */
public interface KernelEndpoint {
    /**
     * A new transport of {@code protocol}; the socket built on it owns and closes it.
     *
     * @param protocol the netlink protocol the transport speaks
     * @return a new transport, open
     * @throws NetlinkException if it cannot be opened
     */
    NetlinkTransport open(NetlinkProtocol protocol) throws NetlinkException;

    /**
     * Reads sysctl {@code key}.
     *
     * @param key dotted, e.g. {@code net.ipv4.ip_forward}
     * @return the value, trimmed
     * @throws IOException if there is no such sysctl or it cannot be read
     */
    String sysctl(String key) throws IOException;

    /**
     * Writes sysctl {@code key}.
     *
     * @param key dotted, e.g. {@code net.ipv4.ip_forward}
     * @param value the new value
     * @throws IOException if there is no such sysctl or it cannot be written
     */
    void sysctl(String key, String value) throws IOException;
}
