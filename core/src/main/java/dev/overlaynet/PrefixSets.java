package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefix lists as the contents of an nftables interval set. The kernel keeps
 * only merged ranges, so a list is canonicalised before it is compared or
 * sent: overlapping and adjacent prefixes are joined and each range is cut
 * into the fewest prefixes, in ascending order. The same list read back from
 * the kernel then equals the one that was written.
 */
final class PrefixSets {
    private PrefixSets() {}

    /** The fewest prefixes covering exactly the union of {@code prefixes}, ascending. */
    static List<IpPrefix> canonical(List<IpPrefix> prefixes) {
        List<NftIntervals.Range> ranges = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            ranges.add(NftIntervals.prefix(p.address(), p.length()));
        }
        return fromRanges(NftIntervals.merge(ranges));
    }

    /** The interval-set elements holding {@code prefixes}. */
    static List<NftSetElement> elements(List<IpPrefix> prefixes) {
        List<NftIntervals.Range> ranges = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            ranges.add(NftIntervals.prefix(p.address(), p.length()));
        }
        return NftIntervals.elements(ranges);
    }

    /** The prefixes held by interval-set elements as the kernel lists them. */
    static List<IpPrefix> fromElements(List<NftSetElement> elements, int keyLen) {
        return fromRanges(NftIntervals.ranges(elements, keyLen));
    }

    private static List<IpPrefix> fromRanges(List<NftIntervals.Range> ranges) {
        List<NftIntervals.KeyRange> keys = new ArrayList<>(ranges.size());
        for (NftIntervals.Range r : ranges) {
            keys.add(new NftIntervals.KeyRange(new BigInteger(1, r.first().getAddress()),
                    new BigInteger(1, r.last().getAddress())));
        }
        return ranges.isEmpty() ? List.of() : fromKeyRanges(keys, ranges.get(0).first().getAddress().length);
    }

    /** The fewest prefixes covering each address range, ascending; {@code keyLen} is 4 or 16. */
    static List<IpPrefix> fromKeyRanges(List<NftIntervals.KeyRange> ranges, int keyLen) {
        int bits = keyLen * 8;
        List<IpPrefix> out = new ArrayList<>();
        for (NftIntervals.KeyRange r : ranges) {
            BigInteger first = r.first();
            while (first.compareTo(r.last()) <= 0) {
                // The largest aligned block starting at first that does not pass last.
                int host = first.signum() == 0 ? bits : first.getLowestSetBit();
                while (host > 0 && first.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE).compareTo(r.last()) > 0) {
                    host--;
                }
                out.add(IpPrefix.of(address(NftIntervals.key(first, keyLen).bytes()), bits - host));
                first = first.add(BigInteger.ONE.shiftLeft(host));
            }
        }
        return List.copyOf(out);
    }

    /** An Inet6Address even for ::ffff:a.b.c.d, which Ip.of would turn into IPv4. */
    private static java.net.InetAddress address(byte[] b) {
        try {
            return b.length == 16 ? java.net.Inet6Address.getByAddress(null, b, null) : Ip.of(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
