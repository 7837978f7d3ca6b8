package dev.overlaynet.netlink.internal.route;
import dev.overlaynet.netlink.internal.uapi.Ifa;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;

import dev.overlaynet.netlink.RequestDescriber;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.NetlinkDecodeException;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Describes rtnetlink requests for error messages: the message type's uapi
 * name and the object's key, e.g. {@code RTM_NEWLINK vxlan0},
 * {@code RTM_NEWNEIGH 10.233.0.3 dev 7} or {@code RTM_NEWADDR 10.233.0.1/16 dev 4}.
 *
 * <pre>{@code
 * NetlinkSocketOptions o = NetlinkSocketOptions.builder().describer(RouteDescriber.INSTANCE).build();
 * }</pre>
 */
public final class RouteDescriber implements RequestDescriber {
    /** The shared, stateless instance. */
    public static final RouteDescriber INSTANCE = new RouteDescriber();

    private RouteDescriber() {}

    /** The uapi name of an rtnetlink message type, e.g. {@code RTM_NEWLINK}. */
    public static String typeName(int type) {
        switch (type) {
            case RtNetlink.RTM_NEWLINK: return "RTM_NEWLINK";
            case RtNetlink.RTM_DELLINK: return "RTM_DELLINK";
            case RtNetlink.RTM_GETLINK: return "RTM_GETLINK";
            case RtNetlink.RTM_SETLINK: return "RTM_SETLINK";
            case RtNetlink.RTM_NEWADDR: return "RTM_NEWADDR";
            case RtNetlink.RTM_DELADDR: return "RTM_DELADDR";
            case RtNetlink.RTM_GETADDR: return "RTM_GETADDR";
            case RtNetlink.RTM_NEWROUTE: return "RTM_NEWROUTE";
            case RtNetlink.RTM_DELROUTE: return "RTM_DELROUTE";
            case RtNetlink.RTM_GETROUTE: return "RTM_GETROUTE";
            case RtNetlink.RTM_NEWNEIGH: return "RTM_NEWNEIGH";
            case RtNetlink.RTM_DELNEIGH: return "RTM_DELNEIGH";
            case RtNetlink.RTM_GETNEIGH: return "RTM_GETNEIGH";
            default: return "nlmsg type " + type;
        }
    }

    @Override
    public String describe(ByteBuffer buf, int offset, int length) {
        MessageReader m = new MessageReader(buf, offset, offset + length);
        if (!m.next()) {
            return "empty request";
        }
        int type = m.type();
        StringBuilder sb = new StringBuilder(typeName(type));
        try {
            switch (type) {
                case RtNetlink.RTM_NEWLINK, RtNetlink.RTM_DELLINK, RtNetlink.RTM_GETLINK, RtNetlink.RTM_SETLINK -> {
                    String name = null;
                    AttrReader a = m.attrs(16);
                    while (a.next()) {
                        if (a.type() == Ifla.IFLA_IFNAME) {
                            name = a.string();
                        }
                    }
                    int index = m.i32(4);
                    if (name != null) {
                        sb.append(' ').append(name);
                    } else if (index != 0) {
                        sb.append(" ifindex ").append(index);
                    }
                }
                case RtNetlink.RTM_NEWADDR, RtNetlink.RTM_DELADDR -> {
                    AttrReader a = m.attrs(8);
                    InetAddress addr = null;
                    while (a.next()) {
                        if (a.type() == Ifa.IFA_LOCAL || (addr == null && a.type() == Ifa.IFA_ADDRESS)) {
                            addr = a.inetAddress();
                        }
                    }
                    if (addr != null) {
                        sb.append(' ').append(addr.getHostAddress()).append('/').append(m.u8(1));
                    }
                    sb.append(" dev ").append(m.i32(4));
                }
                case RtNetlink.RTM_NEWROUTE, RtNetlink.RTM_DELROUTE -> {
                    AttrReader a = m.attrs(12);
                    String dst = "default";
                    while (a.next()) {
                        if (a.type() == RtNetlink.RTA_DST) {
                            dst = a.inetAddress().getHostAddress() + "/" + m.u8(1);
                        }
                    }
                    sb.append(' ').append(dst);
                }
                case RtNetlink.RTM_NEWNEIGH, RtNetlink.RTM_DELNEIGH, RtNetlink.RTM_GETNEIGH -> {
                    AttrReader a = m.attrs(12);
                    while (a.next()) {
                        if (a.type() == Nda.NDA_DST) {
                            sb.append(' ').append(a.inetAddress().getHostAddress());
                        } else if (a.type() == Nda.NDA_LLADDR && a.payloadLength() == 6) {
                            byte[] mac = a.bytes();
                            sb.append(" lladdr ");
                            for (int i = 0; i < 6; i++) {
                                sb.append(i == 0 ? "" : ":").append(String.format("%02x", mac[i] & 0xff));
                            }
                        }
                    }
                    sb.append(" dev ").append(m.i32(4));
                }
                default -> { }
            }
        } catch (NetlinkDecodeException e) {
            sb.append(" (undecodable request)");
        }
        return sb.toString();
    }
}
