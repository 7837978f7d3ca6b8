package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.Expr;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A rule found in the library's table: where it is, its kernel handle, its
 * tag (nft comment), the typed {@link NatRule} when its expressions are one of
 * the typed shapes (also for rules written by {@code nft -f}), and a readable
 * {@linkplain #description() description} of its expressions for diagnostics.
 * Immutable; read with {@link Nftables#rules()} or from the {@link Monitor}, and
 * removed exactly with {@link Nftables#remove(OwnedRule)}.
 *
 * <pre>{@code
 * for (OwnedRule r : nl.nftables().rules()) {
 *     log.info(r.handle() + " " + r.tag() + " "
 *             + r.natRule().map(NatRule::toString).orElse(r.description()));
 * }
 * }</pre>
 */
public final class OwnedRule {
    private final int family;
    private final String table;
    private final String chain;
    private final long handle;
    private final String tag;
    // Kept for Nftables#remove(OwnedRule), which removes the rule only while the kernel still
    // holds these expressions; the expression types are internal, so only the description is public.
    private final List<Expr> expressions;
    private final NatRule rule;

    /**
     * Made by the services that read rules back; users do not make their own.
     *
     * @param family the table's family, e.g. NFPROTO_IPV4
     * @param table the table's name
     * @param chain the chain's name
     * @param handle the kernel's rule handle
     * @param tag the overlaynet tag in the rule's comment, or null
     * @param expressions the rule's expressions as decoded (copied)
     * @param rule the typed rule, or null when the expressions are not one of the typed shapes
     */
    OwnedRule(int family, String table, String chain, long handle, String tag, List<Expr> expressions, NatRule rule) {
        this.family = family;
        this.table = table;
        this.chain = chain;
        this.handle = handle;
        this.tag = tag;
        this.expressions = List.copyOf(expressions);
        this.rule = rule;
    }

    /**
     * {@return the table's family: {@code NFPROTO_IPV4}, {@code NFPROTO_IPV6}, or {@code NFPROTO_INET}
     * (then {@link NatRule#family()} of the typed rule says which protocol)}
     */
    public int family() {
        return family;
    }

    /** {@return the owned table's name} */
    public String table() {
        return table;
    }

    /** {@return the chain's name} */
    public String chain() {
        return chain;
    }

    /** {@return the kernel handle, unique in the table} */
    public long handle() {
        return handle;
    }

    /** {@return the nft comment, or null} */
    public String tag() {
        return tag;
    }

    /** {@return the typed rule, or null when the expressions are not a typed shape} */
    public NatRule rule() {
        return rule;
    }

    /** {@return the typed rule, if the expressions are one of the typed shapes} */
    public Optional<NatRule> natRule() {
        return Optional.ofNullable(rule);
    }

    /**
     * The rule's expressions as the kernel holds them, one bracket each in the style of
     * {@code nft --debug=netlink}, for logs and diagnostics of rules that are not a typed shape;
     * the text is not a stable format to parse. Counter values are included as read.
     *
     * <pre>{@code
     * [ payload load 4b @ network header + 12 => reg 1 ] [ lookup reg 1 set __set0 ] [ masq ]
     * }</pre>
     *
     * @return the description
     */
    public String description() {
        return describe(expressions);
    }

    /** The expressions as decoded, for the services of this package and RawAccess. */
    List<Expr> expressions() {
        return expressions;
    }

    static String describe(List<Expr> expressions) {
        return expressions.stream().map(e -> "[ " + e + " ]").collect(Collectors.joining(" "));
    }

    /**
     * {@return whether this is {@code r} (same chain, expressions and tag; counters ignored)}
     *
     * @param r the typed rule
     */
    public boolean matches(NatRule r) {
        if (r.family() != family && family != Netfilter.NFPROTO_INET) {
            return false;
        }
        if (r.destinationSet()) {
            // The lookup names a set whose contents only the typed rule holds.
            return rule != null && rule.equals(r) && r.chain().chainName().equals(chain);
        }
        return r.chain().chainName().equals(chain) && Objects.equals(r.tag(), tag)
                && expressions.stream().map(Expr::stateless).toList().equals(r.expressionsIn(family));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OwnedRule r && family == r.family && handle == r.handle && Objects.equals(table, r.table)
                && Objects.equals(chain, r.chain) && Objects.equals(tag, r.tag) && expressions.equals(r.expressions)
                && Objects.equals(rule, r.rule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(family, table, chain, handle, tag, expressions, rule);
    }

    @Override
    public String toString() {
        return "OwnedRule[family=" + family + ", table=" + table + ", chain=" + chain + ", handle=" + handle
                + ", tag=" + tag + ", description=" + description() + ", rule=" + rule + "]";
    }
}
