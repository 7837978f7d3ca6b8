package dev.overlaynet.testkit.fake;

import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_ADDRESS;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_EXT_MASK;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_GROUP;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_IFALIAS;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_IFNAME;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_INFO_DATA;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_INFO_KIND;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_INFO_SLAVE_DATA;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_INFO_SLAVE_KIND;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_LINKINFO;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_MASTER;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_MTU;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_NET_NS_FD;
import static dev.overlaynet.netlink.internal.uapi.Ifla.IFLA_NET_NS_PID;

import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifa;
import dev.overlaynet.netlink.internal.uapi.IfLink;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jnr.constants.platform.Errno;

/**
 * The fake kernel's rtnetlink state: links, addresses, neighbours and FDB
 * entries, each stored with the attributes it was written with and echoed
 * back on reads, the way the kernel answers for what the library sets. It
 * checks what the kernel checks that matters to callers (EEXIST, ENODEV,
 * ENOENT, EADDRNOTAVAIL, create versus change); it does not invent the many
 * attributes the kernel adds by itself. Routes are not modelled
 * (EOPNOTSUPP): script them.
 */
final class RouteModel {
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;

    /** A link and everything it was given. */
    static final class Link {
        int index;
        String name;
        String kind;
        int flags;
        int master;
        int mtu = 1500;
        byte[] mac;
        String alias;
        int peer;
        Attrs top = new Attrs();
        Attrs infoData = new Attrs();
        int infoDataType = IFLA_INFO_DATA;
        Attrs slaveData = new Attrs();

        Link copy() {
            Link l = new Link();
            l.index = index;
            l.name = name;
            l.kind = kind;
            l.flags = flags;
            l.master = master;
            l.mtu = mtu;
            l.mac = mac.clone();
            l.alias = alias;
            l.peer = peer;
            l.top = top.copy();
            l.infoData = infoData.copy();
            l.infoDataType = infoDataType;
            l.slaveData = slaveData.copy();
            return l;
        }
    }

    /** An address, neighbour or FDB entry: family header plus attributes. */
    record Entry(byte[] header, Attrs attrs) {
        int u8(int off) {
            return header[off] & 0xff;
        }

        int i32(int off) {
            return ByteBuffer.wrap(header).order(ByteOrder.nativeOrder()).getInt(off);
        }

        Entry copy() {
            return new Entry(header.clone(), attrs.copy());
        }
    }

    final TreeMap<Integer, Link> links = new TreeMap<>();
    final Map<String, Entry> addresses = new LinkedHashMap<>();
    final Map<String, Entry> neighbours = new LinkedHashMap<>();
    int nextIndex = 1;

    RouteModel copy() {
        RouteModel m = new RouteModel();
        links.forEach((i, l) -> m.links.put(i, l.copy()));
        addresses.forEach((k, e) -> m.addresses.put(k, e.copy()));
        neighbours.forEach((k, e) -> m.neighbours.put(k, e.copy()));
        m.nextIndex = nextIndex;
        return m;
    }

    Link byName(String name) {
        for (Link l : links.values()) {
            if (l.name.equals(name)) {
                return l;
            }
        }
        return null;
    }

    Link addLink(String name, String kind, int flags) {
        Link l = new Link();
        l.index = nextIndex++;
        l.name = name;
        l.kind = kind;
        l.flags = flags;
        l.mac = "lo".equals(name) ? new byte[6] : new byte[] {0x02, 0x0f, 0x0a, 0x0e, (byte) (l.index >> 8), (byte) l.index};
        if ("lo".equals(name)) {
            l.mtu = 65536;
        }
        links.put(l.index, l);
        return l;
    }

    static boolean isChange(int type) {
        return type >= RtNetlink.RTM_BASE && (type - RtNetlink.RTM_BASE) % 4 != 2;
    }

    void handle(Request r, Reply reply) {
        byte[] m = r.raw();
        switch (r.type()) {
            case RtNetlink.RTM_NEWLINK, RtNetlink.RTM_SETLINK -> newLink(r, m, reply);
            case RtNetlink.RTM_DELLINK -> delLink(m, reply);
            case RtNetlink.RTM_GETLINK -> getLink(r, m, reply);
            case RtNetlink.RTM_NEWADDR -> newAddr(r, m, reply);
            case RtNetlink.RTM_DELADDR -> delAddr(m, reply);
            case RtNetlink.RTM_GETADDR -> dumpAddr(m, reply);
            case RtNetlink.RTM_NEWNEIGH -> newNeigh(r, m, reply);
            case RtNetlink.RTM_DELNEIGH -> delNeigh(m, reply);
            case RtNetlink.RTM_GETNEIGH -> getNeigh(r, m, reply);
            default -> reply.error(Errno.EOPNOTSUPP.intValue(), "the fake kernel does not model " + r
                    + "; answer it with FakeKernel.on(...)");
        }
    }

