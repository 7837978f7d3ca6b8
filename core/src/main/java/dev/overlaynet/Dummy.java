package dev.overlaynet;

/**
 * A dummy device (kind {@code dummy}): a local sink with only the shared
 * attributes. Needs the kernel's dummy module.
 *
 * <pre>{@code
 * nl.links().add(Dummy.builder().name("dummy0").mtu(9000).build());
 * }</pre>
 */
public final class Dummy extends Link {
    private Dummy(Builder b) {
        super(b);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String kind() {
        return "dummy";
    }

    @Override
    LinkKind kindCodec() {
        return DummyCodec.INSTANCE;
    }

    /**
     * Builds a {@link Dummy}; only the shared fields are checked.
     *
     * <pre>{@code
     * Dummy.builder().name("dummy0").build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Dummy, Builder> {
        private Builder() {}

        private Builder(Dummy d) {
            super(d);
        }

        @Override
        public Dummy build() {
            validateCommon();
            return create();
        }

        @Override
        Dummy create() {
            return new Dummy(this);
        }
    }
}
