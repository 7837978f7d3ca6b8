package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.IfLink;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.Map;

/**
 * The shared part of every link message: ifinfomsg, the common IFLA_*
 * attributes, and IFLA_LINKINFO whose kind-specific payload the
 * {@link LinkKind} writes and reads. Attribute order follows iproute2
 * (IFLA_LINK, address, mtu, ..., IFLA_IFNAME, IFLA_LINKINFO) so the bytes can
 * be compared with what {@code ip link add} sends.
 */
final class LinkCodec {
    private static final String[] OPER_STATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING",
        "DORMANT", "UP"};

    private LinkCodec() {}

    /** Writes one RTM_NEWLINK for {@code l}; {@code index} 0 means "by name". */
    static void encodeNewLink(MessageWriter w, int nlFlags, Link l, int index, NameResolver names, boolean withInfo)
            throws NetlinkException {
        int m = w.begin(RtNetlink.RTM_NEWLINK, nlFlags);
        int flags = Boolean.TRUE.equals(l.up()) ? IfLink.IFF_UP : 0;
        int change = l.up() != null ? IfLink.IFF_UP : 0;
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, index, flags, change);
        encodeCommon(w, l, names);
        if (withInfo) {
            LinkKind k = l.kindCodec();
            int info = w.nestStart(Ifla.IFLA_LINKINFO);
            // Without a NUL, as iproute2 sends it (addattr_l with strlen); the kernel copies with nla_strscpy.
            w.bytes(Ifla.IFLA_INFO_KIND, l.kind().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            k.encodeInfoData(w, l, names);
            w.nestEnd(info);
        }
        w.end(m);
    }

    static void encodeCommon(MessageWriter w, Link l, NameResolver names) throws NetlinkException {
        if (l.linkRef != null && l.kindCodec().sendsLinkRef()) {
            w.u32(Ifla.IFLA_LINK, names.ifindex(l.linkRef));
        }
        if (l.address() != null) {
            w.bytes(Ifla.IFLA_ADDRESS, l.address().bytesUnsafe());
        }
        if (l.mtu() != null) {
            w.u32(Ifla.IFLA_MTU, l.mtu());
        }
        if (l.txQueueLength() != null) {
            w.u32(Ifla.IFLA_TXQLEN, (int) (long) l.txQueueLength());
        }
        if (l.linkGroup() != null) {
            w.u32(Ifla.IFLA_GROUP, (int) (long) l.linkGroup());
        }
        if (l.master() != null) {
            w.u32(Ifla.IFLA_MASTER, names.ifindex(l.master()));
        }
        if (l.alias() != null) {
            w.string(Ifla.IFLA_IFALIAS, l.alias());
        }
        if (l.name() != null) {
            w.string(Ifla.IFLA_IFNAME, l.name());
        }
    }

    /** Decodes an RTM_NEWLINK into the kind's typed object; null for other messages. */
    static Link decode(MessageReader msg, NameResolver names) {
        return decode(msg, names, LinkDrivers.NONE);
    }

    /** As {@link #decode(MessageReader, NameResolver)}, with a handle's {@link LinkDriver}s. */
    static Link decode(MessageReader msg, NameResolver names, LinkDrivers drivers) {
        try {
            return decodeFields(msg, names, drivers);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(msg, "RTM_NEWLINK", e);
        }
    }

    private static Link decodeFields(MessageReader msg, NameResolver names, LinkDrivers drivers) {
        if (msg.type() != RtNetlink.RTM_NEWLINK) {
            return null;
        }
        msg.requireHeader(16);
        int index = msg.i32(4);
        int flags = msg.i32(8);
        String kind = "";
        AttrReader infoData = null;
        String name = null;
        Integer mtu = null;
        Long txqlen = null;
        Long group = null;
        Integer masterIndex = null;
        Integer linkIndex = null;
        boolean linkElsewhere = false;
        Integer linkNetnsId = null;
        String alias = null;
        String oper = null;
        MacAddress address = null;
        // Raw TLVs, parsed into a map only if someone asks (a link message carries many).
        Map<Integer, byte[]> unknown = null;
        AttrReader a = msg.attrs(16);
        while (a.next()) {
            switch (a.type()) {
                case Ifla.IFLA_IFNAME -> name = a.string();
                case Ifla.IFLA_MTU -> mtu = a.u32();
                case Ifla.IFLA_TXQLEN -> txqlen = Integer.toUnsignedLong(a.u32());
                case Ifla.IFLA_GROUP -> group = Integer.toUnsignedLong(a.u32());
                case Ifla.IFLA_MASTER -> masterIndex = a.u32();
                case Ifla.IFLA_LINK -> linkIndex = a.u32();
                case Ifla.IFLA_LINK_NETNSID -> {
                    linkElsewhere = true;
                    linkNetnsId = a.u32();
                }
                case Ifla.IFLA_IFALIAS -> alias = a.string();
                case Ifla.IFLA_OPERSTATE -> {
                    int s = a.u8();
                    oper = s < OPER_STATES.length ? OPER_STATES[s] : Integer.toString(s);
                }
                case Ifla.IFLA_ADDRESS -> {
                    if (a.payloadLength() == 6) {
                        address = MacAddress.of(a.bytes());
                    } else {
                        unknown = Attrs.keep(unknown, a, msg.length());
                    }
                }
                case Ifla.IFLA_LINKINFO -> {
                    AttrReader li = a.nested();
                    while (li.next()) {
                        switch (li.type()) {
                            case Ifla.IFLA_INFO_KIND -> kind = li.string();
                            case Ifla.IFLA_INFO_DATA -> infoData = li.nested();
                            default -> { }
                        }
                    }
                }
                default -> unknown = Attrs.keep(unknown, a, msg.length());
            }
        }
        LinkKind k = drivers.byKind(kind);
        Link.Builder<?, ?> b = k.newBuilder();
        if (b instanceof GenericLink.Builder g) {
            g.kind(kind);
        }
        b.name = name;
        b.index = index;
        b.flags = flags;
        b.up = (flags & IfLink.IFF_UP) != 0;
        b.mtu = mtu;
        b.txQueueLength = txqlen;
        b.group = group;
        b.alias = alias;
        b.operState = oper;
        b.address = address;
        b.unknown = Attrs.freeze(unknown);
        if (masterIndex != null && masterIndex != 0) {
            b.master = names.name(masterIndex);
        }
        b.linkNetnsId = linkNetnsId;
        b.linkIndex = linkIndex != null && linkIndex != 0 && (linkIndex != index || linkElsewhere) ? linkIndex : null;
        if (linkIndex != null && linkIndex != 0 && linkIndex != index && !linkElsewhere) {
            b.linkRef = names.name(linkIndex);
        }
        if (infoData != null) {
            k.decodeInfoData(infoData, b, names);
        }
        // IFLA_INFO_SLAVE_DATA (bridge port options) is read by Links.bridgePort.
        return b.create();
    }
}
