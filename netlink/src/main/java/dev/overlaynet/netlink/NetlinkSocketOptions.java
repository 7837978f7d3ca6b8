package dev.overlaynet.netlink;
import dev.overlaynet.netlink.internal.NetlinkSocket;

/**
 * Tunables of a {@link NetlinkSocket}; immutable, built with {@link #builder()}.
 *
 * <pre>{@code
 * NetlinkSocketOptions o = NetlinkSocketOptions.builder()
 *     .receiveBufferBytes(4 << 20)
 *     .timeoutMillis(5_000)
 *     .build();
 * }</pre>
 */
public final class NetlinkSocketOptions {
    private static final NetlinkSocketOptions DEFAULTS = builder().build();

    private final int receiveBufferBytes;
    private final int sendBufferBytes;
    private final long timeoutMillis;
    private final int maxBatchMessages;
    private final int maxBatchBytes;
    private final int initialReadBufferBytes;
    private final RequestDescriber describer;
    private final NetlinkListener listener;

    private NetlinkSocketOptions(Builder b) {
        receiveBufferBytes = b.receiveBufferBytes;
        sendBufferBytes = b.sendBufferBytes;
        timeoutMillis = b.timeoutMillis;
        maxBatchMessages = b.maxBatchMessages;
        maxBatchBytes = b.maxBatchBytes;
        initialReadBufferBytes = b.initialReadBufferBytes;
        describer = b.describer;
        listener = b.listener;
    }

    public static NetlinkSocketOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.receiveBufferBytes = receiveBufferBytes;
        b.sendBufferBytes = sendBufferBytes;
        b.timeoutMillis = timeoutMillis;
        b.maxBatchMessages = maxBatchMessages;
        b.maxBatchBytes = maxBatchBytes;
        b.initialReadBufferBytes = initialReadBufferBytes;
        b.describer = describer;
        b.listener = listener;
        return b;
    }

    /** SO_RCVBUF asked for (the kernel doubles it for bookkeeping); default 1 MiB as iproute2. */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /** How long one receive may wait for the kernel; default 30 s. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Most requests per sendmsg in a batch; also capped by what the receive buffer can ack. */
    public int maxBatchMessages() {
        return maxBatchMessages;
    }

    /** Most bytes per sendmsg in a batch. */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** Initial receive buffer; grows when a datagram is larger. */
    public int initialReadBufferBytes() {
        return initialReadBufferBytes;
    }

    public RequestDescriber describer() {
        return describer;
    }

    /** The listener told about every message exchanged, or {@code null} (the default) for none. */
    public NetlinkListener listener() {
        return listener;
    }

    /** Builder of {@link NetlinkSocketOptions}. */
    public static final class Builder {
        private int receiveBufferBytes = 1 << 20;
        private int sendBufferBytes = 1 << 20;
        private long timeoutMillis = 30_000;
        private int maxBatchMessages = 256;
        private int maxBatchBytes = 256 << 10;
        private int initialReadBufferBytes = 64 << 10;
        private RequestDescriber describer = RequestDescriber.NUMERIC;
        private NetlinkListener listener;

        private Builder() {}

        public Builder receiveBufferBytes(int v) {
            receiveBufferBytes = positive("receiveBufferBytes", v);
            return this;
        }

        public Builder sendBufferBytes(int v) {
            sendBufferBytes = positive("sendBufferBytes", v);
            return this;
        }

        public Builder timeoutMillis(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("timeoutMillis " + v + " must be >= 1");
            }
            timeoutMillis = v;
            return this;
        }

        public Builder maxBatchMessages(int v) {
            maxBatchMessages = positive("maxBatchMessages", v);
            return this;
        }

        public Builder maxBatchBytes(int v) {
            maxBatchBytes = positive("maxBatchBytes", v);
            return this;
        }

        public Builder initialReadBufferBytes(int v) {
            initialReadBufferBytes = positive("initialReadBufferBytes", v);
            return this;
        }

        public Builder describer(RequestDescriber v) {
            describer = java.util.Objects.requireNonNull(v, "describer");
            return this;
        }

        /** Observes every message exchanged; {@code null} (the default) for none. */
        public Builder listener(NetlinkListener v) {
            listener = v;
            return this;
        }

        private static int positive(String what, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " " + v + " must be >= 1");
            }
            return v;
        }

        public NetlinkSocketOptions build() {
            return new NetlinkSocketOptions(this);
        }
    }
}
