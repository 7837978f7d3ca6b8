package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * One GET request and its single decoded reply, the shape every single-object
 * fetch has: the kernel's "not found" errnos become an empty result, any other
 * error propagates.
 *
 * <pre>{@code
 * Optional<Neighbour> n = Fetch.one(nl, w -> NeighCodec.encodeGet(w, ip, index, false),
 *         RtNetlink.RTM_NEWNEIGH, (m, a) -> NeighCodec.decode(m, names, a));
 * }</pre>
 */
final class Fetch {
    private Fetch() {}

    static <T> Optional<T> one(Netlink nl, Consumer<MessageWriter> encode, int replyType,
                               BiFunction<MessageReader, AttrReader, T> decode) throws NetlinkException {
        Object[] out = new Object[1];
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            encode.accept(w);
            nl.socket().request(w, m -> {
                if (m.type() == replyType && out[0] == null) {
                    out[0] = decode.apply(m, a);
                }
            });
        } catch (NetlinkException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        } finally {
            nl.release(w);
        }
        @SuppressWarnings("unchecked")
        T t = (T) out[0];
        return Optional.ofNullable(t);
    }
}