    // ---- links -------------------------------------------------------------------

    private static ByteBuffer nb(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
    }

    private void newLink(Request r, byte[] m, Reply reply) {
        int index = nb(m).getInt(20);
        int ifiFlags = nb(m).getInt(24);
        int ifiChange = nb(m).getInt(28);
        Attrs a = Attrs.parse(m, 32, m.length);
        String name = a.string(IFLA_IFNAME);
        Link l = index != 0 ? links.get(index) : name != null ? byName(name) : null;
        Attrs info = a.has(IFLA_LINKINFO) ? Attrs.parse(a.get(IFLA_LINKINFO)) : new Attrs();
        int flags = r.flags();
        if (l == null) {
            if (index != 0 || (flags & Nlmsg.NLM_F_CREATE) == 0) {
                reply.error(Errno.ENODEV.intValue(), null);
                return;
            }
            String kind = info.string(IFLA_INFO_KIND);
            if (name == null || kind == null) {
                reply.error(Errno.EINVAL.intValue(), name == null ? "no IFLA_IFNAME" : "no IFLA_INFO_KIND");
                return;
            }
            Integer master = a.u32(IFLA_MASTER);
            if (master != null && master != 0 && !isBridge(master)) {
                reply.error(Errno.EINVAL.intValue(), "master is not a bridge");
                return;
            }
            Link peer = null;
            if ("veth".equals(kind) && info.has(IFLA_INFO_DATA)) {
                Attrs vd = Attrs.parse(info.get(IFLA_INFO_DATA));
                byte[] p = vd.get(IfLink.VETH_INFO_PEER);
                if (p != null && p.length >= 16) {
                    Attrs pa = Attrs.parse(p, 16, p.length);
                    String peerName = pa.string(IFLA_IFNAME);
                    if (peerName != null && byName(peerName) != null && !movedAway(pa)) {
                        reply.error(Errno.EEXIST.intValue(), null);
                        return;
                    }
                    if (peerName != null && !movedAway(pa)) {
                        peer = addLink(peerName, "veth", 0);
                        apply(peer, pa);
                    }
                }
            }
            Link n = addLink(name, kind, 0);
            a.remove(IFLA_IFALIAS); // the kernel ignores an alias on creation
            apply(n, a);
            combineFlags(n, ifiFlags, ifiChange);
            if (info.has(IFLA_INFO_DATA)) {
                n.infoDataType = info.rawTypes.get(IFLA_INFO_DATA);
                n.infoData = Attrs.parse(info.get(IFLA_INFO_DATA));
                if ("veth".equals(kind)) {
                    n.infoData.remove(IfLink.VETH_INFO_PEER); // the peer is a link of its own
                }
            }
            if (peer != null) {
                n.peer = peer.index;
                peer.peer = n.index;
            }
            reply.ack();
            return;
        }
        if ((flags & Nlmsg.NLM_F_CREATE) != 0 && (flags & Nlmsg.NLM_F_EXCL) != 0) {
            reply.error(Errno.EEXIST.intValue(), null);
            return;
        }
        String kind = info.string(IFLA_INFO_KIND);
        if (kind != null && !kind.equals(l.kind)) {
            reply.error(Errno.EOPNOTSUPP.intValue(), "cannot change the kind of " + l.name);
            return;
        }
        if (info.has(IFLA_INFO_SLAVE_DATA) && !isBridge(l.master)) {
            reply.error(Errno.EOPNOTSUPP.intValue(), l.name + " is not a bridge port");
            return;
        }
        Integer master = a.u32(IFLA_MASTER);
        if (master != null && master != 0 && !isBridge(master)) {
            reply.error(Errno.EINVAL.intValue(), "master is not a bridge");
            return;
        }
        if (index != 0 && name != null && !name.equals(l.name)) {
            if (byName(name) != null) {
                reply.error(Errno.EEXIST.intValue(), null);
                return;
            }
            l.name = name;
        }
        if (movedAway(a)) {
            removeLink(l);
            reply.ack();
            return;
        }
        if (a.has(IFLA_IFALIAS)) {
            String alias = a.string(IFLA_IFALIAS);
            l.alias = alias.isEmpty() ? null : alias;
        }
        apply(l, a);
        combineFlags(l, ifiFlags, ifiChange);
        if (info.has(IFLA_INFO_DATA)) {
            l.infoData.merge(Attrs.parse(info.get(IFLA_INFO_DATA)));
        }
        if (info.has(IFLA_INFO_SLAVE_DATA)) {
            l.slaveData.merge(Attrs.parse(info.get(IFLA_INFO_SLAVE_DATA)));
        }
        reply.ack();
    }

