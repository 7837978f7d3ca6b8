package dev.overlaynet.internal;

import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.OwnedRule;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Objects;

/**
 * The raw sockets behind a {@link Netlink} handle and the raw nftables
 * expressions behind NAT rules, for overlaynet's own tests, tools and
 * benchmarks. Not API: the package is not exported, and the types it
 * returns live in the netlink module's internal packages.
 *
 * <p>The accessors are package-private so that the published signatures name
 * no internal type; {@code Netlink} installs the hooks here when its class is
 * initialised (the JDK's SharedSecrets idea), which happens before any handle
 * can be passed in, and which the NAT accessors force.
 *
 * <pre>{@code
 * NetlinkSocket s = RawAccess.socket(nl);
 * s.request(writer);
 * List<Expr> e = RawAccess.expressions(Nat.masquerade("10.233.0.0/16").build());
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

        /**
         * The expressions a typed rule sends.
         *
         * @param r the rule
         * @return its expressions, in order
         */
        List<Expr> expressions(NatRule r);

        /**
         * The expressions of a rule read back.
         *
         * @param r the rule
         * @return its expressions as decoded, in order
         */
        List<Expr> expressions(OwnedRule r);

        /**
         * A builder of a rule made of raw expressions.
         *
         * @param chain the chain the rule goes in
         * @param family {@code NFPROTO_IPV4} or {@code NFPROTO_IPV6}
         * @param expressions the rule's expressions, in order
         * @return the builder
         */
        NatRule.Builder rawRule(NatRule.Chain chain, int family, List<Expr> expressions);

        /**
         * A rule as if read back from the kernel.
         *
         * @param family the table's family
         * @param table the table's name
         * @param chain the chain's name
         * @param handle the kernel's rule handle
         * @param tag the comment, or null
         * @param expressions the expressions
         * @param rule the typed rule, or null
         * @return the rule
         */
        OwnedRule ownedRule(int family, String table, String chain, long handle, String tag,
                            List<Expr> expressions, NatRule rule);
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
        return hooks().socket(Objects.requireNonNull(nl, "nl"));
    }

    /**
     * A low-level nftables client on the NETLINK_NETFILTER socket of {@code nl}.
     *
     * @param nl the handle
     * @return the client
     * @throws NetlinkException if the socket cannot be opened
     */
    public static NftClient nftClient(Netlink nl) throws NetlinkException {
        return hooks().nftClient(Objects.requireNonNull(nl, "nl"));
    }

    /**
     * The nftables expressions a typed rule sends (in an {@code ip}/{@code ip6} table).
     *
     * @param r the rule
     * @return its expressions, in order
     */
    public static List<Expr> expressions(NatRule r) {
        return hooks().expressions(Objects.requireNonNull(r, "r"));
    }

    /**
     * The nftables expressions of a rule read back from the kernel.
     *
     * @param r the rule
     * @return its expressions as decoded, in order
     */
    public static List<Expr> expressions(OwnedRule r) {
        return hooks().expressions(Objects.requireNonNull(r, "r"));
    }

    /**
     * A rule of raw expressions in one of the library's chains (what {@code Nat.raw} was):
     * for tests that need a rule the typed factories do not make, e.g. one the kernel refuses.
     *
     * @param chain the chain the rule goes in
     * @param family {@code NFPROTO_IPV4} or {@code NFPROTO_IPV6}
     * @param expressions the rule's expressions, in order
     * @return a builder of the rule
     */
    public static NatRule.Builder rawRule(NatRule.Chain chain, int family, List<Expr> expressions) {
        return hooks().rawRule(chain, family, expressions);
    }

    /**
     * A rule as if read back from the kernel, e.g. a forged one that must not be removed.
     *
     * @param family the table's family
     * @param table the table's name
     * @param chain the chain's name
     * @param handle the kernel's rule handle
     * @param tag the comment, or null
     * @param expressions the expressions
     * @param rule the typed rule, or null
     * @return the rule
     */
    public static OwnedRule ownedRule(int family, String table, String chain, long handle, String tag,
                                      List<Expr> expressions, NatRule rule) {
        return hooks().ownedRule(family, table, chain, handle, tag, expressions, rule);
    }

    /** The hooks, initialising {@code Netlink} first if no handle was made yet. */
    private static Hooks hooks() {
        Hooks h = hooks;
        if (h == null) {
            try {
                MethodHandles.lookup().ensureInitialized(Netlink.class);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            h = hooks;
        }
        return h;
    }
}
