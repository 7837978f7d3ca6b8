package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import java.util.Arrays;
import java.util.List;

/**
 * A link of a kind this library does not model (loopback, a tun, a kind of
 * a newer kernel...): the kind string and the raw IFLA_INFO_DATA payload,
 * which {@code add} sends back unchanged.
 *
 * <pre>{@code
 * Link lo = nl.links().get("lo");                    // GenericLink, kind ""
 * GenericLink g = GenericLink.builder().name("gre1").kind("gretap").infoData(bytes).build();
 * }</pre>
 */
public final class GenericLink extends Link {
    private final String kind;
    private final byte[] infoData;

    private GenericLink(Builder b) {
        super(b);
        this.kind = b.kind;
        this.infoData = b.infoData;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** IFLA_INFO_KIND, or "" for a link that reports no kind (loopback, physical NICs). */
    @Override
    public String kind() {
        return kind;
    }

    /** {@return the raw IFLA_INFO_DATA payload (attributes), or null} */
    public byte[] infoData() {
        return infoData == null ? null : infoData.clone();
    }

    @Override
    LinkKind kindCodec() {
        return Codec.INSTANCE;
    }

    /**
     * Builds a {@link GenericLink}.
     *
     * <pre>{@code
     * GenericLink.builder().name("t0").kind("ifb").build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<GenericLink, Builder> {
        private String kind = "";
        private byte[] infoData;

        private Builder() {}

        private Builder(GenericLink g) {
            super(g);
            this.kind = g.kind;
            this.infoData = g.infoData;
        }

        /**
         * Sets {@link GenericLink#kind()}.
         *
         * @param kind IFLA_INFO_KIND, or "" for a link that reports no kind (loopback, physical NICs)
         * @return this builder
         */
        public Builder kind(String kind) {
            this.kind = kind == null ? "" : kind;
            return this;
        }

        /**
         * Sets {@link GenericLink#infoData()}.
         *
         * @param data the raw IFLA_INFO_DATA payload (attributes), or null
         * @return this builder
         */
        public Builder infoData(byte[] data) {
            this.infoData = data == null ? null : data.clone();
            return this;
        }

        @Override
        public GenericLink build() {
            validateCommon();
            if (kind.isEmpty()) {
                throw new IllegalArgumentException("kind must be set to create a link");
            }
            return create();
        }

        @Override
        GenericLink create() {
            return new GenericLink(this);
        }
    }

    /** Raw pass-through of IFLA_INFO_DATA. */
    static final class Codec extends LinkKind {
        static final Codec INSTANCE = new Codec();

        @Override
        String kind() {
            return "";
        }

        @Override
        List<AttrSpec<?>> specs() {
            return List.of();
        }

        @Override
        Link.Builder<?, ?> newBuilder() {
            return GenericLink.builder();
        }

        @Override
        void encodeInfoData(MessageWriter w, Link l, NameResolver names) throws NetlinkException {
            byte[] d = ((GenericLink) l).infoData;
            if (d != null) {
                int n = w.nestStart(Ifla.IFLA_INFO_DATA);
                w.raw(d);
                w.nestEnd(n);
            }
        }

        @Override
        void decodeInfoData(AttrReader data, Link.Builder<?, ?> b, NameResolver names) {
            // data walks the IFLA_INFO_DATA payload and has no current attribute: keep the region.
            ((Builder) b).infoData = data.regionBytes();
        }

        @Override
        boolean extraEquals(Link a, Link b) {
            GenericLink x = (GenericLink) a;
            GenericLink y = (GenericLink) b;
            return x.kind.equals(y.kind) && Arrays.equals(x.infoData, y.infoData);
        }

        @Override
        void describeExtra(Link l, StringBuilder sb) {
            byte[] d = ((GenericLink) l).infoData;
            if (d != null) {
                sb.append(" info_data ").append(d.length).append(" bytes");
            }
        }
    }
}
