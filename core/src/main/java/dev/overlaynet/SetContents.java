package dev.overlaynet;

import dev.overlaynet.netlink.internal.nftables.DataValue;
import dev.overlaynet.netlink.internal.nftables.NftSetElement;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Keys {@code first..last}, both included. */
    record Span(BigInteger first, BigInteger last) {}

    /** Elements that are added or deleted together. */
    record Unit(List<NftSetElement> elements) {}

    /** The element changes: first delete, then add, in one batch. */
    record Diff(List<NftSetElement> delete, List<NftSetElement> add, int units) {}

    static BigInteger number(IpPrefix p) {
        return new BigInteger(1, p.address().getAddress());
    }

    /** Single ports sorted and once each; with {@code interval}, ranges merged where they overlap or touch. */
    static List<PortRange> mergePorts(List<PortRange> ports, boolean interval) {
        List<Span> spans = new ArrayList<>();
        for (PortRange r : ports) {
            spans.add(new Span(BigInteger.valueOf(r.low()), BigInteger.valueOf(r.high())));
        }
        if (!interval) {
            return spans.stream().map(s -> s.first().intValueExact()).distinct().sorted().map(p -> new PortRange(p, p)).toList();
        }
        return merge(spans).stream().map(s -> new PortRange(s.first().intValueExact(), s.last().intValueExact())).toList();
    }

    /** Sorted, overlapping and adjacent spans joined. */
    static List<Span> merge(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(Span::first));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            Span last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s.first().compareTo(last.last().add(BigInteger.ONE)) <= 0) {
                out.set(out.size() - 1, new Span(last.first(), last.last().max(s.last())));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /** The spans of a set's canonical elements. */
    static List<Span> spans(NamedSet s) {
        List<Span> out = new ArrayList<>();
        if (s.type().isAddress()) {
            for (IpPrefix p : s.prefixes()) {
                int host = Ip.bits(p.address()) - p.length();
                BigInteger first = number(p);
                out.add(new Span(first, first.add(BigInteger.ONE.shiftLeft(host)).subtract(BigInteger.ONE)));
            }
        } else {
            for (PortRange r : s.ports()) {
                out.add(new Span(BigInteger.valueOf(r.low()), BigInteger.valueOf(r.high())));
            }
        }
        return out;
    }

    /** The units holding {@code spans} (merged, or single keys), as nft writes them. */
    static List<Unit> units(List<Span> spans, boolean interval, int keyLen) {
        List<Unit> out = new ArrayList<>();
        if (!interval) {
            for (Span s : spans) {
                for (BigInteger k = s.first(); k.compareTo(s.last()) <= 0; k = k.add(BigInteger.ONE)) {
                    out.add(new Unit(List.of(NftSetElement.of(key(k, keyLen)))));
                }
            }
            return out;
        }
        List<Span> merged = merge(spans);
        BigInteger max = BigInteger.ONE.shiftLeft(keyLen * 8).subtract(BigInteger.ONE);
        if (!merged.isEmpty() && merged.get(0).first().signum() != 0) {
            out.add(new Unit(List.of(NftSetElement.end(key(BigInteger.ZERO, keyLen)))));
        }
        for (Span s : merged) {
            NftSetElement open = NftSetElement.of(key(s.first(), keyLen));
            out.add(new Unit(s.last().equals(max) ? List.of(open)
                    : List.of(open, NftSetElement.end(key(s.last().add(BigInteger.ONE), keyLen)))));
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
        List<NftSetElement> sorted = sorted(elements);
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
    static List<Span> kernelSpans(List<NftSetElement> elements, boolean interval, int keyLen) {
        List<Span> out = new ArrayList<>();
        if (!interval) {
            for (NftSetElement e : elements) {
                BigInteger k = new BigInteger(1, e.key().bytes());
                out.add(new Span(k, k));
            }
            return merge(out);
        }
        BigInteger max = BigInteger.ONE.shiftLeft(keyLen * 8).subtract(BigInteger.ONE);
        BigInteger open = null;
        for (NftSetElement e : sorted(elements)) {
            BigInteger k = new BigInteger(1, e.key().bytes());
            if (e.isIntervalEnd()) {
                if (open != null && k.signum() > 0) {
                    out.add(new Span(open, k.subtract(BigInteger.ONE)));
                }
                open = null;
            } else if (open == null) {
                open = k;
            }
        }
        if (open != null) {
            out.add(new Span(open, max));
        }
        return merge(out);
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
    static List<Span> minus(List<Span> a, List<Span> b) {
        List<Span> out = new ArrayList<>(merge(a));
        for (Span cut : merge(b)) {
            List<Span> next = new ArrayList<>();
            for (Span s : out) {
                if (cut.last().compareTo(s.first()) < 0 || cut.first().compareTo(s.last()) > 0) {
                    next.add(s);
                    continue;
                }
                if (s.first().compareTo(cut.first()) < 0) {
                    next.add(new Span(s.first(), cut.first().subtract(BigInteger.ONE)));
                }
                if (s.last().compareTo(cut.last()) > 0) {
                    next.add(new Span(cut.last().add(BigInteger.ONE), s.last()));
                }
            }
            out = next;
        }
        return out;
    }

    /** Ascending keys; where a range ends at the key the next one starts, the end comes first. */
    private static List<NftSetElement> sorted(List<NftSetElement> elements) {
        List<NftSetElement> sorted = new ArrayList<>(elements);
        sorted.sort(Comparator.<NftSetElement, BigInteger>comparing(e -> new BigInteger(1, e.key().bytes()))
                .thenComparing(e -> e.isIntervalEnd() ? 0 : 1));
        return sorted;
    }

    /** Only the key and the end flag: what a unit is compared and deleted by. */
    private static NftSetElement clean(NftSetElement e) {
        return e.isIntervalEnd() ? NftSetElement.end(e.key()) : NftSetElement.of(e.key());
    }

    static DataValue key(BigInteger v, int n) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[n];
        int copy = Math.min(raw.length, n);
        System.arraycopy(raw, raw.length - copy, out, n - copy, copy);
        return DataValue.of(out);
    }
}
