package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.NftIntervals;
import dev.overlaynet.netlink.internal.nftables.NftIntervals.KeyRange;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The contents of a named set as kernel elements, and back, for any key
 * length (addresses and ports alike), and the element changes that turn one
 * content into another.
 *
 * <p>An interval set is kept in the kernel as boundaries: an element opens a
 * range at its key, one flagged {@code NFT_SET_ELEM_INTERVAL_END} closes it
 * at the first key after it; a range that runs to the last key has no closing
 * element, and nft adds a lone closing element at key 0 when the first range
 * does not start there. Changes are made unit by unit (a range's opening and
 * closing element, or that lone element), so a range already in the kernel
 * is left alone and any other is deleted or added whole.
 */
final class SetContents {
    private SetContents() {}

    /** Elements that are added or deleted together. */
    record Unit(List<NftSetElement> elements) {}

    /** The element changes: first delete, then add, in one batch. */
    record Diff(List<NftSetElement> delete, List<NftSetElement> add, int units) {}

    static BigInteger number(IpPrefix p) {
        return new BigInteger(1, p.address().getAddress());
    }

    /** Single ports sorted and once each; with {@code interval}, ranges merged where they overlap or touch. */
    static List<PortRange> mergePorts(List<PortRange> ports, boolean interval) {
        List<KeyRange> spans = new ArrayList<>();
        for (PortRange r : ports) {
            spans.add(new KeyRange(BigInteger.valueOf(r.low()), BigInteger.valueOf(r.high())));
        }
        if (!interval) {
            return spans.stream().map(s -> s.first().intValueExact()).distinct().sorted().map(p -> new PortRange(p, p)).toList();
        }
        return NftIntervals.mergeKeys(spans).stream().map(s -> new PortRange(s.first().intValueExact(), s.last().intValueExact())).toList();
    }

    /** The spans of a set's canonical elements. */
    static List<KeyRange> spans(NamedSet s) {
        List<KeyRange> out = new ArrayList<>();
        if (s.type().isAddress()) {
            for (IpPrefix p : s.prefixes()) {
                int host = Ip.bits(p.address()) - p.length();
                BigInteger first = number(p);
                out.add(new KeyRange(first, first.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE)));
            }
        } else {
            for (PortRange r : s.ports()) {
                out.add(new KeyRange(BigInteger.valueOf(r.low()), BigInteger.valueOf(r.high())));
            }
        }
        return out;
    }

    /** The units holding {@code spans} (merged, or single keys), as nft writes them. */
    static List<Unit> units(List<KeyRange> spans, boolean interval, int keyLen) {
        List<Unit> out = new ArrayList<>();
        if (!interval) {
            for (KeyRange s : spans) {
                for (BigInteger k = s.first(); k.compareTo(s.last()) <= 0; k = k.add(BigInteger.ONE)) {
                    out.add(new Unit(List.of(NftSetElement.of(NftIntervals.key(k, keyLen)))));
                }
            }
            return out;
        }
        for (List<NftSetElement> u : NftIntervals.boundaries(NftIntervals.mergeKeys(spans), keyLen)) {
            out.add(new Unit(u));
        }
        return out;
    }

    /** The units of elements as the kernel lists them (any order), pairing each opening element with its end. */
    static List<Unit> kernelUnits(List<NftSetElement> elements, boolean interval, int keyLen) {
        List<Unit> out = new ArrayList<>();
        if (!interval) {
            for (NftSetElement e : elements) {
                out.add(new Unit(List.of(NftSetElement.of(e.key()))));
            }
            return out;
        }
        List<NftSetElement> sorted = NftIntervals.sortedByKey(elements);
        NftSetElement open = null;
        for (NftSetElement e : sorted) {
            if (!e.isIntervalEnd()) {
                if (open != null) {
                    out.add(new Unit(List.of(clean(open)))); // two openings in a row: the first runs on
                }
                open = e;
            } else if (open != null) {
                out.add(new Unit(List.of(clean(open), clean(e))));
                open = null;
            } else {
                out.add(new Unit(List.of(clean(e))));
            }
        }
        if (open != null) {
            out.add(new Unit(List.of(clean(open))));
        }
        return out;
    }

    /** The key ranges held by elements as the kernel lists them, merged. */
    static List<KeyRange> kernelSpans(List<NftSetElement> elements, boolean interval, int keyLen) {
        List<KeyRange> out = new ArrayList<>();
        if (!interval) {
            for (NftSetElement e : elements) {
                BigInteger k = new BigInteger(1, e.key().bytes());
                out.add(new KeyRange(k, k));
            }
            return NftIntervals.mergeKeys(out);
        }
        return NftIntervals.keyRanges(elements, keyLen);
    }

    /** What turns {@code current} into {@code target}: units only in one of them. */
    static Diff diff(List<Unit> current, List<Unit> target) {
        Set<Unit> cur = new LinkedHashSet<>(current);
        Set<Unit> want = new LinkedHashSet<>(target);
        List<NftSetElement> delete = new ArrayList<>();
        List<NftSetElement> add = new ArrayList<>();
        int units = 0;
        for (Unit u : cur) {
            if (!want.contains(u)) {
                delete.addAll(u.elements());
                units++;
            }
        }
        for (Unit u : want) {
            if (!cur.contains(u)) {
                add.addAll(u.elements());
                units++;
            }
        }
        return new Diff(delete, add, units);
    }

    /** {@code a} without the keys in {@code b}. */
    static List<KeyRange> minus(List<KeyRange> a, List<KeyRange> b) {
        List<KeyRange> out = new ArrayList<>(NftIntervals.mergeKeys(a));
        for (KeyRange cut : NftIntervals.mergeKeys(b)) {
            List<KeyRange> next = new ArrayList<>();
            for (KeyRange s : out) {
                if (cut.last().compareTo(s.first()) < 0 || cut.first().compareTo(s.last()) > 0) {
                    next.add(s);
                    continue;
                }
                if (s.first().compareTo(cut.first()) < 0) {
                    next.add(new KeyRange(s.first(), cut.first().subtract(BigInteger.ONE)));
                }
                if (s.last().compareTo(cut.last()) > 0) {
                    next.add(new KeyRange(cut.last().add(BigInteger.ONE), s.last()));
                }
            }
            out = next;
        }
        return out;
    }

    /** Only the key and the end flag: what a unit is compared and deleted by. */
    private static NftSetElement clean(NftSetElement e) {
        return e.isIntervalEnd() ? NftSetElement.end(e.key()) : NftSetElement.of(e.key());
    }
}
