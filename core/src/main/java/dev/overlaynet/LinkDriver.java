package dev.overlaynet;

/**
 * A codec for a link kind this library does not model (rtnetlink's
 * {@code LinkDriver}): its IFLA_INFO_KIND string and how its kind-specific
 * data (the IFLA_INFO_DATA attributes) is written and read. Register it on a
 * handle with {@link Links#register(LinkDriver)}; links of that kind then
 * decode as {@link CustomLink}s carrying {@code D}, and a {@code CustomLink}
 * built with the driver is sent with its data encoded by it.
 *
 * <pre>{@code
 * record Macvtap(int mode) {}
 * LinkDriver<Macvtap> macvtap = LinkDriver.of("macvtap",
 *         (d, out) -> out.u32(1, d.mode()),                        // IFLA_MACVLAN_MODE
 *         in -> {
 *             int mode = 0;
 *             while (in.next()) {
 *                 if (in.type() == 1) {
 *                     mode = in.u32();
 *                 }
 *             }
 *             return new Macvtap(mode);
 *         });
 * nl.links().register(macvtap);
 * nl.links().add(CustomLink.builder(macvtap).name("tap0").parent("eth0").data(new Macvtap(4)).build());
 * CustomLink<?> back = (CustomLink<?>) nl.links().get("tap0");   // back.data() is a Macvtap
 * }</pre>
 *
 * <p>Implementations must be thread-safe (they are called from any thread
 * using the handle) and should keep no state.
 *
 * @param <D> the kind's data, ideally an immutable value with {@code equals}
 */
public interface LinkDriver<D> {
    /**
     * IFLA_INFO_KIND, e.g. {@code macvtap}: what {@code ip link add ... type KIND} takes.
     *
     * @return the kind
     */
    String kind();

    /**
     * Writes {@code data} as the attributes inside IFLA_INFO_DATA (the library
     * writes the nest header). Called only when the link's data is not null.
     *
     * @param data the link's data
     * @param out  where the attributes go
     */
    void encode(D data, AttributeWriter out);

    /**
     * Reads the attributes of a kernel-reported IFLA_INFO_DATA. Called only
     * when the kernel sends IFLA_INFO_DATA; a link without it decodes with
     * null data.
     *
     * @param in the attributes, positioned before the first
     * @return the decoded data, never null
     */
    D decode(AttributeReader in);

    /**
     * Whether the kernel lets this kind's data change on an existing link
     * (changelink). When false (the default), {@link Links#ensure(Link)}
     * reports different data as a difference it can not apply in place.
     *
     * @return true if changelink accepts new data for this kind
     */
    default boolean dataChangeable() {
        return false;
    }

    /**
     * A driver from a kind and two functions.
     *
     * @param kind    IFLA_INFO_KIND
     * @param encoder writes the data's attributes
     * @param decoder reads them back
     * @param <D>     the kind's data
     * @return a stateless driver
     */
    static <D> LinkDriver<D> of(String kind, Encoder<D> encoder, Decoder<D> decoder) {
        return new SimpleLinkDriver<>(kind, encoder, decoder);
    }

    /**
     * Writes a kind's data; see {@link LinkDriver#encode}.
     *
     * @param <D> the kind's data
     */
    @FunctionalInterface
    interface Encoder<D> {
        /**
         * Writes {@code data}'s attributes.
         *
         * @param data the link's data
         * @param out  where the attributes go
         */
        void encode(D data, AttributeWriter out);
    }

    /**
     * Reads a kind's data; see {@link LinkDriver#decode}.
     *
     * @param <D> the kind's data
     */
    @FunctionalInterface
    interface Decoder<D> {
        /**
         * Reads the data from its attributes.
         *
         * @param in the attributes, positioned before the first
         * @return the data
         */
        D decode(AttributeReader in);
    }
}
