package dev.overlaynet;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link LinkDriver}s one handle knows, on top of the modelled kinds.
 * Immutable: {@link #with} returns a copy, so a dump in progress keeps the set
 * it started with.
 */
final class LinkDrivers {
    static final LinkDrivers NONE = new LinkDrivers(Map.of());

    private final Map<String, DriverKind<?>> byKind;

    private LinkDrivers(Map<String, DriverKind<?>> byKind) {
        this.byKind = byKind;
    }

    /** This set plus {@code driver}; the same driver twice is a no-op, another for a taken kind is refused. */
    LinkDrivers with(LinkDriver<?> driver) {
        Objects.requireNonNull(driver, "driver");
        String kind = checkKind(driver.kind());
        if (LinkKinds.isModelled(kind)) {
            throw new IllegalArgumentException("kind " + kind + " is modelled by the library; a driver can only"
                    + " add kinds it does not model");
        }
        DriverKind<?> present = byKind.get(kind);
        if (present != null) {
            if (present.driver() == driver) {
                return this;
            }
            throw new IllegalArgumentException("kind " + kind + " already has a driver: " + present.driver());
        }
        Map<String, DriverKind<?>> m = new HashMap<>(byKind);
        m.put(kind, new DriverKind<>(driver));
        return new LinkDrivers(Map.copyOf(m));
    }

    /** The codec for {@code kind}: a registered driver, a modelled kind, or the generic pass-through. */
    LinkKind byKind(String kind) {
        DriverKind<?> d = byKind.get(kind);
        return d != null ? d : LinkKinds.byKind(kind);
    }

    static String checkKind(String kind) {
        if (kind == null || kind.isEmpty()) {
            throw new IllegalArgumentException("driver kind is empty");
        }
        // IFLA_INFO_KIND is an NLA_STRING the kernel compares with rtnl_link_ops.kind (at most 63 bytes in practice).
        if (kind.length() > 63 || !kind.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("driver kind \"" + kind + "\" must be 1..63 printable ASCII characters");
        }
        return kind;
    }
}
