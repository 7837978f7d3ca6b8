package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/** A user's {@link LinkDriver} seen as the library's kind codec. */
final class DriverKind<D> extends LinkKind {
    private final LinkDriver<D> driver;

    DriverKind(LinkDriver<D> driver) {
        this.driver = driver;
    }

    LinkDriver<D> driver() {
        return driver;
    }

    @Override
    String kind() {
        return driver.kind();
    }

    @Override
    List<AttrSpec<?>> specs() {
        return List.of();
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return CustomLink.builder(driver);
    }

    @Override
    boolean sendsLinkRef() {
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    void encodeInfoData(MessageWriter w, Link l, NameResolver names) {
        D data = ((CustomLink<D>) l).data();
        if (data != null) {
            int d = w.nestStart(Ifla.IFLA_INFO_DATA);
            driver.encode(data, DriverAttributes.writer(w));
            w.nestEnd(d);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void decodeInfoData(AttrReader data, Link.Builder<?, ?> b, NameResolver names) {
        D d = driver.decode(DriverAttributes.reader(data));
        if (d == null) {
            throw new IllegalArgumentException(driver + " decoded IFLA_INFO_DATA to null");
        }
        ((CustomLink.Builder<D>) b).data(d);
    }

    @Override
    void extraDifferences(Link want, Link have, List<String> out) {
        Object w = ((CustomLink<?>) want).data();
        if (w != null && (!(have instanceof CustomLink<?> h) || !w.equals(h.data()))) {
            out.add("data");
        }
    }

    @Override
    boolean isImmutable(String field) {
        return field.equals("data") ? !driver.dataChangeable() : super.isImmutable(field);
    }

    @Override
    @SuppressWarnings("unchecked")
    void restrictExtra(Link from, Link.Builder<?, ?> into, Collection<String> fields) {
        if (fields.contains("data")) {
            ((CustomLink.Builder<D>) into).data(((CustomLink<D>) from).data());
        }
    }

    @Override
    boolean extraEquals(Link a, Link b) {
        return Objects.equals(((CustomLink<?>) a).data(), ((CustomLink<?>) b).data());
    }

    @Override
    void describeExtra(Link l, StringBuilder sb) {
        Object d = ((CustomLink<?>) l).data();
        if (d != null) {
            sb.append(' ').append(d);
        }
    }
}
