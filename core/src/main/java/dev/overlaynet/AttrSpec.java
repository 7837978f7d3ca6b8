package dev.overlaynet;

/**
 * One kind-specific attribute: its Java field name (used in error messages),
 * its uapi type number, its wire codec, and whether the kernel lets it change
 * on an existing link (changelink) or only at creation.
 *
 * @param name     the builder method's name, e.g. {@code vni}
 * @param type     the uapi attribute number, e.g. {@code IFLA_VXLAN_ID}
 * @param codec    how the payload is written and read
 * @param mutable  true if RTM_NEWLINK without NLM_F_CREATE may change it
 * @param absentIs what a kernel dump that leaves the attribute out means (false
 *                 for NLA_FLAG attributes), or null when absence means unknown
 */
record AttrSpec<T>(String name, int type, AttrCodec<T> codec, boolean mutable, T absentIs) {
    static <T> AttrSpec<T> mutable(String name, int type, AttrCodec<T> codec) {
        return new AttrSpec<>(name, type, codec, true, null);
    }

    static <T> AttrSpec<T> fixed(String name, int type, AttrCodec<T> codec) {
        return new AttrSpec<>(name, type, codec, false, null);
    }

    /** An NLA_FLAG the kernel can not change after creation; absent in a dump means false. */
    static AttrSpec<Boolean> fixedFlag(String name, int type) {
        return new AttrSpec<>(name, type, AttrCodec.FLAG, false, Boolean.FALSE);
    }
}
