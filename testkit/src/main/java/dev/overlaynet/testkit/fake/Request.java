package dev.overlaynet.testkit.fake;

import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.nftables.NftDescriber;
import dev.overlaynet.netlink.internal.route.RouteDescriber;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One request message the fake kernel received, as sent (header included).
 * {@link #isChange()} tells a request that asks to change state from a read.
 *
 * <pre>{@code
 * assertThat(kernel.requests()).extracting(Request::toString)
 *     .containsExactly("RTM_GETLINK vxlan0", "RTM_NEWLINK vxlan0");
 * }</pre>
 */
public final class Request {
    private final NetlinkProtocol protocol;
    private final byte[] bytes;
    private final boolean change;

    Request(NetlinkProtocol protocol, byte[] bytes, boolean change) {
        this.protocol = protocol;
        this.bytes = bytes;
        this.change = change;
    }

    /**
     * The protocol of the socket that sent it.
     *
     * @return the protocol
     */
    public NetlinkProtocol protocol() {
        return protocol;
    }

    /**
     * nlmsg_type, e.g. {@code RtNetlink.RTM_NEWLINK}.
     *
     * @return the message type
     */
    public int type() {
        return buffer().getShort(4) & 0xffff;
    }

    /**
     * nlmsg_flags.
     *
     * @return the flags
     */
    public int flags() {
        return buffer().getShort(6) & 0xffff;
    }

    /**
     * nlmsg_seq, as the socket stamped it.
     *
     * @return the sequence number
     */
    public int seq() {
        return buffer().getInt(8);
    }

    /**
     * True for a dump request (NLM_F_DUMP).
     *
     * @return true for a dump
     */
    public boolean isDump() {
        return (flags() & Nlmsg.NLM_F_DUMP) == Nlmsg.NLM_F_DUMP;
    }

    /**
     * True for a request that asks to change kernel state: an rtnetlink NEW,
     * DEL or SET message, or a message inside an nftables transaction.
     *
     * @return true for a change
     */
    public boolean isChange() {
        return change;
    }

    /**
     * A copy of the whole message.
     *
     * @return the bytes
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    private ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    /** The request in words, as error messages name it, e.g. {@code RTM_NEWLINK vxlan0}. */
    @Override
    public String toString() {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
        b.put(0, bytes);
        try {
            return protocol == NetlinkProtocol.NETLINK_NETFILTER
                    ? NftDescriber.INSTANCE.describe(b, 0, bytes.length)
                    : RouteDescriber.INSTANCE.describe(b, 0, bytes.length);
        } catch (RuntimeException e) {
            return "nlmsg type " + type();
        }
    }
}
