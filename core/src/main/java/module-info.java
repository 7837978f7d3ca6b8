/**
 * overlaynet's typed API: the {@link dev.overlaynet.Netlink} handle and its services
 * (links, addresses, routes, neighbours, FDB, nftables NAT, sysctls, the event monitor),
 * the overlay orchestration in {@code dev.overlaynet.overlay}, the desired-state
 * directory SPI in {@code dev.overlaynet.directory} and the per-host agent in
 * {@code dev.overlaynet.agent}.
 */
@SuppressWarnings("requires-automatic") // jnr-constants ships no module-info
module dev.overlaynet.core {
    // The API names NetNs and NetlinkException: an application that requires core reads netlink too.
    requires transitive dev.overlaynet.netlink;
    // Logged through slf4j: without this an application on the module path does not resolve
    // org.slf4j and fails with NoClassDefFoundError: org/slf4j/LoggerFactory.
    requires org.slf4j;
    requires org.jnrproject.constants;

    exports dev.overlaynet;
    exports dev.overlaynet.overlay;
    // Many hosts: the directory SPI (implemented in-memory here and on etcd in overlaynet-etcd)
    // and the per-host agent.
    exports dev.overlaynet.directory;
    exports dev.overlaynet.agent;
}