    private static boolean movedAway(Attrs a) {
        return a.has(IFLA_NET_NS_FD) || a.has(IFLA_NET_NS_PID);
    }

    private boolean isBridge(int index) {
        Link b = links.get(index);
        return b != null && "bridge".equals(b.kind);
    }

    /** The attributes every link has a place for; the rest is kept as given. */
    private void apply(Link l, Attrs a) {
        for (Map.Entry<Integer, byte[]> e : a.values.entrySet()) {
            int t = e.getKey();
            byte[] v = e.getValue();
            switch (t) {
                case IFLA_IFNAME, IFLA_LINKINFO, IFLA_EXT_MASK, IFLA_IFALIAS, IFLA_NET_NS_FD, IFLA_NET_NS_PID -> { }
                case IFLA_MTU -> l.mtu = a.u32(t);
                case IFLA_ADDRESS -> l.mac = v.clone();
                case IFLA_MASTER -> {
                    int m = a.u32(t);
                    if (m != l.master) {
                        l.slaveData = new Attrs();
                    }
                    l.master = m;
                }
                default -> l.top.put(a.rawTypes.get(t), v.clone());
            }
        }
    }

    private static void combineFlags(Link l, int ifiFlags, int ifiChange) {
        if (ifiFlags == 0 && ifiChange == 0) {
            return;
        }
        int want = ifiChange != 0 ? (ifiFlags & ifiChange) | (l.flags & ~ifiChange) : ifiFlags;
        l.flags = want & IfLink.IFF_UP;
    }

    private void removeLink(Link l) {
        links.remove(l.index);
        for (Link o : links.values()) {
            if (o.master == l.index) {
                o.master = 0;
                o.slaveData = new Attrs();
            }
        }
        addresses.values().removeIf(e -> e.i32(4) == l.index);
        neighbours.values().removeIf(e -> e.i32(4) == l.index);
        if (l.peer != 0 && links.containsKey(l.peer)) {
            removeLink(links.get(l.peer));
        }
    }

    private void delLink(byte[] m, Reply reply) {
        int index = nb(m).getInt(20);
        Attrs a = Attrs.parse(m, 32, m.length);
        List<Link> victims = new ArrayList<>();
        if (index != 0) {
            if (links.containsKey(index)) {
                victims.add(links.get(index));
            }
        } else if (a.has(IFLA_IFNAME)) {
            Link l = byName(a.string(IFLA_IFNAME));
            if (l != null) {
                victims.add(l);
            }
        } else if (a.has(IFLA_GROUP)) {
            int g = a.u32(IFLA_GROUP);
            for (Link l : links.values()) {
                Integer lg = l.top.u32(IFLA_GROUP);
                if (lg != null && lg == g) {
                    victims.add(l);
                }
            }
        }
        if (victims.isEmpty()) {
            reply.error(Errno.ENODEV.intValue(), null);
            return;
        }
        for (Link l : victims) {
            if (links.containsKey(l.index)) {
                removeLink(l);
            }
        }
        reply.ack();
    }

    private void getLink(Request r, byte[] m, Reply reply) {
        if (r.isDump()) {
            Attrs a = Attrs.parse(m, 32, m.length);
            Integer master = a.u32(IFLA_MASTER);
            String kind = a.has(IFLA_LINKINFO) ? Attrs.parse(a.get(IFLA_LINKINFO)).string(IFLA_INFO_KIND) : null;
            for (Link l : links.values()) {
                if ((master == null || l.master == master) && (kind == null || kind.equals(l.kind))) {
                    reply.message(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_MULTI, encode(l));
                }
            }
            reply.done();
            return;
        }
        int index = nb(m).getInt(20);
        Attrs a = Attrs.parse(m, 32, m.length);
        Link l = index != 0 ? links.get(index) : a.has(IFLA_IFNAME) ? byName(a.string(IFLA_IFNAME)) : null;
        if (l == null) {
            reply.error(Errno.ENODEV.intValue(), null);
            return;
        }
        reply.message(RtNetlink.RTM_NEWLINK, 0, encode(l));
        reply.ack();
    }

