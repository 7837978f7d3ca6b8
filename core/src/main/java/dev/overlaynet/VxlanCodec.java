package dev.overlaynet;

import static dev.overlaynet.netlink.internal.uapi.Ifla.*;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/**
 * The vxlan kind: every IFLA_VXLAN_* attribute of the running kernel's
 * {@code <linux/if_link.h>} (up to IFLA_VXLAN_MC_ROUTE, 6.16; the numbers
 * past IFLA_VXLAN_VNIFILTER are newer than this machine's headers, see
 * {@code tools/gen-uapi-constants.py}), in the order iproute2 writes them, with
 * whether the kernel's changelink accepts a new value (vxlan_nl2conf refuses
 * VNI, port, port range, limit and the checksum/extension flags: "Cannot
 * change VNI.", "Cannot change port.", ...).
 */
final class VxlanCodec extends LinkKind {
    static final VxlanCodec INSTANCE = new VxlanCodec();

    /** IFLA_VXLAN_DF is a u8 enum: unset, set, inherit. */
    static final AttrCodec<VxlanDf> DF_CODEC = new AttrCodec<>() {
        public void write(MessageWriter w, int type, VxlanDf v, NameResolver n) {
            w.u8(type, v.ordinal());
        }

        public VxlanDf read(AttrReader a, NameResolver n) {
            int v = a.u8();
            return v < VxlanDf.values().length ? VxlanDf.values()[v] : null;
        }
    };

