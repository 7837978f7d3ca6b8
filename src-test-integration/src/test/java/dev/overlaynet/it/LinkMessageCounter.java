package dev.overlaynet.it;

import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.codec.MessageReader;
import dev.overlaynet.netlink.route.RtNetlink;
import java.util.concurrent.atomic.LongAdder;

/** Counts the mutating link messages (RTM_NEWLINK, RTM_DELLINK) a handle sends, through its listener. */
final class LinkMessageCounter implements NetlinkListener {
    private final LongAdder sent = new LongAdder();

    @Override
    public void requestSent(NetlinkProtocol protocol, MessageReader request) {
        if (protocol == NetlinkProtocol.NETLINK_ROUTE
                && (request.type() == RtNetlink.RTM_NEWLINK || request.type() == RtNetlink.RTM_DELLINK)) {
            sent.increment();
        }
    }

    long sent() {
        return sent.sum();
    }
}
