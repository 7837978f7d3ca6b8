package dev.overlaynet.internal;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import java.util.Objects;

/**
 * The raw sockets behind a {@link Netlink} handle, for overlaynet's own tests,
 * tools and benchmarks. Not API: the package is not exported, and the types it
 * returns live in the netlink module's internal packages.
 *
 * <p>The handle's accessors are package-private so that the published
 * signatures name no internal type; {@code Netlink} installs the hooks here
 * when its class is initialised (the JDK's SharedSecrets idea), which happens
 * before any handle can be passed in.
 *
 * <pre>{@code
 * NetlinkSocket s = RawAccess.socket(nl);
 * s.request(writer);
 * }</pre>
 */
public final class RawAccess {
    /** What {@code Netlink} hands over. */
    public interface Hooks {
        /**
         * The handle's rtnetlink socket.
         *
         * @param nl the handle
         * @return its socket
         */
        NetlinkSocket socket(Netlink nl);

        /**
         * A client on the handle's NETLINK_NETFILTER socket (opened on first use).
         *
         * @param nl the handle
         * @return the client
         * @throws NetlinkException if the socket cannot be opened
         */
        NftClient nftClient(Netlink nl) throws NetlinkException;
    }

    private static volatile Hooks hooks;

    private RawAccess() {}

    /**
     * Called once, by {@code Netlink}'s static initialiser.
     *
     * @param h the hooks
     * @throws IllegalStateException if already installed
     */
    public static synchronized void install(Hooks h) {
        if (hooks != null) {
            throw new IllegalStateException("RawAccess hooks already installed");
        }
        hooks = Objects.requireNonNull(h, "hooks");
    }

    /**
     * The rtnetlink socket of {@code nl}, for requests the typed API does not cover.
     *
     * @param nl the handle
     * @return its socket, closed with the handle
     */
    public static NetlinkSocket socket(Netlink nl) {
        return hooks.socket(Objects.requireNonNull(nl, "nl"));
    }

    /**
     * A low-level nftables client on the NETLINK_NETFILTER socket of {@code nl}.
     *
     * @param nl the handle
     * @return the client
     * @throws NetlinkException if the socket cannot be opened
     */
    public static NftClient nftClient(Netlink nl) throws NetlinkException {
        return hooks.nftClient(Objects.requireNonNull(nl, "nl"));
    }
}
