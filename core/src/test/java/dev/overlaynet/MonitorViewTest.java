package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subscription's keyed view without a kernel: what each notification
 * turns into (nothing for a duplicate, ADDED/CHANGED/REMOVED otherwise), what
 * a removed or renamed link takes with it, bridge-port and proxy messages
 * ignored, and the difference a resync delivers.
 */
class MonitorViewTest {
    private final MonitorCodec codec = MonitorCodec.create();
    private final MonitorView view = new MonitorView();
    private final List<MonitorEvent> out = new ArrayList<>();

    private static byte[] link(int type, int family, int index, String name) {
        MessageWriter w = new MessageWriter(128);
        int m = w.begin(type, 0);
        w.ifinfomsg(family, 0, index, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "bridge");
        w.nestEnd(li).end(m);
        return w.toByteArray();
    }

    private static byte[] neigh(int type, int index, int last, int macLast, int flags) {
        MessageWriter w = new MessageWriter(128);
        int m = w.begin(type, 0);
        w.ndmsg(AddressFamily.AF_INET, index, 0x80, flags, 1)
                .bytes(Nda.NDA_DST, new byte[] {10, 0, 0, (byte) last})
                .bytes(Nda.NDA_LLADDR, new byte[] {2, 0, 0, 0, 0, (byte) macLast})
                .end(m);
        return w.toByteArray();
    }

    private void apply(byte[] b) {
        MessageReader m = MessageReader.of(b);
        m.next();
        Object d = codec.decode(m, view::name, view);
        if (d instanceof MonitorCodec.Item item) {
            view.apply(item, out::add);
        }
    }

    private List<String> events() {
        List<String> s = new ArrayList<>();
        for (MonitorEvent e : out) {
            s.add(e.type() + (e.synthetic() ? "*" : "") + " " + e.topic() + " " + describe(e.value()));
        }
        out.clear();
        return s;
    }

    private static String describe(Object v) {
        if (v instanceof Neighbour n) {
            return n.dev() + " " + Ip.text(n.ip()) + " " + n.lladdr();
        }
        if (v instanceof Link l) {
            return l.name() + "#" + l.index();
        }
        return String.valueOf(v);
    }

    @Test
    void duplicatesAreDeliveredOnceAndChangesCarryThePreviousValue() {
        apply(link(RtNetlink.RTM_NEWLINK, 0, 3, "br0"));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 1, 0));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 1, 0)); // the same again (e.g. raced the dump)
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 2, 0));
        apply(neigh(RtNetlink.RTM_DELNEIGH, 3, 1, 2, 0));
        apply(neigh(RtNetlink.RTM_DELNEIGH, 3, 1, 2, 0)); // already gone
        assertThat(events()).containsExactly("ADDED LINK br0#3", "ADDED NEIGH br0 10.0.0.1 02:00:00:00:00:01",
                "CHANGED NEIGH br0 10.0.0.1 02:00:00:00:00:02", "REMOVED NEIGH br0 10.0.0.1 02:00:00:00:00:02");
    }

    @Test
    void aRemovedLinkTakesItsObjectsAndARenamedLinkRenamesThem() {
        apply(link(RtNetlink.RTM_NEWLINK, 0, 3, "br0"));
        apply(link(RtNetlink.RTM_NEWLINK, 0, 4, "vx0"));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 1, 0));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 4, 2, 2, 0));
        events();
        apply(link(RtNetlink.RTM_NEWLINK, AddressFamily.AF_BRIDGE, 4, "vx0")); // bridge port info: not the link
        apply(link(RtNetlink.RTM_DELLINK, AddressFamily.AF_BRIDGE, 4, "vx0")); // left the bridge: not removed
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 9, 9, 0x08)); // a proxy entry is not a neighbour
        assertThat(events()).isEmpty();
        apply(link(RtNetlink.RTM_NEWLINK, 0, 3, "br1"));
        assertThat(events()).containsExactly("CHANGED LINK br1#3", "CHANGED* NEIGH br1 10.0.0.1 02:00:00:00:00:01");
        apply(link(RtNetlink.RTM_DELLINK, 0, 4, "vx0"));
        assertThat(events()).containsExactly("REMOVED* NEIGH vx0 10.0.0.2 02:00:00:00:00:02", "REMOVED LINK vx0#4");
    }

    @Test
    void aResyncDeliversExactlyTheDifference() {
        apply(link(RtNetlink.RTM_NEWLINK, 0, 3, "br0"));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 1, 0));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 2, 2, 0));
        apply(neigh(RtNetlink.RTM_NEWNEIGH, 3, 3, 3, 0));
        events();
        MonitorView next = new MonitorView();
        List<MonitorEvent> ignored = new ArrayList<>();
        for (byte[] b : List.of(link(RtNetlink.RTM_NEWLINK, 0, 3, "br0"), neigh(RtNetlink.RTM_NEWNEIGH, 3, 1, 1, 0),
                neigh(RtNetlink.RTM_NEWNEIGH, 3, 2, 7, 0), neigh(RtNetlink.RTM_NEWNEIGH, 3, 4, 4, 0))) {
            MessageReader m = MessageReader.of(b);
            m.next();
            next.apply((MonitorCodec.Item) codec.decode(m, next::name, next), ignored::add);
        }
        int[] counts = view.replaceWith(next, out::add);
        assertThat(counts).containsExactly(1, 1, 1);
        assertThat(events()).containsExactly("REMOVED* NEIGH br0 10.0.0.3 02:00:00:00:00:03",
                "CHANGED* NEIGH br0 10.0.0.2 02:00:00:00:00:07", "ADDED* NEIGH br0 10.0.0.4 02:00:00:00:00:04");
        assertThat(view.size()).isEqualTo(4);
    }
}
