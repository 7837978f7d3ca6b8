package dev.overlaynet;

import java.util.Objects;

/** {@link LinkDriver#of}: a kind and two functions. */
final class SimpleLinkDriver<D> implements LinkDriver<D> {
    private final String kind;
    private final Encoder<D> encoder;
    private final Decoder<D> decoder;

    SimpleLinkDriver(String kind, Encoder<D> encoder, Decoder<D> decoder) {
        this.kind = LinkDrivers.checkKind(kind);
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public void encode(D data, AttributeWriter out) {
        encoder.encode(data, out);
    }

    @Override
    public D decode(AttributeReader in) {
        return decoder.decode(in);
    }

    @Override
    public String toString() {
        return "LinkDriver[" + kind + "]";
    }
}
