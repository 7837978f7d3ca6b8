package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.Expr;
import java.util.List;
import java.util.Optional;

/**
 * A rule found in the library's table: where it is, its kernel handle, its
 * tag (nft comment) and expressions, and the typed {@link NatRule} when its
 * expressions are one of the typed shapes (also for rules written by
 * {@code nft -f}).
 *
 * <pre>{@code
 * for (OwnedRule r : nl.nftables().rules()) {
 *     log.info(r.handle() + " " + r.tag() + " " + r.natRule().map(NatRule::kind).orElse(null));
 * }
 * }</pre>
 *
 * @param family the table's family: {@code NFPROTO_IPV4}, {@code NFPROTO_IPV6}, or {@code NFPROTO_INET}
 *               (then {@link NatRule#family()} of the typed rule says which protocol)
 * @param table  the owned table's name
 * @param chain  chain name
 * @param handle kernel handle, unique in the table
 * @param tag    the nft comment, or null
 * @param expressions the rule's expressions as read back
 * @param rule   the typed rule, or null when the expressions are not a typed shape
 */
public record OwnedRule(int family, String table, String chain, long handle, String tag, List<Expr> expressions,
                        NatRule rule) {
    /**
     * Copies the expressions.
     *
     * @param family the table's family, e.g. NFPROTO_IPV4
     * @param table the table's name
     * @param chain the chain's name
     * @param handle the kernel's rule handle
     * @param tag the overlaynet tag in the rule's comment
     * @param expressions the rule's expressions as decoded
     * @param rule the typed rule, or null when the expressions are not one of the typed shapes
     */
    public OwnedRule {
        expressions = List.copyOf(expressions);
    }

    /** {@return the typed rule, if the expressions are one of the typed shapes} */
    public Optional<NatRule> natRule() {
        return Optional.ofNullable(rule);
    }

    /**
     * {@return whether this is {@code r} (same chain, expressions and tag; counters ignored)}
     *
     * @param r the typed rule
     */
    public boolean matches(NatRule r) {
        if (r.family() != family && family != dev.overlaynet.netlink.internal.uapi.Netfilter.NFPROTO_INET) {
            return false;
        }
        if (r.destinationSet()) {
            // The lookup names a set whose contents only the typed rule holds.
            return rule != null && rule.equals(r) && r.chain().chainName().equals(chain);
        }
        return r.chain().chainName().equals(chain) && java.util.Objects.equals(r.tag(), tag)
                && expressions.stream().map(Expr::stateless).toList().equals(r.expressionsIn(family));
    }
}
