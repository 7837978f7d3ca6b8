package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Nda;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * AF_BRIDGE RTM_NEWNEIGH / RTM_DELNEIGH encoding and decoding of
 * {@link FdbEntry}, in {@code bridge fdb}'s attribute order: LLADDR, DST, VLAN,
 * PORT, VNI, SRC_VNI. Writes cached bytes straight into the writer so bulk
 * programming allocates nothing per entry.
 */
final class FdbCodec {
    static final int NDMSG_LEN = 12;

    private FdbCodec() {}

    static void encode(MessageWriter w, int type, int nlFlags, FdbEntry f, int ifindex) {
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

    /**
     * The bridge reports its own entries with ndm_flags 0 and NDA_MASTER set
     * (bridge(8) prints "master br0" from that); report them as
     * {@link NeighbourFlag#MASTER} so a decoded entry says where it lives and can
     * be deleted as it is.
     */
    static int masterOwned(int flags, Integer master) {
        if (master != null && (flags & (NeighbourFlag.SELF.bit() | NeighbourFlag.MASTER.bit())) == 0) {
            return flags | NeighbourFlag.MASTER.bit();
        }
        return flags;
    }

    /**
     * Appends an RTM_GETNEIGH for one entry of the device's own table
     * ({@code bridge fdb get MAC dev DEV self}): NDA_LLADDR, and NDA_VNI when
     * given; the header carries only the device and NTF_SELF, as strict
     * checking requires (valid_fdb_get_strict).
     */
    static void encodeGet(MessageWriter w, MacAddress mac, int ifindex, Integer vni) {
        int m = w.begin(RtNetlink.RTM_GETNEIGH, 0);
        w.ndmsg(AddressFamily.AF_BRIDGE, ifindex, 0, Nda.NTF_SELF, 0);
        w.bytes(Nda.NDA_LLADDR, mac.bytesUnsafe());
        if (vni != null) {
            w.u32(Nda.NDA_VNI, vni);
        }
        w.end(m);
    }

    /**
     * Appends the bulk RTM_DELNEIGH of {@code bridge fdb flush}: NLM_F_BULK,
     * the filters as attributes in iproute2's order (IFINDEX, VLAN, SRC_VNI,
     * NH_ID, VNI, PORT, DST, NDM_FLAGS_MASK, NDM_STATE_MASK), no NDA_LLADDR
     * (the kernel refuses one in a bulk delete).
     */
    static void encodeFlush(MessageWriter w, FdbFlush f, int ifindex, int brport) {
        int m = w.begin(RtNetlink.RTM_DELNEIGH, dev.overlaynet.netlink.internal.codec.Nlmsg.NLM_F_BULK);
        int target = (f.self() ? Nda.NTF_SELF : 0) | (f.master() ? Nda.NTF_MASTER : 0);
        w.ndmsg(AddressFamily.AF_BRIDGE, ifindex, f.state, target | f.flags, 0);
        if (brport != 0) {
            w.u32(Nda.NDA_IFINDEX, brport);
        }
        if (f.vlan() != null) {
            w.u16(Nda.NDA_VLAN, f.vlan());
        }
        if (f.srcVni() != null) {
            w.u32(Nda.NDA_SRC_VNI, f.srcVni());
        }
        if (f.nhid() != null) {
            w.u32(Nda.NDA_NH_ID, (int) (long) f.nhid());
        }
        if (f.vni() != null) {
            w.u32(Nda.NDA_VNI, f.vni());
        }
        if (f.port() != null) {
            w.be16(Nda.NDA_PORT, f.port());
        }
        if (f.dst() != null) {
            w.bytes(Nda.NDA_DST, f.dst().getAddress());
        }
        if (f.flagsMask != 0) {
            w.u8(Nda.NDA_NDM_FLAGS_MASK, f.flagsMask);
        }
        if (f.stateMask != 0) {
            w.u16(Nda.NDA_NDM_STATE_MASK, f.stateMask);
        }
        w.end(m);
    }

    /**
     * Appends the RTM_GETNEIGH of {@code bridge fdb get MAC br BR | brport P
     * [vlan V]}: the port (or 0) in ndm_ifindex, no NTF_SELF/MASTER, then
     * NDA_LLADDR, NDA_VLAN and NDA_MASTER (the bridge) as iproute2 orders them.
     */
    static void encodeGetInBridge(MessageWriter w, MacAddress mac, int port, int bridge, Integer vlan) {
        int m = w.begin(RtNetlink.RTM_GETNEIGH, 0);
        w.ndmsg(AddressFamily.AF_BRIDGE, port, 0, 0, 0);
        w.bytes(Nda.NDA_LLADDR, mac.bytesUnsafe());
        if (vlan != null) {
            w.u16(Nda.NDA_VLAN, vlan);
        }
        if (bridge != 0) {
            w.u32(Nda.NDA_MASTER, bridge);
        }
        w.end(m);
    }

    /** Appends the AF_BRIDGE RTM_GETNEIGH dump request; 0 means no filter. */
    static void encodeDump(MessageWriter w, int brport, int master) {
        int m = w.begin(dev.overlaynet.netlink.internal.uapi.RtNetlink.RTM_GETNEIGH, dev.overlaynet.netlink.internal.codec.Nlmsg.NLM_F_DUMP);
        // What `bridge fdb show dev X` / `br B` send: the port in ndm_ifindex, the bridge in
        // NDA_MASTER (the kernel's valid_fdb_dump_strict accepts both).
        w.ndmsg(AddressFamily.AF_BRIDGE, brport, 0, 0, 0);
        if (master != 0) {
            w.u32(Nda.NDA_MASTER, master);
        }
        w.end(m);
    }

    /** Decodes an AF_BRIDGE RTM_NEWNEIGH; null for other families or without a 6-byte NDA_LLADDR. */
    static FdbEntry decode(MessageReader m, IntFunction<String> names, AttrReader a) {
        try {
            return decodeFields(m, names, a);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWNEIGH (FDB)", e);
        }
    }

    private static FdbEntry decodeFields(MessageReader m, IntFunction<String> names, AttrReader a) {
        m.requireHeader(NDMSG_LEN);
        if (m.u8(0) != AddressFamily.AF_BRIDGE) {
            return null;
        }
        int index = m.i32(4);
        int state = m.u16(8);
        int flags = m.u8(10);
        MacAddress mac = null;
        byte[] dst = null;
        Integer vlan = null;
        Integer port = null;
        Integer vni = null;
        Integer srcVni = null;
        Integer master = null;
        Map<Integer, byte[]> unknown = null;
        m.attrs(NDMSG_LEN, a);
        int end = m.offset() + m.length();
        while (a.next()) {
            switch (a.type()) {
                case Nda.NDA_LLADDR -> {
                    if (a.payloadLength() == 6) {
                        mac = MacAddress.wrap(a.bytes());
                    } else {
                        unknown = Attrs.keep(unknown, a, end - a.offset());
                    }
                }
                case Nda.NDA_DST -> dst = a.addressBytes();
                case Nda.NDA_VLAN -> vlan = a.u16();
                case Nda.NDA_PORT -> port = a.be16();
                case Nda.NDA_VNI -> vni = a.u32();
                case Nda.NDA_SRC_VNI -> srcVni = a.u32();
                case Nda.NDA_MASTER -> master = a.u32();
                // Sized to the rest of the message (CACHEINFO comes last): the accumulator never grows.
                default -> unknown = Attrs.keep(unknown, a, end - a.offset());
            }
        }
        if (mac == null) {
            return null;
        }
        return new FdbEntry(names.apply(index), index, mac, dst, vlan, port, vni, srcVni, master,
                masterOwned(flags, master), FdbEntryState.fromBits(state), unknown);
    }
}
