package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.HashMap;
import java.util.Map;

/**
 * Link name to index resolution for the duration of one call: each distinct
 * name is asked for once, and nothing is cached across calls (indexes change
 * when links are recreated).
 */
final class LinkIndex {
    private final Netlink nl;
    private final Map<String, Integer> byName = new HashMap<>();
    private Map<Integer, String> byIndex;

    LinkIndex(Netlink nl) {
        this.nl = nl;
    }

    /** The index of {@code name}, asking the kernel the first time. */
    int index(String name) throws NetlinkException {
        Integer i = byName.get(name);
        if (i == null) {
            i = nl.ifindex(name);
            byName.put(name, i);
        }
        return i;
    }

    /** The object's own index when it has one, else its link name's. */
    int resolve(Integer index, String name) throws NetlinkException {
        return index != null ? index : index(name);
    }

    /**
     * Prepares a dump filtered to {@code dev}: returns its index (remembered for
     * decoding), or, when {@code dev} is null, loads every link's name and
     * returns 0 (no filter).
     */
    int forDump(String dev) throws NetlinkException {
        if (dev == null) {
            loadAll();
            return 0;
        }
        LinkName.validate("dev", dev);
        int index = index(dev);
        know(dev, index);
        return index;
    }

    /** Remembers a pair already known (e.g. a list filter). */
    void know(String name, int index) {
        byName.put(name, index);
        if (byIndex != null) {
            byIndex.put(index, name);
        }
    }

    /** Loads every link's name with one RTM_GETLINK dump; call before a dump that needs names. */
    LinkIndex loadAll() throws NetlinkException {
        Map<Integer, String> cached = nl.cachedLinkNames();
        if (cached != null) {
            cached.forEach((i, n) -> byName.putIfAbsent(n, i));
            byIndex = cached;
            return this;
        }
        Map<Integer, String> m = new HashMap<>();
        MessageWriter w = nl.writer();
        try {
            int msg = w.begin(RtNetlink.RTM_GETLINK, Nlmsg.NLM_F_DUMP);
            w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0)
                    .u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_SKIP_STATS)
                    .end(msg);
            AttrReader a = new AttrReader();
            nl.socket().dump(w, r -> {
                if (r.type() != RtNetlink.RTM_NEWLINK) {
                    return;
                }
                int index = r.i32(4);
                r.attrs(16, a);
                while (a.next()) {
                    if (a.type() == Ifla.IFLA_IFNAME) {
                        m.put(index, a.string());
                        break;
                    }
                }
            });
        } finally {
            nl.release(w);
        }
        m.forEach((i, n) -> byName.putIfAbsent(n, i));
        byIndex = m;
        return this;
    }

    /** The name of {@code index} if known (after {@link #loadAll()} or {@link #know}), else null. */
    String name(int index) {
        if (byIndex != null) {
            return byIndex.get(index);
        }
        for (Map.Entry<String, Integer> e : byName.entrySet()) {
            if (e.getValue() == index) {
                return e.getKey();
            }
        }
        return null;
    }
}
