package dev.overlaynet;

import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.internal.BatchResult;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs N requests as batched sendmsgs ({@link dev.overlaynet.netlink.internal.NetlinkSocket#batch})
 * and maps each kernel outcome back to its input entry. Device names are
 * resolved once per distinct name; an entry whose device does not exist
 * fails alone without being sent.
 */
final class Bulk {
    private Bulk() {}

    /** Encodes one entry for {@code ifindex}. */
    interface Encoder<T> {
        void encode(MessageWriter w, T entry, int ifindex);
    }

    /** The entry's own index, or null to resolve {@link #name} (null too: no device, ifindex 0). */
    interface Key<T> {
        Integer index(T entry);

        String name(T entry);
    }

    static <T> BulkResult<T> run(Netlink nl, List<T> entries, AckMode mode, Key<T> key, Encoder<T> encoder)
            throws NetlinkException {
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(mode, "mode");
        int n = entries.size();
        NetlinkException[] errors = new NetlinkException[n];
        if (n == 0) {
            return new BulkResult<>(List.of(), errors);
        }
        List<T> copy = List.copyOf(entries);
        LinkIndex links = new LinkIndex(nl);
        Map<String, NetlinkException> missing = new HashMap<>();
        // Encode one sendmsg's worth, send it, reuse the writer: the buffer stays the size of
        // one chunk (10,000 neighbours grew it 1 KiB -> 512 KiB in ten copies on every fresh
        // handle) and the kernel reads bytes just written, as the C client's loop does.
        int chunk = Math.max(1, nl.socket().batchChunkMessages());
        int[] entryOf = new int[Math.min(n, chunk)];
        int sent = 0;
        MessageWriter w = nl.writer();
        try {
            for (int i = 0; i < n; i++) {
                T e = copy.get(i);
                Integer index = key.index(e);
                int ifindex;
                if (index != null) {
                    ifindex = index;
                } else if (key.name(e) == null) {
                    ifindex = 0; // no device (a route by gateway only)
                } else {
                    String name = key.name(e);
                    NetlinkException known = missing.get(name);
                    if (known != null) {
                        errors[i] = known;
                        continue;
                    }
                    try {
                        ifindex = links.index(name);
                    } catch (NetlinkException ex) {
                        if (!ex.isNotFound()) {
                            throw ex;
                        }
                        missing.put(name, ex);
                        errors[i] = ex;
                        continue;
                    }
                }
                encoder.encode(w, e, ifindex);
                entryOf[sent++] = i;
                if (sent == chunk) {
                    send(nl, w, mode, entryOf, sent, errors);
                    sent = 0;
                }
            }
            send(nl, w, mode, entryOf, sent, errors);
        } finally {
            nl.release(w);
        }
        return new BulkResult<>(copy, errors);
    }

    /** Sends the {@code sent} requests in {@code w}, records their failures, and clears {@code w}. */
    private static void send(Netlink nl, MessageWriter w, AckMode mode, int[] entryOf, int sent,
                             NetlinkException[] errors) throws NetlinkException {
        if (sent == 0) {
            return;
        }
        BatchResult r = nl.socket().batch(w, mode);
        for (int k = 0; k < sent; k++) {
            if (!r.succeeded(k)) {
                errors[entryOf[k]] = r.failure(k);
            }
        }
        w.clear();
    }
}
