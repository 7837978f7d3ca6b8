package dev.overlaynet.netlink.internal;

import dev.overlaynet.netlink.internal.codec.MessageReader;

/**
 * Receives each reply message of a request or dump. The reader is a
 * flyweight valid only during the call: copy what you keep.
 *
 * <pre>{@code
 * socket.dump(w, msg -> names.add(parseName(msg)));
 * }</pre>
 */
@FunctionalInterface
public interface MessageHandler {
    void onMessage(MessageReader message);
}
