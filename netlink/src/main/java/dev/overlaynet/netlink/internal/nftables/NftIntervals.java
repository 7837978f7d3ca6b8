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

    /**
     * Keys {@code first} to {@code last}, both included, as unsigned numbers
     * (the big-endian value of a key's bytes): the form every interval set
     * shares, whatever its key (addresses, ports).
     */
    public record KeyRange(BigInteger first, BigInteger last) {
        public KeyRange {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
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
        if (ranges.isEmpty()) {
            return List.of();
        }
        int n = ranges.get(0).bytes();
        List<KeyRange> keys = new ArrayList<>(ranges.size());
        for (Range r : ranges) {
            if (r.bytes() != n) {
                throw new IllegalArgumentException("ranges mix IPv4 and IPv6: " + ranges.get(0) + ", " + r);
            }
            keys.add(new KeyRange(num(r.first()), num(r.last())));
        }
        return toRanges(mergeKeys(keys), n);
    }

    /** Sorted, with overlapping and adjacent key ranges joined. */
    public static List<KeyRange> mergeKeys(List<KeyRange> ranges) {
        List<KeyRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(KeyRange::first));
        List<KeyRange> out = new ArrayList<>();
        for (KeyRange r : sorted) {
            KeyRange last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r.first().compareTo(last.last().add(BigInteger.ONE)) <= 0) {
                out.set(out.size() - 1, new KeyRange(last.first(), last.last().max(r.last())));
            } else {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }

    /** The set elements for {@code ranges} (merged first), in ascending key order. */
    public static List<NftSetElement> elements(List<Range> ranges) {
        List<Range> merged = merge(ranges);
        if (merged.isEmpty()) {
            return List.of();
        }
        List<KeyRange> keys = new ArrayList<>(merged.size());
        for (Range r : merged) {
            keys.add(new KeyRange(num(r.first()), num(r.last())));
        }
        List<NftSetElement> out = new ArrayList<>();
        boundaries(keys, merged.get(0).bytes()).forEach(out::addAll);
        return List.copyOf(out);
    }

    /**
     * The elements of merged key ranges, grouped as nft writes and deletes
     * them: a lone closing element at key 0 when the first range does not
     * start there, then per range its opening element and, unless it runs to
     * the last key, its closing one.
     */
    public static List<List<NftSetElement>> boundaries(List<KeyRange> merged, int keyLen) {
        List<List<NftSetElement>> out = new ArrayList<>();
        BigInteger max = BigInteger.ONE.shiftLeft(keyLen * 8).subtract(BigInteger.ONE);
        if (!merged.isEmpty() && merged.get(0).first().signum() != 0) {
            out.add(List.of(NftSetElement.end(key(BigInteger.ZERO, keyLen))));
        }
        for (KeyRange r : merged) {
            NftSetElement open = NftSetElement.of(key(r.first(), keyLen));
            out.add(r.last().equals(max) ? List.of(open)
                    : List.of(open, NftSetElement.end(key(r.last().add(BigInteger.ONE), keyLen))));
        }
        return out;
    }

    /**
     * The ranges held by interval set elements as the kernel lists them (in
     * any order); {@code keyLen} is 4 or 16.
     */
    public static List<Range> ranges(List<NftSetElement> elements, int keyLen) {
        if (keyLen != 4 && keyLen != 16) {
            throw new IllegalArgumentException("keyLen " + keyLen + " is not an address length (4 or 16)");
        }
        return toRanges(keyRanges(elements, keyLen), keyLen);
    }

    /**
     * The key ranges held by interval set elements as the kernel lists them
     * (in any order), merged; every key must be {@code keyLen} bytes.
     */
    public static List<KeyRange> keyRanges(List<NftSetElement> elements, int keyLen) {
        List<KeyRange> out = new ArrayList<>();
        BigInteger open = null;
        for (NftSetElement e : sortedByKey(elements)) {
            byte[] k = e.key().bytes();
            if (k.length != keyLen) {
                throw new IllegalArgumentException("set element key of " + k.length + " bytes, expected " + keyLen);
            }
            BigInteger key = new BigInteger(1, k);
            if (e.isIntervalEnd()) {
                if (open != null && key.signum() > 0) {
                    out.add(new KeyRange(open, key.subtract(BigInteger.ONE)));
                }
                open = null;
            } else if (open == null) {
                open = key;
            }
        }
        if (open != null) {
            out.add(new KeyRange(open, BigInteger.ONE.shiftLeft(keyLen * 8).subtract(BigInteger.ONE)));
        }
        return mergeKeys(out);
    }

    /** Ascending keys; where a range ends at the key the next one starts, the end comes first. */
    public static List<NftSetElement> sortedByKey(List<NftSetElement> elements) {
        List<NftSetElement> sorted = new ArrayList<>(elements);
        sorted.sort(Comparator.<NftSetElement, BigInteger>comparing(e -> new BigInteger(1, e.key().bytes()))
                .thenComparing(e -> e.isIntervalEnd() ? 0 : 1));
        return sorted;
    }

    /** {@code v} as a key of {@code n} bytes (big-endian, unsigned). */
    public static DataValue key(BigInteger v, int n) {
        return DataValue.of(bytes(v, n));
    }

    private static List<Range> toRanges(List<KeyRange> keys, int n) {
        List<Range> out = new ArrayList<>(keys.size());
        for (KeyRange k : keys) {
            out.add(new Range(addr(k.first(), n), addr(k.last(), n)));
        }
        return List.copyOf(out);
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
