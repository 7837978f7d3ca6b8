package dev.overlaynet.netlink.internal.nftables;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Address ranges as the elements of an nftables interval set, and back.
 *
 * <p>The kernel keeps an interval set as sorted boundaries: an element opens
 * a range at its key, and an element flagged {@code NFT_SET_ELEM_INTERVAL_END}
 * closes it at its key, the first address after the range. As nft does, a
 * closing element at address 0 comes first when the first range does not
 * start there, and a range that runs to the last address has no closing
 * element. Overlapping and adjacent ranges are merged first (the kernel
 * refuses overlaps).
 *
 * <pre>{@code
 * List<NftSetElement> e = NftIntervals.elements(List.of(
 *     NftIntervals.prefix(InetAddress.getByName("10.0.0.0"), 8),
 *     NftIntervals.prefix(InetAddress.getByName("192.168.0.0"), 16)));
 * // 0.0.0.0 [end], 10.0.0.0, 11.0.0.0 [end], 192.168.0.0, 192.169.0.0 [end]
 * List<NftIntervals.Range> back = NftIntervals.ranges(e, 4);
 * }</pre>
 */
public final class NftIntervals {
    private NftIntervals() {}

    /** Addresses {@code first} to {@code last}, both included, of one family. */
    public record Range(InetAddress first, InetAddress last) {
        public Range {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
            if (first.getAddress().length != last.getAddress().length) {
                throw new IllegalArgumentException("range " + first.getHostAddress() + "-" + last.getHostAddress()
                        + " mixes IPv4 and IPv6");
            }
            if (num(first).compareTo(num(last)) > 0) {
                throw new IllegalArgumentException("range " + first.getHostAddress() + "-" + last.getHostAddress()
                        + " ends before it starts");
            }
        }

        int bytes() {
            return first.getAddress().length;
        }

        @Override
        public String toString() {
            return first.getHostAddress() + "-" + last.getHostAddress();
        }
    }

    /** The addresses of {@code address/length}; host bits of {@code address} are ignored. */
    public static Range prefix(InetAddress address, int length) {
        int bits = address.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length " + length + " out of range [0.." + bits + "]");
        }
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - length).subtract(BigInteger.ONE);
        BigInteger first = num(address).andNot(hostMask);
        int n = address.getAddress().length;
        return new Range(addr(first, n), addr(first.or(hostMask), n));
    }

    /** Sorted, with overlapping and adjacent ranges joined. */
    public static List<Range> merge(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        if (sorted.isEmpty()) {
            return List.of();
        }
        int n = sorted.get(0).bytes();
        for (Range r : sorted) {
            if (r.bytes() != n) {
                throw new IllegalArgumentException("ranges mix IPv4 and IPv6: " + sorted.get(0) + ", " + r);
            }
        }
        sorted.sort(Comparator.comparing(r -> num(r.first())));
        List<Range> out = new ArrayList<>();
        BigInteger curFirst = num(sorted.get(0).first());
        BigInteger curLast = num(sorted.get(0).last());
        for (Range r : sorted.subList(1, sorted.size())) {
            BigInteger f = num(r.first());
            BigInteger l = num(r.last());
            if (f.compareTo(curLast.add(BigInteger.ONE)) <= 0) {
                curLast = curLast.max(l);
            } else {
                out.add(new Range(addr(curFirst, n), addr(curLast, n)));
                curFirst = f;
                curLast = l;
            }
        }
        out.add(new Range(addr(curFirst, n), addr(curLast, n)));
        return List.copyOf(out);
    }

    /** The set elements for {@code ranges} (merged first), in ascending key order. */
    public static List<NftSetElement> elements(List<Range> ranges) {
        List<Range> merged = merge(ranges);
        List<NftSetElement> out = new ArrayList<>();
        if (merged.isEmpty()) {
            return out;
        }
        int n = merged.get(0).bytes();
        BigInteger max = BigInteger.ONE.shiftLeft(n * 8).subtract(BigInteger.ONE);
        if (num(merged.get(0).first()).signum() != 0) {
            out.add(NftSetElement.end(DataValue.of(new byte[n])));
        }
        for (Range r : merged) {
            out.add(NftSetElement.of(DataValue.of(r.first().getAddress())));
            BigInteger last = num(r.last());
            if (!last.equals(max)) {
                out.add(NftSetElement.end(DataValue.of(bytes(last.add(BigInteger.ONE), n))));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The ranges held by interval set elements as the kernel lists them (in
     * any order); {@code keyLen} is 4 or 16.
     */
    public static List<Range> ranges(List<NftSetElement> elements, int keyLen) {
        if (keyLen != 4 && keyLen != 16) {
            throw new IllegalArgumentException("keyLen " + keyLen + " is not an address length (4 or 16)");
        }
        List<NftSetElement> sorted = new ArrayList<>(elements);
        // Ascending keys; where a range ends at the key the next one starts, the end comes first.
        sorted.sort(Comparator.<NftSetElement, BigInteger>comparing(e -> new BigInteger(1, e.key().bytes()))
                .thenComparing(e -> e.isIntervalEnd() ? 0 : 1));
        List<Range> out = new ArrayList<>();
        BigInteger open = null;
        for (NftSetElement e : sorted) {
            byte[] k = e.key().bytes();
            if (k.length != keyLen) {
                throw new IllegalArgumentException("set element key of " + k.length + " bytes, expected " + keyLen);
            }
            BigInteger key = new BigInteger(1, k);
            if (e.isIntervalEnd()) {
                if (open != null && key.signum() > 0) {
                    out.add(new Range(addr(open, keyLen), addr(key.subtract(BigInteger.ONE), keyLen)));
                }
                open = null;
            } else if (open == null) {
                open = key;
            }
        }
        if (open != null) {
            out.add(new Range(addr(open, keyLen), addr(BigInteger.ONE.shiftLeft(keyLen * 8).subtract(BigInteger.ONE), keyLen)));
        }
        return merge(out);
    }

    private static BigInteger num(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    private static byte[] bytes(BigInteger v, int n) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(raw.length, n);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return out;
    }

    private static InetAddress addr(BigInteger v, int n) {
        try {
            // Inet6Address even for ::ffff:a.b.c.d, which getByAddress would turn into an IPv4 address.
            return n == 16 ? Inet6Address.getByAddress(null, bytes(v, n), null) : InetAddress.getByAddress(bytes(v, n));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
