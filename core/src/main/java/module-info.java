/**
 * overlaynet's typed API: the {@link dev.overlaynet.Netlink} handle and its services
 * (links, addresses, routes, neighbours, FDB, nftables NAT, sysctls), and the overlay
 * orchestration in {@code dev.overlaynet.overlay}.
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
}
