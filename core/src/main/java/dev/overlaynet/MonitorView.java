package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The objects a subscription has handed to its consumer, by topic and key:
 * what the consumer's copy holds if it applied every event. Live events are
 * compared with it (a duplicate is not delivered twice, an update of an
 * unknown object is an ADDED), and a resync delivers the difference between
 * it and a fresh dump. Also the link names and kinds used to decode and
 * filter. Confined to the subscription's engine thread.
 */
final class MonitorView implements NameResolver {
    private final Map<MonitorTopic, Map<Object, Object>> maps = new EnumMap<>(MonitorTopic.class);

    MonitorView() {
        for (MonitorTopic t : MonitorTopic.values()) {
            maps.put(t, new LinkedHashMap<>());
        }
    }

    Map<Object, Object> map(MonitorTopic t) {
        return maps.get(t);
    }

    int size() {
        int n = 0;
        for (Map<Object, Object> m : maps.values()) {
            n += m.size();
        }
        return n;
    }

    Link link(int index) {
        return (Link) maps.get(MonitorTopic.LINK).get(index);
    }

    @Override
    public String name(int index) {
        Link l = link(index);
        return l == null ? null : l.name();
    }

    @Override
    public int ifindex(String name) throws NetlinkException {
        for (Object o : maps.get(MonitorTopic.LINK).values()) {
            Link l = (Link) o;
            if (name.equals(l.name())) {
                return l.index();
            }
        }
        throw new NetlinkException(jnr.constants.platform.Errno.ENODEV.intValue(), "link " + name,
                "no link named " + name + " in the monitor's view", -1);
    }

    /**
     * Applies one kernel event and reports what the consumer must be told:
     * nothing for a duplicate, ADDED/CHANGED/REMOVED otherwise, plus the
     * synthetic events a link change implies (objects renamed with it, or
     * removed with it: the kernel flushes a deleted vxlan's FDB and IPv4
     * routes without notifying).
     */
    void apply(MonitorCodec.Item item, Consumer<MonitorEvent> out) {
        Map<Object, Object> m = maps.get(item.topic());
        if (item.removal()) {
            if (item.topic() == MonitorTopic.LINK && m.containsKey(item.key())) {
                cascadeRemove(item.index(), out); // while the link is still known, for the kind filter
            }
            Object prev = m.remove(item.key());
            if (prev != null) {
                out.accept(new MonitorEvent(MonitorEvent.Type.REMOVED, item.topic(), prev, null, null, false, null));
            }
            return;
        }
        Object value = item.value();
        Object prev = m.put(item.key(), value);
        if (prev == null) {
            out.accept(new MonitorEvent(MonitorEvent.Type.ADDED, item.topic(), value, null, null, false, null));
        } else if (!MonitorCodec.same(prev, value)) {
            out.accept(new MonitorEvent(MonitorEvent.Type.CHANGED, item.topic(), value, prev, null, false, null));
            if (item.topic() == MonitorTopic.LINK && !java.util.Objects.equals(((Link) prev).name(), ((Link) value).name())) {
                relabel(item.index(), ((Link) value).name(), out);
            }
        }
    }

    /** Removes a table's (or chain's) rules after NFT_MSG_DELTABLE / DELCHAIN. */
    void removeRules(MonitorCodec.NftScope scope, Consumer<MonitorEvent> out) {
        Iterator<Object> it = maps.get(MonitorTopic.NAT_RULE).values().iterator();
        while (it.hasNext()) {
            OwnedRule r = (OwnedRule) it.next();
            if (r.family() == scope.family() && r.table().equals(scope.table())
                    && (scope.chain() == null || r.chain().equals(scope.chain()))) {
                it.remove();
                out.accept(new MonitorEvent(MonitorEvent.Type.REMOVED, MonitorTopic.NAT_RULE, r, null, null, true, null));
            }
        }
    }

