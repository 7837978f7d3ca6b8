package dev.overlaynet;

import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.NetlinkDecodeException;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifa;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.net.InetAddress;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * RTM_NEWADDR / RTM_DELADDR encoding and decoding of {@link Address}.
 * Attribute order follows iproute2's {@code ip addr add} so requests are
 * byte-for-byte what it sends: LOCAL, [peer ADDRESS], BROADCAST, LABEL,
 * FLAGS, ADDRESS (= local when no peer), CACHEINFO.
 */
final class AddressCodec {
    static final int IFADDRMSG_LEN = 8;

    private AddressCodec() {}

    /** Appends one RTM_NEWADDR or RTM_DELADDR for {@code a} on {@code ifindex}. */
    static void encode(MessageWriter w, int type, int nlFlags, Address a, int ifindex) {
        boolean del = type == RtNetlink.RTM_DELADDR;
        int family = a.isV4() ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
        int flags = del ? 0 : AddressFlag.toBits(a.flags());
        int scope = del || a.scope() == null ? 0 : a.scope().value();
        int m = w.begin(type, nlFlags);
        // Like iproute2: flags that fit the 8-bit header field go there, larger ones in IFA_FLAGS.
        w.ifaddrmsg(family, a.prefix().length(), flags <= 0xff ? flags : 0, scope, ifindex);
        w.bytes(Ifa.IFA_LOCAL, a.localBytes);
        if (a.peerBytes != null) {
            w.bytes(Ifa.IFA_ADDRESS, a.peerBytes);
        }
        if (!del) {
            if (a.broadcastBytes != null) {
                w.bytes(Ifa.IFA_BROADCAST, a.broadcastBytes);
            }
            if (a.label() != null) {
                w.string(Ifa.IFA_LABEL, a.label());
            }
            if (flags > 0xff) {
                w.u32(Ifa.IFA_FLAGS, flags);
            }
        }
        if (a.peerBytes == null) {
            w.bytes(Ifa.IFA_ADDRESS, a.localBytes);
        }
        if (!del && (a.validLifetime() != null || a.preferredLifetime() != null)) {
            long valid = a.validLifetime() == null ? Address.FOREVER : a.validLifetime();
            long preferred = a.preferredLifetime() == null ? Address.FOREVER : a.preferredLifetime();
            // struct ifa_cacheinfo { ifa_prefered; ifa_valid; cstamp; tstamp; }
            byte[] ci = new byte[16];
            java.nio.ByteBuffer.wrap(ci).order(java.nio.ByteOrder.nativeOrder())
                    .putInt(0, (int) preferred).putInt(4, (int) valid);
            w.bytes(Ifa.IFA_CACHEINFO, ci);
        }
        w.end(m);
    }

    /** Appends the RTM_GETADDR dump request; {@code ifindex} 0 for every link. */
    static void encodeDump(MessageWriter w, int ifindex) {
        int m = w.begin(RtNetlink.RTM_GETADDR, dev.overlaynet.netlink.internal.codec.Nlmsg.NLM_F_DUMP);
        // Strict checking lets the kernel filter by ifa_index, as `ip addr show dev X` asks.
        w.ifaddrmsg(AddressFamily.AF_UNSPEC, 0, 0, 0, ifindex).end(m);
    }

    /**
     * Decodes an RTM_NEWADDR; {@code names} maps an ifindex to its link name
     * (may return null). Returns null for families other than IPv4/IPv6.
     */
    static Address decode(MessageReader m, IntFunction<String> names, AttrReader a) {
        try {
            return decodeFields(m, names, a);
        } catch (IllegalArgumentException e) {
            throw Malformed.message(m, "RTM_NEWADDR", e);
        }
    }

    private static Address decodeFields(MessageReader m, IntFunction<String> names, AttrReader a) {
        m.requireHeader(IFADDRMSG_LEN);
        int family = m.u8(0);
        if (family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6) {
            return null;
        }
        int prefixLen = m.u8(1);
        int flags = m.u8(2);
        int scope = m.u8(3);
        int index = m.i32(4);
        InetAddress local = null;
        InetAddress address = null;
        InetAddress broadcast = null;
        String label = null;
        Long valid = null;
        Long preferred = null;
        Map<Integer, byte[]> unknown = null;
        m.attrs(IFADDRMSG_LEN, a);
        while (a.next()) {
            switch (a.type()) {
                case Ifa.IFA_LOCAL -> local = a.inetAddress();
                case Ifa.IFA_ADDRESS -> address = a.inetAddress();
                case Ifa.IFA_BROADCAST -> broadcast = a.inetAddress();
                case Ifa.IFA_LABEL -> label = a.string();
                case Ifa.IFA_FLAGS -> flags = a.u32();
                case Ifa.IFA_CACHEINFO -> {
                    if (a.payloadLength() < 8) {
                        throw new NetlinkDecodeException(a.offset(), "IFA_CACHEINFO has " + a.payloadLength() + " bytes; expected 16");
                    }
                    int at = a.payloadOffset();
                    preferred = Integer.toUnsignedLong(m.buffer().getInt(at));
                    valid = Integer.toUnsignedLong(m.buffer().getInt(at + 4));
                }
                default -> unknown = Attrs.keep(unknown, a);
            }
        }
        if (local == null && address == null) {
            throw new NetlinkDecodeException(m.offset(), "RTM_NEWADDR without IFA_LOCAL or IFA_ADDRESS");
        }
        InetAddress mine = local != null ? local : address;
        InetAddress peer = local != null && address != null && !address.equals(local) ? address : null;
        // Forever/forever is what the kernel reports when no lifetime was set: decode it as unset.
        if (valid != null && valid == Address.FOREVER && preferred != null && preferred == Address.FOREVER) {
            valid = null;
            preferred = null;
        }
        return Address.builder()
                .link(names.apply(index))
                .index(index)
                .prefix(IpPrefix.of(mine, prefixLen))
                .peer(peer)
                .broadcast(broadcast)
                .label(label)
                .scope(Scope.of(scope))
                .flags(AddressFlag.fromBits(flags))
                .validLifetime(valid)
                .preferredLifetime(preferred)
                .unknown(unknown)
                .buildDecoded();
    }
}
