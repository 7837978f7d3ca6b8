package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;

/**
 * Counts packets and bytes that reach it ({@code [ counter pkts 0 bytes 0 ]}).
 * A new counter is written without values (the kernel starts at zero); a
 * counter read back carries the current values, which
 * {@link #stateless()} drops for comparisons.
 *
 * <pre>{@code
 * Expr c = CounterExpr.zero();
 * }</pre>
 */
public record CounterExpr(long packets, long bytes) implements Expr {
    private static final CounterExpr ZERO = new CounterExpr(0, 0);

    public static CounterExpr zero() {
        return ZERO;
    }

    @Override
    public String kind() {
        return "counter";
    }

    @Override
    public void encodeData(MessageWriter w) {
        if (packets != 0 || bytes != 0) {
            w.be64(NfTablesUapi.NFTA_COUNTER_BYTES, bytes);
            w.be64(NfTablesUapi.NFTA_COUNTER_PACKETS, packets);
        }
    }

    @Override
    public Expr stateless() {
        return ZERO;
    }

    static Expr decode(AttrReader a) {
        long packets = 0, bytes = 0;
        while (a.next()) {
            if (a.type() == NfTablesUapi.NFTA_COUNTER_PACKETS) {
                packets = a.be64();
            } else if (a.type() == NfTablesUapi.NFTA_COUNTER_BYTES) {
                bytes = a.be64();
            }
        }
        return packets == 0 && bytes == 0 ? ZERO : new CounterExpr(packets, bytes);
    }

    @Override
    public String toString() {
        return "counter pkts " + packets + " bytes " + bytes;
    }
}
