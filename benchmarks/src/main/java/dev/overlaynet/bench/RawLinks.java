package dev.overlaynet.bench;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.NetlinkSocket;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.codec.Nlmsg;
import dev.overlaynet.netlink.route.AddressFamily;
import dev.overlaynet.netlink.route.Ifa;
import dev.overlaynet.netlink.route.IfLink;
import dev.overlaynet.netlink.route.Ifla;
import dev.overlaynet.netlink.route.RtNetlink;

/** Untimed setup steps written as raw rtnetlink requests. */
final class RawLinks {
    private RawLinks() {}

    static void addBridge(NetlinkSocket s, String name) throws NetlinkException {
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_NEWLINK, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name);
        int li = w.nestStart(Ifla.IFLA_LINKINFO);
        w.string(Ifla.IFLA_INFO_KIND, "bridge").nestEnd(li).end(m);
        s.request(w);
    }

    static void deleteIfExists(NetlinkSocket s, String name) throws NetlinkException {
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_DELLINK, 0);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, 0, 0, 0).string(Ifla.IFLA_IFNAME, name).end(m);
        try {
            s.request(w);
        } catch (NetlinkException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }

    static void up(NetlinkSocket s, int index) throws NetlinkException {
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_NEWLINK, 0);
        w.ifinfomsg(AddressFamily.AF_UNSPEC, 0, index, IfLink.IFF_UP, IfLink.IFF_UP).end(m);
        s.request(w);
    }

    static void addIpv4(NetlinkSocket s, int index, byte[] ip, int len) throws NetlinkException {
        MessageWriter w = new MessageWriter(256);
        int m = w.begin(RtNetlink.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL);
        w.ifaddrmsg(AddressFamily.AF_INET, len, 0, 0, index).bytes(Ifa.IFA_LOCAL, ip).bytes(Ifa.IFA_ADDRESS, ip).end(m);
        s.request(w);
    }
}