    /** Sent as NLA_FLAG (the policy's type) but dumped as a u8 0/1. */
    static final AttrCodec<Boolean> FLAG_OR_U8 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Boolean v, NameResolver n) {
            if (v) {
                w.flag(type);
            }
        }

        public Boolean read(AttrReader a, NameResolver n) {
            return a.payloadLength() == 0 || a.u8() != 0;
        }
    };
    /** IFLA_VXLAN_LABEL_POLICY is a u32 enum (ifla_vxlan_label_policy): fixed, inherit. */
    static final AttrCodec<VxlanLabelPolicy> LABEL_POLICY_CODEC = new AttrCodec<>() {
        public void write(MessageWriter w, int type, VxlanLabelPolicy v, NameResolver n) {
            w.u32(type, v.ordinal());
        }

        public VxlanLabelPolicy read(AttrReader a, NameResolver n) {
            int v = a.u32();
            return v >= 0 && v < VxlanLabelPolicy.values().length ? VxlanLabelPolicy.values()[v] : null;
        }
    };

    /** IFLA_VXLAN_RESERVED_BITS is a struct vxlanhdr: two big-endian words, flags then VNI. */
    static final AttrCodec<Long> BE64 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Long v, NameResolver n) {
            w.be64(type, v);
        }

        public Long read(AttrReader a, NameResolver n) {
            return a.payloadLength() == 8 ? a.be64() : null;
        }
    };
    /** The kernel's FDB ageing when 0 is asked for (FDB_AGE_DEFAULT, seconds). */
    static final long FDB_AGE_DEFAULT = 300;

    /**
     * IFLA_VXLAN_AGEING, a u32: the kernel keeps no 0 (vxlan_config_apply puts
     * FDB_AGE_DEFAULT in its place, on add and on change), so asking for 0 is
     * satisfied by the 300 it reports.
     */
    static final AttrCodec<Long> AGEING_CODEC = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Long v, NameResolver n) {
            w.u32(type, (int) (long) v);
        }

        public Long read(AttrReader a, NameResolver n) {
            return Integer.toUnsignedLong(a.u32());
        }

        @Override
        public boolean same(Long want, Long have) {
            return want.equals(have) || (want == 0 && have != null && have == FDB_AGE_DEFAULT);
        }
    };
    static final AttrSpec<String> DEVICE = new AttrSpec<>("device", IFLA_VXLAN_LINK, AttrCodec.LINK_REF, true, null);
    static final AttrSpec<PortRange> SRC_PORT_RANGE = new AttrSpec<>("srcPortRange", IFLA_VXLAN_PORT_RANGE, AttrCodec.PORT_RANGE, false, null);
    static final AttrSpec<Boolean> PROXY = new AttrSpec<>("proxy", IFLA_VXLAN_PROXY, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> RSC = new AttrSpec<>("rsc", IFLA_VXLAN_RSC, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> L2MISS = new AttrSpec<>("l2miss", IFLA_VXLAN_L2MISS, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> L3MISS = new AttrSpec<>("l3miss", IFLA_VXLAN_L3MISS, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> UDP_CSUM = new AttrSpec<>("udpCsum", IFLA_VXLAN_UDP_CSUM, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> UDP6_ZERO_CSUM_TX = new AttrSpec<>("udp6ZeroCsumTx", IFLA_VXLAN_UDP_ZERO_CSUM6_TX, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> UDP6_ZERO_CSUM_RX = new AttrSpec<>("udp6ZeroCsumRx", IFLA_VXLAN_UDP_ZERO_CSUM6_RX, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> REMCSUM_TX = new AttrSpec<>("remcsumTx", IFLA_VXLAN_REMCSUM_TX, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Boolean> REMCSUM_RX = new AttrSpec<>("remcsumRx", IFLA_VXLAN_REMCSUM_RX, AttrCodec.U8_BOOL, false, null);
    static final AttrSpec<Long> AGEING = new AttrSpec<>("ageing", IFLA_VXLAN_AGEING, AGEING_CODEC, true, null);
    static final AttrSpec<Long> LIMIT = new AttrSpec<>("limit", IFLA_VXLAN_LIMIT, AttrCodec.U32_LONG, false, null);
    static final AttrSpec<Integer> TOS = new AttrSpec<>("tos", IFLA_VXLAN_TOS, AttrCodec.U8, true, null);
    static final AttrSpec<Integer> TTL = new AttrSpec<>("ttl", IFLA_VXLAN_TTL, AttrCodec.U8, true, null);
    static final AttrSpec<VxlanDf> DF = new AttrSpec<>("df", IFLA_VXLAN_DF, DF_CODEC, true, null);
    static final AttrSpec<Integer> LABEL = new AttrSpec<>("label", IFLA_VXLAN_LABEL, AttrCodec.BE32, true, null);
    static final AttrSpec<Boolean> TTL_INHERIT = new AttrSpec<>("ttlInherit", IFLA_VXLAN_TTL_INHERIT, FLAG_OR_U8, false, Boolean.FALSE);
    static final AttrSpec<Boolean> GBP = new AttrSpec<>("gbp", IFLA_VXLAN_GBP, AttrCodec.FLAG, false, Boolean.FALSE);
    static final AttrSpec<Boolean> GPE = new AttrSpec<>("gpe", IFLA_VXLAN_GPE, AttrCodec.FLAG, false, Boolean.FALSE);
    static final AttrSpec<Boolean> REMCSUM_NOPARTIAL = new AttrSpec<>("remcsumNoPartial", IFLA_VXLAN_REMCSUM_NOPARTIAL, AttrCodec.FLAG, false, Boolean.FALSE);
    static final AttrSpec<Boolean> EXTERNAL = new AttrSpec<>("external", IFLA_VXLAN_COLLECT_METADATA, AttrCodec.U8_BOOL, false, Boolean.FALSE);
    static final AttrSpec<Boolean> VNIFILTER = new AttrSpec<>("vnifilter", IFLA_VXLAN_VNIFILTER, AttrCodec.U8_BOOL, false, Boolean.FALSE);
    static final AttrSpec<Integer> VNI = new AttrSpec<>("vni", IFLA_VXLAN_ID, AttrCodec.U32, false, null);
    static final AttrSpec<Inet4Address> LOCAL = new AttrSpec<>("local", IFLA_VXLAN_LOCAL, AttrCodec.IN4, true, null);
    static final AttrSpec<Inet6Address> LOCAL6 = new AttrSpec<>("local6", IFLA_VXLAN_LOCAL6, AttrCodec.IN6, true, null);
    static final AttrSpec<Inet4Address> GROUP = new AttrSpec<>("group", IFLA_VXLAN_GROUP, AttrCodec.IN4, true, null);
    static final AttrSpec<Inet6Address> GROUP6 = new AttrSpec<>("group6", IFLA_VXLAN_GROUP6, AttrCodec.IN6, true, null);
    static final AttrSpec<Boolean> LEARNING = new AttrSpec<>("learning", IFLA_VXLAN_LEARNING, AttrCodec.U8_BOOL, true, null);
    static final AttrSpec<Boolean> LOCALBYPASS = new AttrSpec<>("localbypass", IFLA_VXLAN_LOCALBYPASS, AttrCodec.U8_BOOL, true, null);
    static final AttrSpec<VxlanLabelPolicy> LABEL_POLICY = new AttrSpec<>("labelPolicy", IFLA_VXLAN_LABEL_POLICY, LABEL_POLICY_CODEC, true, null);
    static final AttrSpec<Long> RESERVED_BITS = new AttrSpec<>("reservedBits", IFLA_VXLAN_RESERVED_BITS, BE64, false, null);
    static final AttrSpec<Boolean> MC_ROUTE = new AttrSpec<>("mcRoute", IFLA_VXLAN_MC_ROUTE, AttrCodec.U8_BOOL, true, null);
    static final AttrSpec<Integer> DST_PORT = new AttrSpec<>("dstPort", IFLA_VXLAN_PORT, AttrCodec.BE16, false, null);

    private static final List<AttrSpec<?>> SPECS = List.of(
            DEVICE,
            SRC_PORT_RANGE,
            PROXY,
            RSC,
            L2MISS,
            L3MISS,
            UDP_CSUM,
            UDP6_ZERO_CSUM_TX,
            UDP6_ZERO_CSUM_RX,
            REMCSUM_TX,
            REMCSUM_RX,
            AGEING,
            LIMIT,
            TOS,
            TTL,
            DF,
            LABEL,
            TTL_INHERIT,
            GBP,
            GPE,
            REMCSUM_NOPARTIAL,
            EXTERNAL,
            VNIFILTER,
            VNI,
            LOCAL,
            LOCAL6,
            GROUP,
            GROUP6,
            LEARNING,
            DST_PORT,
            LOCALBYPASS,
            LABEL_POLICY,
            RESERVED_BITS,
            MC_ROUTE);

    /** The kernel (6.18) accepts IFLA_VXLAN_MC_ROUTE but leaves it out of vxlan_fill_info. */
    private static final java.util.Set<AttrSpec<?>> UNREPORTED = java.util.Set.of(MC_ROUTE);

    /** ip-link(8)'s vxlan words where they differ from the field name in lower case. */
    private static final java.util.Map<String, String> IP_WORDS = java.util.Map.of(
            "vni", "id", "device", "dev", "local6", "local", "group6", "group", "srcPortRange", "srcport",
            "limit", "maxaddress", "label", "flowlabel");

    /** ip's order: identity and endpoints first (id, group/remote, local, dev, ports), then the rest. */
    private static final List<AttrSpec<?>> DESCRIBE_ORDER;

    static {
        List<AttrSpec<?>> first = List.of(VNI, GROUP, GROUP6, LOCAL, LOCAL6, DEVICE, DST_PORT, SRC_PORT_RANGE);
        List<AttrSpec<?>> all = new java.util.ArrayList<>(first);
        for (AttrSpec<?> s : SPECS) {
            if (!first.contains(s)) {
                all.add(s);
            }
        }
        DESCRIBE_ORDER = List.copyOf(all);
    }

    private VxlanCodec() {}

    @Override
    List<AttrSpec<?>> describeOrder() {
        return DESCRIBE_ORDER;
    }

    /**
     * ip-link(8)'s vxlan syntax: {@code id 42 dstport 4789 group 239.1.1.1 dev eth1},
     * {@code remote} for a unicast group, {@code nolearning}/{@code noudpcsum} for
     * options that are off, flags the kernel leaves out (gbp, external...) only when on.
     */
    @Override
    void describeField(AttrSpec<?> spec, Object value, StringBuilder sb) {
        String word = IP_WORDS.getOrDefault(spec.name(), spec.name().toLowerCase(java.util.Locale.ROOT));
        if (value instanceof java.net.InetAddress a && (spec == GROUP || spec == GROUP6)) {
            word = a.isMulticastAddress() ? "group" : "remote";
        }
        if (spec == TTL_INHERIT) {
            if (Boolean.TRUE.equals(value)) {
                sb.append(" ttl inherit");
            }
        } else if (value instanceof Boolean on) {
            if (on) {
                sb.append(' ').append(word);
            } else if (spec.absentIs() == null) {
                sb.append(" no").append(word);
            }
        } else if (spec == DF) {
            sb.append(" df ").append(IpText.value(value));
        } else {
            sb.append(' ').append(word).append(' ').append(IpText.value(value));
        }
    }

    @Override
    String kind() {
        return "vxlan";
    }

    @Override
    List<AttrSpec<?>> specs() {
        return SPECS;
    }

    @Override
    java.util.Set<AttrSpec<?>> comparedOnlyWhenReported() {
        return UNREPORTED;
    }

    @Override
    Link.Builder<?, ?> newBuilder() {
        return Vxlan.decoding();
    }
}