    private void cascadeRemove(int index, Consumer<MonitorEvent> out) {
        for (MonitorTopic t : MonitorTopic.values()) {
            if (t == MonitorTopic.LINK || t == MonitorTopic.NAT_RULE) {
                continue;
            }
            Iterator<Object> it = maps.get(t).values().iterator();
            while (it.hasNext()) {
                Object v = it.next();
                if (MonitorCodec.indexOf(v) == index) {
                    it.remove();
                    out.accept(new MonitorEvent(MonitorEvent.Type.REMOVED, t, v, null, null, true, null));
                }
            }
        }
    }

    private void relabel(int index, String name, Consumer<MonitorEvent> out) {
        for (MonitorTopic t : MonitorTopic.values()) {
            if (t == MonitorTopic.LINK || t == MonitorTopic.NAT_RULE) {
                continue;
            }
            for (Map.Entry<Object, Object> e : maps.get(t).entrySet()) {
                Object v = e.getValue();
                if (MonitorCodec.indexOf(v) == index) {
                    Object nv = MonitorCodec.relabel(v, name);
                    if (nv != v) {
                        e.setValue(nv);
                        out.accept(new MonitorEvent(MonitorEvent.Type.CHANGED, t, nv, v, null, true, null));
                    }
                }
            }
        }
    }

    /** Gives every object the current name of its link (after a resync merged names learnt late). */
    void relabelAll() {
        for (MonitorTopic t : MonitorTopic.values()) {
            if (t == MonitorTopic.LINK || t == MonitorTopic.NAT_RULE) {
                continue;
            }
            Iterator<Map.Entry<Object, Object>> it = maps.get(t).entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Object, Object> e = it.next();
                int index = MonitorCodec.indexOf(e.getValue());
                if (index != 0 && link(index) == null) {
                    it.remove(); // its link is gone (e.g. a vxlan's FDB, flushed without notification)
                    continue;
                }
                e.setValue(MonitorCodec.relabel(e.getValue(), name(index)));
            }
        }
    }

    /** The events that turn this view into {@code next}; this view then equals it. Returns {added, changed, removed}. */
    int[] replaceWith(MonitorView next, Consumer<MonitorEvent> out) {
        int[] counts = new int[3];
        MonitorTopic[] topics = MonitorTopic.values();
        for (int ti = topics.length - 1; ti >= 0; ti--) {
            MonitorTopic t = topics[ti];
            Map<Object, Object> now = next.maps.get(t);
            List<Object> gone = new ArrayList<>();
            for (Map.Entry<Object, Object> e : maps.get(t).entrySet()) {
                if (!now.containsKey(e.getKey())) {
                    gone.add(e.getValue());
                }
            }
            for (Object v : gone) {
                counts[2]++;
                out.accept(new MonitorEvent(MonitorEvent.Type.REMOVED, t, v, null, null, true, null));
            }
        }
        for (MonitorTopic t : topics) {
            Map<Object, Object> was = maps.get(t);
            for (Map.Entry<Object, Object> e : next.maps.get(t).entrySet()) {
                Object prev = was.get(e.getKey());
                if (prev == null) {
                    counts[0]++;
                    out.accept(new MonitorEvent(MonitorEvent.Type.ADDED, t, e.getValue(), null, null, true, null));
                } else if (!MonitorCodec.same(prev, e.getValue())) {
                    counts[1]++;
                    out.accept(new MonitorEvent(MonitorEvent.Type.CHANGED, t, e.getValue(), prev, null, true, null));
                }
            }
        }
        for (MonitorTopic t : topics) {
            maps.put(t, next.maps.get(t));
        }
        return counts;
    }

    /** A copy of the link map, for decoding names during a resync. */
    Map<Integer, String> linkNames() {
        Map<Integer, String> m = new HashMap<>();
        for (Map.Entry<Object, Object> e : maps.get(MonitorTopic.LINK).entrySet()) {
            m.put((Integer) e.getKey(), ((Link) e.getValue()).name());
        }
        return m;
    }
}
