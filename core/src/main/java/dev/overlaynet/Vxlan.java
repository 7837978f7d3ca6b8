package dev.overlaynet;

import static dev.overlaynet.VxlanCodec.*;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A VXLAN device (kind {@code vxlan}) with every IFLA_VXLAN_* attribute.
 *
 * <p>Every option is tri-state: left unset it is not sent and the kernel
 * keeps its default (so, unlike some libraries, learning is never silently
 * switched off). Two defaults are ours: {@link Builder#dstPort} is 4789 (the
 * IANA port) unless set, because the kernel's own default is the legacy Linux
 * port 8472, which does not interoperate with other VTEPs; call
 * {@code dstPort(8472)} to keep the kernel's.
 *
 * <p>{@code group} (multicast, needs {@code device}) and {@code remote}
 * (unicast) are the same kernel attribute (IFLA_VXLAN_GROUP or _GROUP6 by
 * family); {@link #group()} and {@link #remote()} tell them apart by address.
 *
 * <pre>{@code
 * Vxlan vx = Vxlan.builder().name("vxlan0").vni(42)
 *         .group("239.1.1.1").device("eth1").ttl(5).build();   // dstPort 4789
 * nl.links().add(vx);
 * Vxlan unicast = vx.toBuilder().name("vxlan1").vni(43).group((String) null)
 *         .remote("172.16.1.12").learning(false).build();
 * }</pre>
 */
public final class Vxlan extends Link {
    /** The IANA VXLAN port (RFC 7348), this builder's default dstPort. */
    public static final int IANA_PORT = 4789;
    /** The port the kernel uses when none is sent (pre-IANA Linux default). */
    public static final int KERNEL_DEFAULT_PORT = 8472;
    /** Largest 24-bit VNI. */
    public static final int MAX_VNI = 0xFFFFFF;
    /** The I flag (VXLAN_HF_VNI) and the 24 VNI bits: never reserved. */
    static final long RESERVED_BITS_FORBIDDEN = 0x08000000_FFFFFF00L;

    private Vxlan(Builder b) {
        super(b);
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder(true);
    }

    /** A builder without our defaults, for decoding what the kernel reports. */
    static Builder decoding() {
        return new Builder(false);
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String kind() {
        return "vxlan";
    }

    @Override
    LinkKind kindCodec() {
        return VxlanCodec.INSTANCE;
    }

    /** {@return the VXLAN network identifier (IFLA_VXLAN_ID); 0 on an external (metadata) device} */
    public Integer vni() {
        return data.get(VNI);
    }

    /** {@return the multicast group (IPv4 or IPv6), or null when the remote is unicast or unset} */
    public InetAddress group() {
        InetAddress a = groupOrRemote();
        return a != null && a.isMulticastAddress() ? a : null;
    }

    /** {@return the unicast remote VTEP, or null when a multicast group or nothing is set} */
    public InetAddress remote() {
        InetAddress a = groupOrRemote();
        return a != null && !a.isMulticastAddress() ? a : null;
    }

    private InetAddress groupOrRemote() {
        Inet4Address g = data.get(GROUP);
        return g != null ? g : data.get(GROUP6);
    }

    /** {@return the local (source) address, IPv4 or IPv6} */
    public InetAddress local() {
        Inet4Address l = data.get(LOCAL);
        return l != null ? l : data.get(LOCAL6);
    }

    /** {@return the underlay device's name (IFLA_VXLAN_LINK)} */
    public String device() {
        return data.get(DEVICE);
    }

    /** {@return UDP destination port (IFLA_VXLAN_PORT)} */
    public Integer dstPort() {
        return data.get(DST_PORT);
    }

    /** {@return UDP source port range (IFLA_VXLAN_PORT_RANGE); the kernel reports 0-0 for its default} */
    public PortRange srcPortRange() {
        return data.get(SRC_PORT_RANGE);
    }

    /** {@return outer TTL; 0 means "use the route's"} */
    public Integer ttl() {
        return data.get(TTL);
    }

    /** {@return copy the inner TTL to the outer header (IFLA_VXLAN_TTL_INHERIT)} */
    public Boolean ttlInherit() {
        return data.get(TTL_INHERIT);
    }

    /** {@return outer TOS; 1 means inherit} */
    public Integer tos() {
        return data.get(TOS);
    }

    /** {@return how the outer IPv4 header's DF bit is set (IFLA_VXLAN_DF), or null when unset} */
    public VxlanDf df() {
        return data.get(DF);
    }

    /** {@return IPv6 flow label (20 bits; IPv6 VXLAN only)} */
    public Integer label() {
        return data.get(LABEL);
    }

    /** {@return learn remote MACs from received packets (IFLA_VXLAN_LEARNING); kernel default on} */
    public Boolean learning() {
        return data.get(LEARNING);
    }

    /** {@return ARP/ND proxy (IFLA_VXLAN_PROXY)} */
    public Boolean proxy() {
        return data.get(PROXY);
    }

    /** {@return route short circuit (IFLA_VXLAN_RSC)} */
    public Boolean rsc() {
        return data.get(RSC);
    }

    /** {@return notify user space of L2 misses (IFLA_VXLAN_L2MISS)} */
    public Boolean l2miss() {
        return data.get(L2MISS);
    }

    /** {@return notify user space of L3 misses (IFLA_VXLAN_L3MISS)} */
    public Boolean l3miss() {
        return data.get(L3MISS);
    }

    /** {@return UDP checksum over IPv4 (IFLA_VXLAN_UDP_CSUM)} */
    public Boolean udpCsum() {
        return data.get(UDP_CSUM);
    }

    /** {@return send IPv6 packets with a zero UDP checksum (IFLA_VXLAN_UDP_ZERO_CSUM6_TX), or null when unset} */
    public Boolean udp6ZeroCsumTx() {
        return data.get(UDP6_ZERO_CSUM_TX);
    }

    /** {@return accept IPv6 packets with a zero UDP checksum (IFLA_VXLAN_UDP_ZERO_CSUM6_RX), or null when unset} */
    public Boolean udp6ZeroCsumRx() {
        return data.get(UDP6_ZERO_CSUM_RX);
    }

    /** {@return remote checksum offload on transmit (IFLA_VXLAN_REMCSUM_TX), or null when unset} */
    public Boolean remcsumTx() {
        return data.get(REMCSUM_TX);
    }

    /** {@return remote checksum offload on receive (IFLA_VXLAN_REMCSUM_RX), or null when unset} */
    public Boolean remcsumRx() {
        return data.get(REMCSUM_RX);
    }

    /** {@return remote checksum offload without partial checksums (IFLA_VXLAN_REMCSUM_NOPARTIAL), or null when unset} */
    public Boolean remcsumNoPartial() {
        return data.get(REMCSUM_NOPARTIAL);
    }

    /** {@return the Group Based Policy extension is on (IFLA_VXLAN_GBP)} */
    public Boolean gbp() {
        return data.get(GBP);
    }

    /** {@return the Generic Protocol Extension is on (IFLA_VXLAN_GPE)} */
    public Boolean gpe() {
        return data.get(GPE);
    }

    /** {@return collect metadata / external control plane (IFLA_VXLAN_COLLECT_METADATA)} */
    public Boolean external() {
        return data.get(EXTERNAL);
    }

    /** {@return per-VNI filtering on an external device (IFLA_VXLAN_VNIFILTER)} */
    public Boolean vnifilter() {
        return data.get(VNIFILTER);
    }

    /** {@return FDB entry lifetime in seconds (IFLA_VXLAN_AGEING, u32: 0..4294967295; the kernel stores 0 as 300)} */
    public Long ageing() {
        return data.get(AGEING);
    }

    /** {@return maximum number of FDB entries, 0 unlimited (IFLA_VXLAN_LIMIT, u32: 0..4294967295)} */
    public Long limit() {
        return data.get(LIMIT);
    }

    /**
     * Whether traffic to a local VTEP address skips the UDP stack
     * (IFLA_VXLAN_LOCALBYPASS, kernel 6.5+; the kernel defaults to true,
     * {@code nolocalbypass} is false).
     *
     * @return the setting, or null when unset
     */
    public Boolean localbypass() {
        return data.get(LOCALBYPASS);
    }

    /** {@return where the outer IPv6 flow label comes from (IFLA_VXLAN_LABEL_POLICY, kernel 6.10+)} */
    public VxlanLabelPolicy labelPolicy() {
        return data.get(LABEL_POLICY);
    }

    /**
     * The bits of the 8-byte VXLAN header this device treats as reserved: a
     * received packet with one of them set is dropped (IFLA_VXLAN_RESERVED_BITS,
     * kernel 6.14+). One big-endian 64-bit value: the flags word in the high
     * half, the VNI word in the low half. The kernel's default is every bit
     * but the I flag, the VNI and those of enabled extensions
     * ({@code 0xf7ffffff000000ffL} on a plain device); it can be set only at
     * creation, and the kernel refuses bits an enabled extension (gbp, gpe,
     * remcsum) uses. Kernel 6.18 puts them back to its default on any later
     * change of the link (it refuses the attribute on changelink and does
     * not keep the old value), so a device with custom reserved bits should
     * not be changed in place.
     *
     * @return the reserved-bits mask, or null when unset
     */
    public Long reservedBits() {
        return data.get(RESERVED_BITS);
    }

    /**
     * Whether underlay multicast is routed rather than sent out of
     * {@link #device()} (IFLA_VXLAN_MC_ROUTE, kernel 6.16+). The kernel accepts
     * it but does not report it in dumps, so a decoded link says null and
     * {@link #differences} does not compare it.
     *
     * @return the setting, or null when unset
     */
    public Boolean mcRoute() {
        return data.get(MC_ROUTE);
    }

    /** {@return VXLAN attributes the codec does not know (newer kernels), raw. Never sent} */
    public java.util.Map<Integer, byte[]> unknownDataAttributes() {
        return data.unknown();
    }

    /**
     * Builds a {@link Vxlan}. {@link #build()} checks: name, VNI 1..16777215
     * (unless external), group multicast and with a device, remote unicast,
     * local unicast and of the remote's family, ports 1..65535, ttl 0..255,
     * tos 0..255, label 0..0xFFFFF and only on IPv6, ageing and limit 0..4294967295.
     *
     * <pre>{@code
     * Vxlan.builder().name("vxlan0").vni(42).remote("172.16.1.12").learning(false).build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Vxlan, Builder> {
        private final boolean defaults;
        /** Which setter put the default destination: group and remote share IFLA_VXLAN_GROUP(6). */
        private boolean groupCalled;
        private boolean remoteCalled;

        private Builder(boolean defaults) {
            this.defaults = defaults;
        }

        private Builder(Vxlan v) {
            super(v);
            this.defaults = false;
        }

        /**
         * Sets {@link Vxlan#vni()}.
         *
         * @param vni the VXLAN network identifier (IFLA_VXLAN_ID); 0 on an external (metadata) device
         * @return this builder
         */
        public Builder vni(Integer vni) {
            return set(VNI, vni);
        }

        /**
         * Multicast group, IPv4 or IPv6 literal; needs {@link #device}. Null clears group and remote.
         *
         * @param group multicast group, IPv4 or IPv6 literal; needs {@link #device}. Null clears group and remote
         * @return this builder
         */
        public Builder group(String group) {
            return group(group == null ? null : Ip.parse("group", group));
        }

        /**
         * Sets {@link Vxlan#group()}.
         *
         * @param group the multicast group (IPv4 or IPv6), or null when the remote is unicast or unset
         * @return this builder
         */
        public Builder group(InetAddress group) {
            if (group != null && remoteCalled) {
                throw new IllegalArgumentException("group " + Ip.text(group) + " and remote " + Ip.text(groupOrRemoteValue())
                        + " exclude each other: a vxlan has one default destination; clear the remote with remote(null) first");
            }
            if (group != null && !group.isMulticastAddress()) {
                throw new IllegalArgumentException("group " + Ip.text(group)
                        + " is not a multicast address; a unicast VTEP is set with remote(...)");
            }
            groupCalled = group != null;
            remoteCalled = false;
            return groupOrRemote(group);
        }

        /**
         * Unicast remote VTEP, IPv4 or IPv6 literal. Null clears group and remote.
         *
         * @param remote unicast remote VTEP, IPv4 or IPv6 literal. Null clears group and remote
         * @return this builder
         */
        public Builder remote(String remote) {
            return remote(remote == null ? null : Ip.parse("remote", remote));
        }

        /**
         * Sets {@link Vxlan#remote()}.
         *
         * @param remote the unicast remote VTEP, or null when a multicast group or nothing is set
         * @return this builder
         */
        public Builder remote(InetAddress remote) {
            if (remote != null && remote.isMulticastAddress()) {
                throw new IllegalArgumentException("remote " + Ip.text(remote)
                        + " is a multicast address; a multicast group is set with group(...)");
            }
            if (remote != null && groupCalled) {
                // The kernel keeps one default destination (IFLA_VXLAN_GROUP): silently keeping only
                // the last call would drop the group the caller asked for.
                throw new IllegalArgumentException("remote " + Ip.text(remote) + " and group " + Ip.text(groupOrRemoteValue())
                        + " exclude each other: a vxlan has one default destination; clear the group with group(null) first");
            }
            remoteCalled = remote != null;
            groupCalled = false;
            return groupOrRemote(remote);
        }

        private InetAddress groupOrRemoteValue() {
            InetAddress g = data.get(GROUP);
            return g != null ? g : data.get(GROUP6);
        }

        private Builder groupOrRemote(InetAddress a) {
            set(GROUP, a instanceof Inet4Address v4 ? v4 : null);
            return set(GROUP6, a instanceof Inet6Address v6 ? v6 : null);
        }

        /**
         * Local source address, IPv4 or IPv6 literal.
         *
         * @param local local source address, IPv4 or IPv6 literal
         * @return this builder
         */
        public Builder local(String local) {
            return local(local == null ? null : Ip.parse("local", local));
        }

        /**
         * Sets {@link Vxlan#local()}.
         *
         * @param a the local (source) address, IPv4 or IPv6
         * @return this builder
         */
        public Builder local(InetAddress a) {
            set(LOCAL, a instanceof Inet4Address v4 ? v4 : null);
            return set(LOCAL6, a instanceof Inet6Address v6 ? v6 : null);
        }

        /**
         * Underlay device by name, resolved to its ifindex when the link is added.
         *
         * @param device underlay device by name, resolved to its ifindex when the link is added
         * @return this builder
         */
        public Builder device(String device) {
            return set(DEVICE, device);
        }

        /**
         * Sets {@link Vxlan#dstPort()}.
         *
         * @param port UDP destination port (IFLA_VXLAN_PORT)
         * @return this builder
         */
        public Builder dstPort(Integer port) {
            return set(DST_PORT, port);
        }

        /**
         * Sets {@link Vxlan#srcPortRange()}.
         *
         * @param range UDP source port range (IFLA_VXLAN_PORT_RANGE); the kernel reports 0-0 for its default
         * @return this builder
         */
        public Builder srcPortRange(PortRange range) {
            return set(SRC_PORT_RANGE, range);
        }

        /**
         * Sets {@link Vxlan#srcPortRange()} from its bounds.
         *
         * @param low the lowest UDP source port
         * @param high the highest UDP source port
         * @return this builder
         */
        public Builder srcPortRange(int low, int high) {
            return srcPortRange(new PortRange(low, high));
        }

        /**
         * Sets {@link Vxlan#ttl()}.
         *
         * @param ttl outer TTL; 0 means "use the route's"
         * @return this builder
         */
        public Builder ttl(Integer ttl) {
            return set(TTL, ttl);
        }

        /**
         * Only true can be sent (the attribute is a flag); false leaves the kernel default (off).
         *
         * @param v only true can be sent (the attribute is a flag); false leaves the kernel default (off)
         * @return this builder
         */
        public Builder ttlInherit(Boolean v) {
            return set(TTL_INHERIT, v);
        }

        /**
         * Sets {@link Vxlan#tos()}.
         *
         * @param tos outer TOS; 1 means inherit
         * @return this builder
         */
        public Builder tos(Integer tos) {
            return set(TOS, tos);
        }

        /**
         * Sets {@link Vxlan#df()}.
         *
         * @param df how the outer IPv4 header's DF bit is set (IFLA_VXLAN_DF); null leaves it unset
         * @return this builder
         */
        public Builder df(VxlanDf df) {
            return set(DF, df);
        }

        /**
         * Sets {@link Vxlan#label()}.
         *
         * @param label IPv6 flow label (20 bits; IPv6 VXLAN only)
         * @return this builder
         */
        public Builder label(Integer label) {
            return set(LABEL, label);
        }

        /**
         * Sets {@link Vxlan#learning()}.
         *
         * @param v learn remote MACs from received packets (IFLA_VXLAN_LEARNING); kernel default on
         * @return this builder
         */
        public Builder learning(Boolean v) {
            return set(LEARNING, v);
        }

        /**
         * Sets {@link Vxlan#proxy()}.
         *
         * @param v ARP/ND proxy (IFLA_VXLAN_PROXY)
         * @return this builder
         */
        public Builder proxy(Boolean v) {
            return set(PROXY, v);
        }

        /**
         * Sets {@link Vxlan#rsc()}.
         *
         * @param v route short circuit (IFLA_VXLAN_RSC)
         * @return this builder
         */
        public Builder rsc(Boolean v) {
            return set(RSC, v);
        }

        /**
         * Sets {@link Vxlan#l2miss()}.
         *
         * @param v notify user space of L2 misses (IFLA_VXLAN_L2MISS)
         * @return this builder
         */
        public Builder l2miss(Boolean v) {
            return set(L2MISS, v);
        }

        /**
         * Sets {@link Vxlan#l3miss()}.
         *
         * @param v notify user space of L3 misses (IFLA_VXLAN_L3MISS)
         * @return this builder
         */
        public Builder l3miss(Boolean v) {
            return set(L3MISS, v);
        }

        /**
         * Sets {@link Vxlan#udpCsum()}.
         *
         * @param v UDP checksum over IPv4 (IFLA_VXLAN_UDP_CSUM)
         * @return this builder
         */
        public Builder udpCsum(Boolean v) {
            return set(UDP_CSUM, v);
        }

        /**
         * Sets {@link Vxlan#udp6ZeroCsumTx()}.
         *
         * @param v send IPv6 packets with a zero UDP checksum (IFLA_VXLAN_UDP_ZERO_CSUM6_TX); null leaves it unset
         * @return this builder
         */
        public Builder udp6ZeroCsumTx(Boolean v) {
            return set(UDP6_ZERO_CSUM_TX, v);
        }

        /**
         * Sets {@link Vxlan#udp6ZeroCsumRx()}.
         *
         * @param v accept IPv6 packets with a zero UDP checksum (IFLA_VXLAN_UDP_ZERO_CSUM6_RX); null leaves it unset
         * @return this builder
         */
        public Builder udp6ZeroCsumRx(Boolean v) {
            return set(UDP6_ZERO_CSUM_RX, v);
        }

        /**
         * Sets {@link Vxlan#remcsumTx()}.
         *
         * @param v remote checksum offload on transmit (IFLA_VXLAN_REMCSUM_TX); null leaves it unset
         * @return this builder
         */
        public Builder remcsumTx(Boolean v) {
            return set(REMCSUM_TX, v);
        }

        /**
         * Sets {@link Vxlan#remcsumRx()}.
         *
         * @param v remote checksum offload on receive (IFLA_VXLAN_REMCSUM_RX); null leaves it unset
         * @return this builder
         */
        public Builder remcsumRx(Boolean v) {
            return set(REMCSUM_RX, v);
        }

        /**
         * Flag: only true is sent.
         *
         * @param v flag: only true is sent
         * @return this builder
         */
        public Builder remcsumNoPartial(Boolean v) {
            return set(REMCSUM_NOPARTIAL, v);
        }

        /**
         * Flag: only true is sent.
         *
         * @param v flag: only true is sent
         * @return this builder
         */
        public Builder gbp(Boolean v) {
            return set(GBP, v);
        }

        /**
         * Flag: only true is sent.
         *
         * @param v flag: only true is sent
         * @return this builder
         */
        public Builder gpe(Boolean v) {
            return set(GPE, v);
        }

        /**
         * Metadata mode: no VNI, no remote; a control plane sets them per packet.
         *
         * @param v metadata mode: no VNI, no remote; a control plane sets them per packet
         * @return this builder
         */
        public Builder external(Boolean v) {
            return set(EXTERNAL, v);
        }

        /**
         * Sets {@link Vxlan#vnifilter()}.
         *
         * @param v per-VNI filtering on an external device (IFLA_VXLAN_VNIFILTER)
         * @return this builder
         */
        public Builder vnifilter(Boolean v) {
            return set(VNIFILTER, v);
        }

        /**
         * FDB ageing in seconds, 0..4294967295 (IFLA_VXLAN_AGEING is a u32);
         * {@link #build()} refuses other values naming the field. The kernel
         * keeps no 0: it stores its default, 300, which {@link Vxlan#differences}
         * takes as what 0 asked for.
         *
         * @param seconds FDB ageing in seconds, or null to leave it to the kernel
         * @return this builder
         */
        public Builder ageing(Long seconds) {
            return set(AGEING, seconds);
        }

        /**
         * Sets {@link Vxlan#ageing()}.
         *
         * @param seconds FDB ageing in seconds, 0..4294967295
         * @return this builder
         */
        public Builder ageing(long seconds) {
            return ageing(Long.valueOf(seconds));
        }

        /**
         * Sets {@link Vxlan#limit()}: 0..4294967295 (IFLA_VXLAN_LIMIT is a u32);
         * {@link #build()} refuses other values naming the field.
         *
         * @param maxEntries maximum number of FDB entries, 0 unlimited; null leaves it to the kernel
         * @return this builder
         */
        public Builder limit(Long maxEntries) {
            return set(LIMIT, maxEntries);
        }

        /**
         * Sets {@link Vxlan#limit()}.
         *
         * @param maxEntries maximum number of FDB entries, 0..4294967295, 0 unlimited
         * @return this builder
         */
        public Builder limit(long maxEntries) {
            return limit(Long.valueOf(maxEntries));
        }

        /**
         * Local bypass (kernel default true); false is iproute2's {@code nolocalbypass}.
         *
         * @param v local bypass (kernel default true); false is iproute2's {@code nolocalbypass}
         * @return this builder
         */
        public Builder localbypass(Boolean v) {
            return set(LOCALBYPASS, v);
        }

        /**
         * IPv6 flow label policy; {@link VxlanLabelPolicy#INHERIT} needs an IPv6 VXLAN.
         *
         * @param policy IPv6 flow label policy; {@link VxlanLabelPolicy#INHERIT} needs an IPv6 VXLAN
         * @return this builder
         */
        public Builder labelPolicy(VxlanLabelPolicy policy) {
            return set(LABEL_POLICY, policy);
        }

        /**
         * Header bits a received packet must leave clear (see
         * {@link Vxlan#reservedBits()}); may include neither the I flag
         * (0x08000000 in the flags word) nor the VNI bits. Creation only.
         *
         * @param bits the mask, or null to leave it to the kernel
         * @return this builder
         */
        public Builder reservedBits(Long bits) {
            return set(RESERVED_BITS, bits);
        }

        /**
         * Route underlay multicast (kernel 6.16+); not reported back by the kernel.
         *
         * @param v route underlay multicast (kernel 6.16+); not reported back by the kernel
         * @return this builder
         */
        public Builder mcRoute(Boolean v) {
            return set(MC_ROUTE, v);
        }

        @Override
        public Vxlan build() {
            if (defaults && !data.isSet(DST_PORT)) {
                set(DST_PORT, IANA_PORT);
            }
            validateCommon();
            boolean external = Boolean.TRUE.equals(data.get(EXTERNAL));
            Integer vni = data.get(VNI);
            if (external) {
                if (vni != null && vni != 0) {
                    throw new IllegalArgumentException("vni must not be set on an external (collect metadata) vxlan");
                }
            } else {
                if (vni == null) {
                    throw new IllegalArgumentException("vni must be set (1.." + MAX_VNI + ") unless external(true)");
                }
                if (vni < 1 || vni > MAX_VNI) {
                    throw new IllegalArgumentException("vni " + Integer.toUnsignedString(vni) + " out of range [1.." + MAX_VNI + "]");
                }
            }
            if (Boolean.TRUE.equals(data.get(GPE))) {
                // vxlan_config_validate: GPE allows only metadata mode and no learning (VXLAN_F_ALLOWED_GPE).
                if (!external) {
                    throw new IllegalArgumentException("gpe needs external(true)");
                }
                if (!Boolean.FALSE.equals(data.get(LEARNING))) {
                    throw new IllegalArgumentException("gpe needs learning(false): the kernel enables learning by default and refuses it with GPE");
                }
                // The flags outside VXLAN_F_ALLOWED_GPE ("VXLAN GPE does not support this combination").
                for (AttrSpec<Boolean> f : java.util.List.of(PROXY, RSC, L2MISS, L3MISS, GBP, TTL_INHERIT,
                        REMCSUM_TX, REMCSUM_RX, REMCSUM_NOPARTIAL)) {
                    if (Boolean.TRUE.equals(data.get(f))) {
                        throw new IllegalArgumentException(f.name() + " is not allowed with gpe (the kernel refuses it)");
                    }
                }
                if (address != null) {
                    // A GPE device is ARPHRD_NONE: the kernel drops IFLA_ADDRESS at creation and refuses
                    // it later (EOPNOTSUPP), so it could never be ensured.
                    throw new IllegalArgumentException("address " + address
                            + " cannot be set on a gpe vxlan: it has no link-layer address (ARPHRD_NONE)");
                }
            }
            if (Boolean.TRUE.equals(data.get(VNIFILTER)) && !external) {
                throw new IllegalArgumentException("vnifilter needs external(true)");
            }
            InetAddress g = data.get(GROUP) != null ? data.get(GROUP) : data.get(GROUP6);
            String device = data.get(DEVICE);
            if (device != null) {
                LinkName.validate("device", device);
            }
            if (g != null) {
                if (g.isAnyLocalAddress()) {
                    throw new IllegalArgumentException("group/remote " + Ip.text(g) + " is the unspecified address");
                }
                if (g.isMulticastAddress() && device == null) {
                    throw new IllegalArgumentException("group " + Ip.text(g)
                            + " is multicast and needs a device (the underlay interface to join it on)");
                }
            }
            InetAddress l = data.get(LOCAL) != null ? data.get(LOCAL) : data.get(LOCAL6);
            if (l != null) {
                if (l.isMulticastAddress()) {
                    throw new IllegalArgumentException("local " + Ip.text(l) + " must be a unicast address");
                }
                if (g != null && (l instanceof Inet4Address) != (g instanceof Inet4Address)) {
                    throw new IllegalArgumentException("local " + Ip.text(l) + " and group/remote "
                            + Ip.text(g) + " are of different address families");
                }
            }
            // vxlan_config_validate: an IPv6 link-local local goes with a link-local remote (or none),
            // a link-local unicast remote with a link-local local, and either needs the device.
            boolean localLl = l instanceof Inet6Address && l.isLinkLocalAddress();
            boolean remoteLl = g instanceof Inet6Address && !g.isMulticastAddress() && g.isLinkLocalAddress();
            if (localLl && g != null && !remoteLl && !(g.isMulticastAddress() && ((Inet6Address) g).isMCLinkLocal())) {
                throw new IllegalArgumentException("local " + Ip.text(l) + " is link-local but remote " + Ip.text(g)
                        + " is not (the kernel refuses the combination of scopes)");
            }
            if (remoteLl && !localLl) {
                throw new IllegalArgumentException("remote " + Ip.text(g)
                        + " is link-local: it needs a link-local local address too (the kernel refuses the combination of scopes)");
            }
            if ((localLl || remoteLl) && device == null) {
                throw new IllegalArgumentException("a link-local local/remote address needs device (the interface it is on)");
            }
            range("dstPort", data.get(DST_PORT), 1, 65535);
            PortRange r = data.get(SRC_PORT_RANGE);
            // 0-0 is the kernel's "choose for me", what it reports for the default: accepted, so
            // that what was read builds again
            if (r != null && r.low() < 1 && r.high() != 0) {
                throw new IllegalArgumentException("srcPortRange " + r + " out of range [1..65535]");
            }
            range("ttl", data.get(TTL), 0, 255);
            range("tos", data.get(TOS), 0, 255);
            Integer label = data.get(LABEL);
            range("label", label, 0, 0xFFFFF);
            if (label != null && label != 0 && !(g instanceof Inet6Address || l instanceof Inet6Address)) {
                // vxlan_config_validate: without an IPv6 group/remote or local the device is IPv4.
                throw new IllegalArgumentException("label applies to IPv6 VXLAN only (label " + label
                        + "): set an IPv6 group, remote or local");
            }
            if (data.get(LABEL_POLICY) == VxlanLabelPolicy.INHERIT
                    && (g instanceof Inet4Address || l instanceof Inet4Address || (g == null && l == null))) {
                throw new IllegalArgumentException(
                        "labelPolicy INHERIT applies to IPv6 VXLAN only (give an IPv6 group, remote or local)");
            }
            Long reserved = data.get(RESERVED_BITS);
            if (reserved != null && (reserved & RESERVED_BITS_FORBIDDEN) != 0) {
                // vxlan_validate: "VNI must be set and the I flag may not be" (VXLAN_HF_VNI / VXLAN_VNI_MASK).
                throw new IllegalArgumentException("reservedBits 0x" + Long.toHexString(reserved)
                        + " must not include the I flag or VNI bits (mask 0x" + Long.toHexString(RESERVED_BITS_FORBIDDEN) + ")");
            }
            if (Boolean.TRUE.equals(data.get(TTL_INHERIT)) && data.get(TTL) != null && data.get(TTL) != 0) {
                throw new IllegalArgumentException("ttl and ttlInherit(true) exclude each other");
            }
            Long ageing = data.get(AGEING);
            if (ageing != null) {
                Attrs.requireU32("ageing", ageing);
            }
            Long limit = data.get(LIMIT);
            if (limit != null) {
                Attrs.requireU32("limit", limit);
            }
            return create();
        }

        @Override
        Vxlan create() {
            return new Vxlan(this);
        }
    }
}
