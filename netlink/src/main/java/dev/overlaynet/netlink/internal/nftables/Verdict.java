package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import java.util.Objects;

/**
 * A verdict ({@code NFTA_DATA_VERDICT}): a code such as {@code NF_ACCEPT},
 * {@code NF_DROP}, {@code NFT_RETURN}, or a jump/goto with its target chain.
 *
 * <pre>{@code
 * Expr accept = ImmediateExpr.verdict(Verdict.ACCEPT);
 * Expr jump = ImmediateExpr.verdict(Verdict.jump("overlay-nat"));
 * }</pre>
 *
 * @param code  the verdict code as the kernel defines it (negative for NFT_*)
 * @param chain target chain for {@code NFT_JUMP}/{@code NFT_GOTO}, else null
 */
public record Verdict(int code, String chain) {
    public static final Verdict ACCEPT = new Verdict(Netfilter.NF_ACCEPT, null);
    public static final Verdict DROP = new Verdict(Netfilter.NF_DROP, null);
    public static final Verdict RETURN = new Verdict(NfTablesUapi.NFT_RETURN, null);
    public static final Verdict CONTINUE = new Verdict(NfTablesUapi.NFT_CONTINUE, null);

    public Verdict {
        boolean needsChain = code == NfTablesUapi.NFT_JUMP || code == NfTablesUapi.NFT_GOTO;
        if (needsChain != (chain != null)) {
            throw new IllegalArgumentException(needsChain ? "verdict " + code + " needs a chain"
                    : "verdict " + code + " takes no chain");
        }
    }

    public static Verdict jump(String chain) {
        return new Verdict(NfTablesUapi.NFT_JUMP, Objects.requireNonNull(chain, "chain"));
    }

    public static Verdict goTo(String chain) {
        return new Verdict(NfTablesUapi.NFT_GOTO, Objects.requireNonNull(chain, "chain"));
    }

    @Override
    public String toString() {
        switch (code) {
            case Netfilter.NF_ACCEPT: return "accept";
            case Netfilter.NF_DROP: return "drop";
            case NfTablesUapi.NFT_RETURN: return "return";
            case NfTablesUapi.NFT_CONTINUE: return "continue";
            case NfTablesUapi.NFT_JUMP: return "jump " + chain;
            case NfTablesUapi.NFT_GOTO: return "goto " + chain;
            default: return "verdict " + code;
        }
    }
}
