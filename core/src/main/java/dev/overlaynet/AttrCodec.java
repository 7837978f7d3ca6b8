package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;

/**
 * How one attribute's payload is written and read: the wire type of an
 * {@link AttrSpec}. One instance per wire shape, shared by every kind.
 */
interface AttrCodec<T> {
    void write(MessageWriter w, int type, T value, NameResolver names) throws NetlinkException;

    T read(AttrReader a, NameResolver names);

    /**
     * Whether {@code have}, as the kernel reports it, is what asking for
     * {@code want} gives: equality, except where the kernel stores the value
     * at a coarser resolution than the wire carries.
     */
    default boolean same(T want, T have) {
        return want.equals(have);
    }

    /**
     * The bridge stores clock_t values as jiffies: clock_t_to_jiffies and back
     * round down, so at HZ=250 4.51 s reads back as 4.50 s. Any HZ loses less
     * than one clock_t tick (10 ms), and never rounds up.
     */
    static boolean sameAtJiffies(Duration want, Duration have) {
        return have != null && have.compareTo(want) <= 0 && want.minus(have).toMillis() <= 10;
    }

    /** A u8 used as a boolean (0/1); always sent, so false is sent too. */
    AttrCodec<Boolean> U8_BOOL = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Boolean v, NameResolver n) {
            w.u8(type, v ? 1 : 0);
        }

        public Boolean read(AttrReader a, NameResolver n) {
            return a.u8() != 0;
        }
    };

    /** A u32 used as a boolean (IFLA_BR_STP_STATE). */
    AttrCodec<Boolean> U32_BOOL = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Boolean v, NameResolver n) {
            w.u32(type, v ? 1 : 0);
        }

        public Boolean read(AttrReader a, NameResolver n) {
            return a.u32() != 0;
        }
    };

    /**
     * A NLA_FLAG: present means true. Only true can be sent; the kernel reports
     * false by leaving the attribute out, which {@link AttrValues} decodes as
     * false for flags the kind declares as "absent means false".
     */
    AttrCodec<Boolean> FLAG = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Boolean v, NameResolver n) {
            if (v) {
                w.flag(type);
            }
        }

        public Boolean read(AttrReader a, NameResolver n) {
            return true;
        }
    };

    AttrCodec<Integer> U8 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Integer v, NameResolver n) {
            w.u8(type, v);
        }

        public Integer read(AttrReader a, NameResolver n) {
            return a.u8();
        }
    };

    AttrCodec<Integer> U16 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Integer v, NameResolver n) {
            w.u16(type, v);
        }

        public Integer read(AttrReader a, NameResolver n) {
            return a.u16();
        }
    };

    AttrCodec<Integer> BE16 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Integer v, NameResolver n) {
            w.be16(type, v);
        }

        public Integer read(AttrReader a, NameResolver n) {
            return a.be16();
        }
    };

    AttrCodec<Integer> U32 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Integer v, NameResolver n) {
            w.u32(type, v);
        }

        public Integer read(AttrReader a, NameResolver n) {
            return a.u32();
        }
    };

    /**
     * A u32 over its whole range, 0..4294967295, as a Long (IFLA_VXLAN_AGEING,
     * IFLA_VXLAN_LIMIT): an Integer would read 2^31 and above as negative.
     * The value is range-checked by the builder before it gets here.
     */
    AttrCodec<Long> U32_LONG = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Long v, NameResolver n) {
            w.u32(type, (int) (long) v);
        }

        public Long read(AttrReader a, NameResolver n) {
            return Integer.toUnsignedLong(a.u32());
        }
    };

    /** A be32 (IFLA_VXLAN_LABEL, the IPv6 flow label). */
    AttrCodec<Integer> BE32 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Integer v, NameResolver n) {
            w.be32(type, v);
        }

        public Integer read(AttrReader a, NameResolver n) {
            return a.be32();
        }
    };

    /** A u32 in clock_t (centiseconds, USER_HZ = 100), as the bridge's *_TIME attributes are. */
    AttrCodec<Duration> CENTISECONDS32 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Duration v, NameResolver n) {
            w.u32(type, (int) (v.toMillis() / 10));
        }

        public Duration read(AttrReader a, NameResolver n) {
            return Duration.ofMillis(Integer.toUnsignedLong(a.u32()) * 10);
        }

        @Override
        public boolean same(Duration want, Duration have) {
            return AttrCodec.sameAtJiffies(want, have);
        }
    };

    /** A u64 in centiseconds (the bridge's multicast intervals). */
    AttrCodec<Duration> CENTISECONDS64 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Duration v, NameResolver n) {
            w.u64(type, v.toMillis() / 10);
        }

        public Duration read(AttrReader a, NameResolver n) {
            return Duration.ofMillis(a.u64() * 10);
        }

        @Override
        public boolean same(Duration want, Duration have) {
            return AttrCodec.sameAtJiffies(want, have);
        }
    };

    AttrCodec<Inet4Address> IN4 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Inet4Address v, NameResolver n) {
            w.bytes(type, v.getAddress());
        }

        public Inet4Address read(AttrReader a, NameResolver n) {
            InetAddress x = a.inetAddress();
            return x instanceof Inet4Address v4 ? v4 : null;
        }
    };

    AttrCodec<Inet6Address> IN6 = new AttrCodec<>() {
        public void write(MessageWriter w, int type, Inet6Address v, NameResolver n) {
            w.bytes(type, v.getAddress());
        }

        public Inet6Address read(AttrReader a, NameResolver n) {
            InetAddress x = a.inetAddress();
            return x instanceof Inet6Address v6 ? v6 : null;
        }
    };

    AttrCodec<MacAddress> MAC = new AttrCodec<>() {
        public void write(MessageWriter w, int type, MacAddress v, NameResolver n) {
            w.bytes(type, v.bytesUnsafe());
        }

        public MacAddress read(AttrReader a, NameResolver n) {
            byte[] b = a.bytes();
            return b.length == 6 ? MacAddress.of(b) : null;
        }
    };

    /** A u32 ifindex given and read as a link name. */
    AttrCodec<String> LINK_REF = new AttrCodec<>() {
        public void write(MessageWriter w, int type, String v, NameResolver n) throws NetlinkException {
            w.u32(type, n.ifindex(v));
        }

        public String read(AttrReader a, NameResolver n) {
            int index = a.u32();
            if (index == 0) {
                return null;
            }
            String name = n.name(index);
            return name != null ? name : "if" + Integer.toUnsignedString(index);
        }
    };

    /** struct ifla_vxlan_port_range: two be16. */
    AttrCodec<PortRange> PORT_RANGE = new AttrCodec<>() {
        public void write(MessageWriter w, int type, PortRange v, NameResolver n) {
            byte[] b = {(byte) (v.low() >>> 8), (byte) v.low(), (byte) (v.high() >>> 8), (byte) v.high()};
            w.bytes(type, b);
        }

        public PortRange read(AttrReader a, NameResolver n) {
            byte[] b = a.bytes();
            if (b.length < 4) {
                return null;
            }
            return new PortRange(((b[0] & 0xff) << 8) | (b[1] & 0xff), ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
    };
}
