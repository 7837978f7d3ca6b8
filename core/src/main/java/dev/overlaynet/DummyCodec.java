package dev.overlaynet;

import java.util.List;

/** The dummy kind: no IFLA_INFO_DATA at all. */
final class DummyCodec extends LinkKind {
    static final DummyCodec INSTANCE = new DummyCodec();

    private DummyCodec() {}

    @Override
    String kind() {
        return "dummy";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return List.of();
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Dummy.builder();
    }
}
