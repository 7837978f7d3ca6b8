package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.Expr;
import java.util.List;
import java.util.Objects;

/**
 * Factories for NAT rules: masquerade, SNAT and DNAT port forwards. Apply them with
 * {@link Nftables#apply(NatRule...)}; they live in a table the library owns
 * ({@code ip overlaynet} by default).
 *
 * <pre>{@code
 * try (Netlink nl = Netlink.open(hostNs)) {
 *     nl.sysctls().ipForward(true);
 *     nl.nftables().apply(
 *         Nat.masquerade("10.233.0.0/16").tag("overlay-42").build(),
 *         Nat.portForward(NatRule.Protocol.TCP, 8080, "10.233.0.2", 80).tag("web").build());
 * }
 * }</pre>
 */
public final class Nat {
    private Nat() {}

    /**
     * {@code ip saddr CIDR ip daddr != CIDR masquerade} in the postrouting
     * chain: traffic leaving the source prefix for anywhere else gets the
     * outgoing interface's address. Change the exclusions with
     * {@link NatRule.Builder#excludeDestinations(String...)}.
     *
     * @param sourceCidr the containers' prefix, e.g. {@code 10.233.0.0/16}
     * @return a builder of the rule
     */
    public static NatRule.Builder masquerade(String sourceCidr) {
        return new NatRule.Builder(NatRule.Kind.MASQUERADE, NatRule.Chain.POSTROUTING).source(sourceCidr);
    }

    /**
     * {@code ip saddr CIDR ip daddr != CIDR snat to ADDRESS}: like masquerade,
     * but to a fixed address.
     *
     * @param sourceCidr the containers' prefix, e.g. {@code 10.233.0.0/16}
     * @param toAddress the source address to write, of the same family
     * @return a builder of the rule
     */
    public static NatRule.Builder snat(String sourceCidr, String toAddress) {
        return new NatRule.Builder(NatRule.Kind.SNAT, NatRule.Chain.POSTROUTING).source(sourceCidr)
                .toAddress("toAddress", toAddress);
    }

    /**
     * A port forward, {@code fib daddr type local tcp dport HOSTPORT dnat to
     * ADDRESS:PORT} in the prerouting chain; restrict it to one host address
     * with {@link NatRule.Builder#hostAddress(String)}, or make the output-chain
     * twin for locally generated traffic with {@link NatRule.Builder#fromLocalHost()}.
     *
     * @param protocol TCP or UDP
     * @param hostPort the destination port matched on the host, 1..65535
     * @param toAddress the container's address
     * @param toPort the container's port, 1..65535
     * @return a builder of the rule
     */
    public static NatRule.Builder portForward(NatRule.Protocol protocol, int hostPort, String toAddress, int toPort) {
        Objects.requireNonNull(protocol, "protocol");
        return new NatRule.Builder(NatRule.Kind.DNAT, NatRule.Chain.PREROUTING).forward(protocol, hostPort, toPort)
                .toAddress("toAddress", toAddress);
    }

    /**
     * Raw nftables expressions in one of the library's chains. Not API (the expression types
     * are internal): for overlaynet's own tests and tools, which reach it through
     * {@code RawAccess}. {@code family} is {@code NFPROTO_IPV4} or {@code NFPROTO_IPV6}.
     */
    static NatRule.Builder raw(NatRule.Chain chain, int family, List<Expr> expressions) {
        return new NatRule.Builder(NatRule.Kind.RAW, chain).raw(family, expressions);
    }
}
