package dev.overlaynet;

import dev.overlaynet.netlink.codec.AttrReader;
import dev.overlaynet.netlink.codec.MessageReader;
import dev.overlaynet.netlink.codec.MessageWriter;
import dev.overlaynet.netlink.route.AddressFamily;
import dev.overlaynet.netlink.route.Nda;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * AF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH encoding and decoding of
 * {@link Fdb}, in {@code bridge fdb}'s attribute order: LLADDR, DST, VLAN,
 * PORT, VNI, SRC_VNI. Writes cached bytes straight into the writer so bulk
 * programming allocates nothing per entry.
 */
final class FdbCodec {
    static final int NDMSG_LEN = 12;

    private FdbCodec() {}

    static void encode(MessageWriter w, int type, int nlFlags, Fdb f, int ifindex) {
        int m = w.begin(type, nlFlags);
        w.ndmsg(AddressFamily.AF_BRIDGE, ifindex, f.stateBits, f.flagBits, 0);
        w.bytes(Nda.NDA_LLADDR, f.mac().bytesUnsafe());
        if (f.dstBytes != null) {
            w.bytes(Nda.NDA_DST, f.dstBytes);
        }
        if (f.vlan() != null) {
            w.u16(Nda.NDA_VLAN, f.vlan());
        }
        if (f.port() != null) {
            w.be16(Nda.NDA_PORT, f.port());
        }
        if (f.vni() != null) {
            w.u32(Nda.NDA_VNI, f.vni());
        }
        if (f.srcVni() != null) {
            w.u32(Nda.NDA_SRC_VNI, f.srcVni());
        }
        w.end(m);
    }

    /** Decodes an AF_BRIDGE RTM_NEWNEIGH; null for other families or without a 6-byte NDA_LLADDR. */
    static Fdb decode(MessageReader m, IntFunction<String> names, AttrReader a) {
        m.requireHeader(NDMSG_LEN);
        if (m.u8(0) != AddressFamily.AF_BRIDGE) {
            return null;
        }
        int index = m.i32(4);
        int state = m.u16(8);
        int flags = m.u8(10);
        MacAddress mac = null;
        InetAddress dst = null;
        Integer vlan = null;
        Integer port = null;
        Integer vni = null;
        Integer srcVni = null;
        Integer master = null;
        Map<Integer, byte[]> unknown = null;
        m.attrs(NDMSG_LEN, a);
        while (a.next()) {
            switch (a.type()) {
                case Nda.NDA_LLADDR -> {
                    if (a.payloadLength() == 6) {
                        mac = MacAddress.wrap(a.bytes());
                    } else {
                        unknown = Attrs.keep(unknown, a);
                    }
                }
                case Nda.NDA_DST -> dst = a.inetAddress();
                case Nda.NDA_VLAN -> vlan = a.u16();
                case Nda.NDA_PORT -> port = a.be16();
                case Nda.NDA_VNI -> vni = a.u32();
                case Nda.NDA_SRC_VNI -> srcVni = a.u32();
                case Nda.NDA_MASTER -> master = a.u32();
                default -> unknown = Attrs.keep(unknown, a);
            }
        }
        if (mac == null) {
            return null;
        }
        return Fdb.builder()
                .dev(names.apply(index))
                .index(index)
                .mac(mac)
                .dst(dst)
                .vlan(vlan)
                .port(port)
                .vni(vni)
                .srcVni(srcVni)
                .master(master)
                .flags(NeighFlag.fromBits(flags))
                .state(FdbState.fromBits(state))
                .unknown(unknown)
                .buildDecoded();
    }
}
