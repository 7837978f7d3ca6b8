package dev.overlaynet;

import static dev.overlaynet.AttrSpec.mutable;
import static dev.overlaynet.netlink.internal.uapi.Ifla.*;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.util.List;

/** The macvlan kind: IFLA_MACVLAN_MODE (u32 enum) and IFLA_MACVLAN_FLAGS (u16); the parent is IFLA_LINK. */
final class MacvlanCodec extends LinkKind {
    static final MacvlanCodec INSTANCE = new MacvlanCodec();

    static final AttrCodec<MacvlanMode> MODE_CODEC = new AttrCodec<>() {
        public void write(MessageWriter w, int type, MacvlanMode v, NameResolver n) {
            w.u32(type, v.value());
        }

        public MacvlanMode read(AttrReader a, NameResolver n) {
            return MacvlanMode.of(a.u32());
        }
    };

    static final AttrSpec<MacvlanMode> MODE = mutable("mode", IFLA_MACVLAN_MODE, MODE_CODEC);
    static final AttrSpec<Integer> FLAGS = mutable("macvlanFlags", IFLA_MACVLAN_FLAGS, AttrCodec.U16);
    private static final List<AttrSpec<?>> SPECS = List.of(MODE, FLAGS);

    private MacvlanCodec() {}

    /** ip-link(8)'s macvlan words: {@code mode bridge}, {@code flags N}. */
    @Override
    void describeField(AttrSpec<?> spec, Object value, StringBuilder sb) {
        if (spec == FLAGS) {
            sb.append(" flags ").append(value);
        } else {
            super.describeField(spec, value, sb);
        }
    }

    @Override
    String kind() {
        return "macvlan";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return SPECS;
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Macvlan.builder();
    }

    @Override
    boolean sendsLinkRef() {
        return true;
    }
}
