package dev.overlaynet;

import java.util.Objects;

/**
 * A link of a kind the library does not model, whose data a user's
 * {@link LinkDriver} encodes and decodes. Links of a kind with a driver
 * registered on the handle ({@link Links#register}) decode as this type;
 * without a driver they decode as {@link GenericLink}.
 *
 * <pre>{@code
 * nl.links().register(macvtapDriver);
 * nl.links().add(CustomLink.builder(macvtapDriver).name("tap0").parent("eth0").data(new Macvtap(4)).build());
 * }</pre>
 *
 * @param <D> the kind's data, as the driver models it
 */
public final class CustomLink<D> extends Link {
    private final DriverKind<D> codec;
    private final D data;

    private CustomLink(Builder<D> b) {
        super(b);
        this.codec = b.codec;
        this.data = b.data;
    }

    /**
     * A builder for a link of the driver's kind.
     *
     * @param driver the kind's codec
     * @param <D>    the kind's data
     * @return an empty builder
     */
    public static <D> Builder<D> builder(LinkDriver<D> driver) {
        return new Builder<>(new DriverKind<>(Objects.requireNonNull(driver, "driver")));
    }

    @Override
    public Builder<D> toBuilder() {
        return new Builder<>(this);
    }

    /** IFLA_INFO_KIND: the driver's kind. */
    @Override
    public String kind() {
        return codec.kind();
    }

    /**
     * The driver that encodes and decodes this link's data.
     *
     * @return the driver
     */
    public LinkDriver<D> driver() {
        return codec.driver();
    }

    /**
     * The kind's data; null when unset (nothing is sent) or when the kernel
     * reported no IFLA_INFO_DATA.
     *
     * @return the data, or null
     */
    public D data() {
        return data;
    }

    /**
     * The lower device (IFLA_LINK) by name, as a macvtap's parent; null when unset.
     *
     * @return the parent's name, or null
     */
    public String parent() {
        return linkRef;
    }

    @Override
    LinkKind kindCodec() {
        return codec;
    }

    /**
     * Builds a {@link CustomLink}; the shared fields are checked, the data is the driver's business.
     *
     * <pre>{@code
     * CustomLink.builder(ifbDriver).name("ifb0").build();
     * }</pre>
     *
     * @param <D> the kind's data
     */
    public static final class Builder<D> extends Link.Builder<CustomLink<D>, Builder<D>> {
        private final DriverKind<D> codec;
        private D data;

        private Builder(DriverKind<D> codec) {
            this.codec = codec;
        }

        private Builder(CustomLink<D> l) {
            super(l);
            this.codec = l.codec;
            this.data = l.data;
        }

        /**
         * The kind's data, written by the driver inside IFLA_INFO_DATA.
         *
         * @param data the data; null sends no IFLA_INFO_DATA
         * @return this builder
         */
        public Builder<D> data(D data) {
            this.data = data;
            return this;
        }

        /**
         * The lower device (IFLA_LINK), by name, resolved when the link is added.
         *
         * @param parent a link name, or null
         * @return this builder
         */
        public Builder<D> parent(String parent) {
            this.linkRef = parent;
            return this;
        }

        @Override
        public CustomLink<D> build() {
            validateCommon();
            if (linkRef != null) {
                LinkName.validate("parent", linkRef);
            }
            return create();
        }

        @Override
        CustomLink<D> create() {
            return new CustomLink<>(this);
        }
    }
}
