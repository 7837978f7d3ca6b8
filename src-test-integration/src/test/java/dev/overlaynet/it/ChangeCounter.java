package dev.overlaynet.it;

import dev.overlaynet.netlink.NetlinkListener;
import dev.overlaynet.netlink.NetlinkMessage;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the change requests a handle sends, through its listener:
 * {@link #linkChanges()} the RTM_NEWLINK/RTM_DELLINK/RTM_SETLINK messages,
 * {@link #changes()} every rtnetlink NEW/DEL/SET message. Attach it when the
 * handle is opened: {@code Netlink.builder().namespace(ns).listener(counter).open()}.
 */
final class ChangeCounter implements NetlinkListener {
    private final LongAdder links = new LongAdder();
    private final LongAdder all = new LongAdder();

    @Override
    public void requestSent(NetlinkMessage request) {
        int type = request.type();
        if (request.protocol() != NetlinkProtocol.NETLINK_ROUTE || type < RtNetlink.RTM_BASE
                || (type - RtNetlink.RTM_BASE) % 4 == 2) { // RTM_GET*
            return;
        }
        all.increment();
        if (type == RtNetlink.RTM_NEWLINK || type == RtNetlink.RTM_DELLINK || type == RtNetlink.RTM_SETLINK) {
            links.increment();
        }
    }

    long linkChanges() {
        return links.sum();
    }

    long changes() {
        return all.sum();
    }
}