    byte[] encode(Link l) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        h.put(0, (byte) AddressFamily.AF_UNSPEC).putShort(2, (short) ("lo".equals(l.name) ? ARPHRD_LOOPBACK : ARPHRD_ETHER))
                .putInt(4, l.index).putInt(8, l.flags).putInt(12, 0);
        out.writeBytes(h.array());
        Attrs.write(out, IFLA_IFNAME, Attrs.stringBytes(l.name));
        Attrs.write(out, IFLA_MTU, Attrs.u32Bytes(l.mtu));
        Attrs.write(out, IFLA_ADDRESS, l.mac);
        if (l.master != 0) {
            Attrs.write(out, IFLA_MASTER, Attrs.u32Bytes(l.master));
        }
        if (l.alias != null) {
            Attrs.write(out, IFLA_IFALIAS, Attrs.stringBytes(l.alias));
        }
        out.writeBytes(l.top.encode());
        boolean port = isBridge(l.master);
        if (l.kind != null || port) {
            ByteArrayOutputStream info = new ByteArrayOutputStream();
            if (l.kind != null) {
                Attrs.write(info, IFLA_INFO_KIND, Attrs.stringBytes(l.kind));
                if (!l.infoData.values.isEmpty()) {
                    Attrs.write(info, l.infoDataType, l.infoData.encode());
                }
            }
            if (port) {
                Attrs.write(info, IFLA_INFO_SLAVE_KIND, Attrs.stringBytes("bridge"));
                Attrs.write(info, IFLA_INFO_SLAVE_DATA, l.slaveData.encode());
            }
            Attrs.write(out, IFLA_LINKINFO, info.toByteArray());
        }
        return out.toByteArray();
    }

    // ---- addresses ----------------------------------------------------------------

    private static String addrKey(byte[] m, Attrs a) {
        byte[] local = a.has(Ifa.IFA_LOCAL) ? a.get(Ifa.IFA_LOCAL) : a.get(Ifa.IFA_ADDRESS);
        return (m[16] & 0xff) + "|" + nb(m).getInt(20) + "|" + (m[17] & 0xff) + "|"
                + (local == null ? "" : Attrs.hex(local));
    }

    private void newAddr(Request r, byte[] m, Reply reply) {
        Attrs a = Attrs.parse(m, 24, m.length);
        if (!links.containsKey(nb(m).getInt(20))) {
            reply.error(Errno.ENODEV.intValue(), null);
            return;
        }
        String key = addrKey(m, a);
        boolean exists = addresses.containsKey(key);
        if (exists && (r.flags() & Nlmsg.NLM_F_REPLACE) == 0) {
            reply.error(Errno.EEXIST.intValue(), null);
            return;
        }
        addresses.put(key, new Entry(Arrays.copyOfRange(m, 16, 24), a));
        reply.ack();
    }

    private void delAddr(byte[] m, Reply reply) {
        Attrs a = Attrs.parse(m, 24, m.length);
        if (addresses.remove(addrKey(m, a)) == null) {
            reply.error(Errno.EADDRNOTAVAIL.intValue(), null);
            return;
        }
        reply.ack();
    }

    private void dumpAddr(byte[] m, Reply reply) {
        int family = m[16] & 0xff;
        int index = nb(m).getInt(20);
        for (Entry e : addresses.values()) {
            if ((family == 0 || e.u8(0) == family) && (index == 0 || e.i32(4) == index)) {
                reply.message(RtNetlink.RTM_NEWADDR, Nlmsg.NLM_F_MULTI, payload(e));
            }
        }
        reply.done();
    }

    private static byte[] payload(Entry e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(e.header());
        out.writeBytes(e.attrs().encode());
        return out.toByteArray();
    }

    // ---- neighbours and FDB --------------------------------------------------------

    private static String neighKey(byte[] m, Attrs a) {
        int family = m[16] & 0xff;
        String k = family + "|" + nb(m).getInt(20) + "|" + hexOf(a, Nda.NDA_DST);
        if (family == AddressFamily.AF_BRIDGE) {
            k += "|" + hexOf(a, Nda.NDA_LLADDR) + "|" + hexOf(a, Nda.NDA_VLAN) + "|" + hexOf(a, Nda.NDA_VNI);
        }
        return k;
    }

    private static String hexOf(Attrs a, int type) {
        byte[] v = a.get(type);
        return v == null ? "" : Attrs.hex(v);
    }

    private void newNeigh(Request r, byte[] m, Reply reply) {
        Attrs a = Attrs.parse(m, 28, m.length);
        if (!links.containsKey(nb(m).getInt(20))) {
            reply.error(Errno.ENODEV.intValue(), null);
            return;
        }
        String key = neighKey(m, a);
        boolean exists = neighbours.containsKey(key);
        int f = r.flags();
        if (exists && (f & Nlmsg.NLM_F_EXCL) != 0) {
            reply.error(Errno.EEXIST.intValue(), null);
            return;
        }
        if (!exists && (f & Nlmsg.NLM_F_CREATE) == 0) {
            reply.error(Errno.ENOENT.intValue(), null);
            return;
        }
        neighbours.put(key, new Entry(Arrays.copyOfRange(m, 16, 28), a));
        reply.ack();
    }

    private void delNeigh(byte[] m, Reply reply) {
        int family = m[16] & 0xff;
        int index = nb(m).getInt(20);
        Attrs a = Attrs.parse(m, 28, m.length);
        // The kernel matches what the request names (an FDB delete may leave out the destination).
        for (Map.Entry<String, Entry> e : neighbours.entrySet()) {
            Entry n = e.getValue();
            if (n.u8(0) == family && n.i32(4) == index && matches(n.attrs(), a, Nda.NDA_DST)
                    && matches(n.attrs(), a, Nda.NDA_LLADDR) && matches(n.attrs(), a, Nda.NDA_VLAN)
                    && matches(n.attrs(), a, Nda.NDA_VNI)) {
                neighbours.remove(e.getKey());
                reply.ack();
                return;
            }
        }
        reply.error(Errno.ENOENT.intValue(), null);
    }

    private void getNeigh(Request r, byte[] m, Reply reply) {
        int family = m[16] & 0xff;
        int index = nb(m).getInt(20);
        Attrs a = Attrs.parse(m, 28, m.length);
        if (!r.isDump()) {
            for (Entry e : neighbours.values()) {
                if (e.u8(0) == family && e.i32(4) == index && matches(e.attrs(), a, Nda.NDA_DST)
                        && matches(e.attrs(), a, Nda.NDA_LLADDR) && matches(e.attrs(), a, Nda.NDA_VNI)) {
                    reply.message(RtNetlink.RTM_NEWNEIGH, 0, payload(e));
                    reply.ack();
                    return;
                }
            }
            reply.error(Errno.ENOENT.intValue(), null);
            return;
        }
        Integer ifindex = a.u32(Nda.NDA_IFINDEX);
        Integer master = a.u32(Nda.NDA_MASTER);
        for (Entry e : neighbours.values()) {
            boolean bridge = e.u8(0) == AddressFamily.AF_BRIDGE;
            if (family == AddressFamily.AF_BRIDGE ? !bridge : bridge || (family != 0 && e.u8(0) != family)) {
                continue;
            }
            int dev = e.i32(4);
            if (index != 0 && dev != index || ifindex != null && dev != ifindex) {
                continue;
            }
            if (master != null) {
                Link l = links.get(dev);
                if (dev != master && (l == null || l.master != master)) {
                    continue;
                }
            }
            reply.message(RtNetlink.RTM_NEWNEIGH, Nlmsg.NLM_F_MULTI, payload(e));
        }
        reply.done();
    }

    private static boolean matches(Attrs have, Attrs asked, int type) {
        return !asked.has(type) || Arrays.equals(have.get(type), asked.get(type));
    }

    // ---- snapshot -------------------------------------------------------------------

    String describe() {
        StringBuilder sb = new StringBuilder();
        for (Link l : links.values()) {
            sb.append("link ").append(l.index).append(' ').append(l.name).append(" kind=").append(l.kind)
                    .append(" flags=").append(l.flags).append(" master=").append(l.master).append(" mtu=")
                    .append(l.mtu).append(" mac=").append(Attrs.hex(l.mac)).append(" alias=").append(l.alias)
                    .append(" peer=").append(l.peer).append(" attrs[").append(l.top.describe())
                    .append("] data[").append(l.infoData.describe()).append("] port[")
                    .append(l.slaveData.describe()).append("]\n");
        }
        addresses.forEach((k, e) -> sb.append("address ").append(Attrs.hex(e.header())).append(' ')
                .append(e.attrs().describe()).append('\n'));
        neighbours.forEach((k, e) -> sb.append("neigh ").append(Attrs.hex(e.header())).append(' ')
                .append(e.attrs().describe()).append('\n'));
        return sb.toString();
    }
}
