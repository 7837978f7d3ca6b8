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

    /** {@return the defaults: iproute2's buffer sizes, 30 s timeout, numeric request descriptions, no listener} */
    public static NetlinkSocketOptions defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options, to change a few} */
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

    /** {@return SO_RCVBUF asked for (the kernel doubles it for bookkeeping); default 1 MiB as iproute2} */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** {@return SO_SNDBUF asked for; default 1 MiB as iproute2} */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /** {@return how long one receive may wait for the kernel; default 30 s} */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** {@return most requests per sendmsg in a batch; also capped by what the receive buffer can ack} */
    public int maxBatchMessages() {
        return maxBatchMessages;
    }

    /** {@return most bytes per sendmsg in a batch} */
    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** {@return initial receive buffer; grows when a datagram is larger} */
    public int initialReadBufferBytes() {
        return initialReadBufferBytes;
    }

    /** {@return what names a failed request in its error message; default {@link RequestDescriber#NUMERIC}} */
    public RequestDescriber describer() {
        return describer;
    }

    /** {@return the listener told about every message exchanged, or {@code null} (the default) for none} */
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

        /**
         * Sets SO_RCVBUF; a dump of many objects needs room for the kernel's bursts.
         *
         * @param v bytes, at least 1
         * @return this builder
         */
        public Builder receiveBufferBytes(int v) {
            receiveBufferBytes = positive("receiveBufferBytes", v);
            return this;
        }

        /**
         * Sets SO_SNDBUF.
         *
         * @param v bytes, at least 1
         * @return this builder
         */
        public Builder sendBufferBytes(int v) {
            sendBufferBytes = positive("sendBufferBytes", v);
            return this;
        }

        /**
         * Sets how long one receive may wait before the request fails with a timeout.
         *
         * @param v milliseconds, at least 1
         * @return this builder
         */
        public Builder timeoutMillis(long v) {
            if (v < 1) {
                throw new IllegalArgumentException("timeoutMillis " + v + " must be >= 1");
            }
            timeoutMillis = v;
            return this;
        }

        /**
         * Sets the most requests sent in one sendmsg.
         *
         * @param v messages, at least 1
         * @return this builder
         */
        public Builder maxBatchMessages(int v) {
            maxBatchMessages = positive("maxBatchMessages", v);
            return this;
        }

        /**
         * Sets the most bytes sent in one sendmsg.
         *
         * @param v bytes, at least 1
         * @return this builder
         */
        public Builder maxBatchBytes(int v) {
            maxBatchBytes = positive("maxBatchBytes", v);
            return this;
        }

        /**
         * Sets the initial receive buffer; it grows for a larger datagram.
         *
         * @param v bytes, at least 1
         * @return this builder
         */
        public Builder initialReadBufferBytes(int v) {
            initialReadBufferBytes = positive("initialReadBufferBytes", v);
            return this;
        }

        /**
         * Sets what names a failed request in its error message (core installs one that decodes rtnetlink).
         *
         * @param v the describer, not null
         * @return this builder
         */
        public Builder describer(RequestDescriber v) {
            describer = java.util.Objects.requireNonNull(v, "describer");
            return this;
        }

        /**
         * Observes every message exchanged; {@code null} (the default) for none.
         *
         * @param v the listener, or {@code null}
         * @return this builder
         */
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

        /** {@return the options} */
        public NetlinkSocketOptions build() {
            return new NetlinkSocketOptions(this);
        }
    }
}
