package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.LinkName;
import dev.overlaynet.Nat;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One overlay network, as every host sees it: container CIDR, VXLAN id and
 * port, flooding mode (multicast group, or unicast with head-end replication
 * to known peers), the shared gateway and whether traffic leaving the
 * overlay is masqueraded. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * Overlay o = Overlay.builder()
 *     .cidr("10.233.0.0/16").vni(42).dstPort(4789)
 *     .multicastGroup("239.1.1.1")       // or .unicast()
 *     .nat(true)
 *     .build();
 * }</pre>
 */
public final class Overlay {
    /** How broadcast, unknown-unicast and multicast frames reach other hosts. */
    public enum Mode {
        /** A multicast group on the underlay; VTEPs learn remote MACs from traffic. */
        MULTICAST,
        /**
         * No multicast on the underlay: learning off, one all-zero FDB entry per peer
         * host (head-end replication), remote endpoints installed as static
         * neighbour and FDB entries by the program.
         */
        UNICAST
    }

    private final IpPrefix cidr;
    private final int vni;
    private final int dstPort;
    private final Mode mode;
    private final InetAddress group;
    private final InetAddress gateway;
    private final boolean nat;
    private final String vxlanName;
    private final String bridgeName;
    private final Integer mtu;
    private final String tag;
    // What the caller set, as opposed to derived defaults: toBuilder() copies only these,
    // so changing the CIDR or VNI of a copy re-derives the gateway and tag.
    private final InetAddress explicitGateway;
    private final String explicitTag;

    private Overlay(Builder b) {
        this.cidr = b.cidr;
        this.vni = b.vni;
        this.dstPort = b.dstPort;
        this.mode = b.mode;
        this.group = b.group;
        this.gateway = b.gateway != null ? b.gateway : firstAddress(b.cidr);
        this.nat = b.nat;
        this.vxlanName = b.vxlanName;
        this.bridgeName = b.bridgeName;
        this.mtu = b.mtu;
        this.tag = b.tag != null ? b.tag : "overlaynet-vni-" + b.vni;
        this.explicitGateway = b.gateway;
        this.explicitTag = b.tag;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cidr = cidr;
        b.vni = vni;
        b.dstPort = dstPort;
        b.mode = mode;
        b.group = group;
        b.gateway = explicitGateway;
        b.nat = nat;
        b.vxlanName = vxlanName;
        b.bridgeName = bridgeName;
        b.mtu = mtu;
        b.tag = explicitTag;
        return b;
    }

    /** {@return the container network, e.g. 10.233.0.0/16 (host bits cleared)} */
    public IpPrefix cidr() {
        return cidr;
    }

    /** {@return the VXLAN network identifier, 1..16777215} */
    public int vni() {
        return vni;
    }

    /** {@return the VXLAN UDP port} */
    public int dstPort() {
        return dstPort;
    }

    /** {@return how broadcast and unknown traffic reach the other hosts} */
    public Mode mode() {
        return mode;
    }

    /** {@return the multicast group in {@link Mode#MULTICAST}, else null} */
    public InetAddress group() {
        return group;
    }

    /** {@return the gateway address every host puts on its bridge (default: the first address of the CIDR)} */
    public InetAddress gateway() {
        return gateway;
    }

    /** {@return the gateway as an interface address with the overlay's prefix length} */
    public IpPrefix gatewayPrefix() {
        return IpPrefix.of(gateway, cidr.length());
    }

    /** {@return whether traffic from the overlay to elsewhere is masqueraded} */
    public boolean nat() {
        return nat;
    }

    /** {@return the vxlan device's name on every host} */
    public String vxlanName() {
        return vxlanName;
    }

    /** {@return the bridge's name on every host} */
    public String bridgeName() {
        return bridgeName;
    }

    /** {@return MTU for the vxlan device and container interfaces; null lets the kernel derive it (underlay - 50)} */
    public Integer mtu() {
        return mtu;
    }

    /** {@return marks what this overlay owns (NAT rule tag); default {@code overlaynet-vni-<vni>}} */
    public String tag() {
        return tag;
    }

    @Override
    public String toString() {
        return "Overlay{" + cidr + " vni " + vni + " port " + dstPort + " " + mode
                + (group != null ? " group " + Ip.text(group) : "") + " gw " + Ip.text(gateway)
                + (nat ? " nat" : "") + "}";
    }

    private static InetAddress firstAddress(IpPrefix cidr) {
        byte[] b = cidr.address().getAddress();
        b[3] |= 1;
        return Ip.of(b);
    }

    private static InetAddress broadcast(IpPrefix cidr) {
        byte[] b = cidr.address().getAddress();
        int hostBits = 32 - cidr.length();
        int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        v |= hostBits == 32 ? -1 : (1 << hostBits) - 1;
        return Ip.of(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    /** Builder of {@link Overlay}. */
    public static final class Builder {
        private IpPrefix cidr;
        private Integer vni;
        private int dstPort = 4789;
        private Mode mode;
        private InetAddress group;
        private InetAddress gateway;
        private boolean nat = true;
        private String vxlanName = "vxlan0";
        private String bridgeName = "br0";
        private Integer mtu;
        private String tag;

        private Builder() {}

        /**
         * Sets {@link Overlay#cidr()}.
         *
         * @param cidr the container network, e.g. 10.233.0.0/16 (host bits cleared)
         * @return this builder
         */
        public Builder cidr(String cidr) {
            return cidr(IpPrefix.parse("cidr", cidr));
        }

        /**
         * Sets {@link Overlay#cidr()}.
         *
         * @param cidr the container network, e.g. 10.233.0.0/16 (host bits cleared)
         * @return this builder
         */
        public Builder cidr(IpPrefix cidr) {
            this.cidr = Objects.requireNonNull(cidr, "cidr").network();
            return this;
        }

        /**
         * Sets {@link Overlay#vni()}.
         *
         * @param vni the VXLAN network identifier, 1..16777215
         * @return this builder
         */
        public Builder vni(int vni) {
            this.vni = vni;
            return this;
        }

        /**
         * Sets {@link Overlay#dstPort()}.
         *
         * @param port the VXLAN UDP port
         * @return this builder
         */
        public Builder dstPort(int port) {
            this.dstPort = port;
            return this;
        }

        /**
         * Multicast mode: floods go to the IPv4 multicast group {@code group} on the underlay.
         *
         * @param group an IPv4 multicast address, e.g. {@code 239.1.1.1}
         * @return this builder
         */
        public Builder multicastGroup(String group) {
            this.group = Ip.parse("multicastGroup", group);
            this.mode = Mode.MULTICAST;
            return this;
        }

        /**
         * Unicast mode: floods go to each peer by its own FDB entry (head-end replication).
         *
         * @return this builder
         */
        public Builder unicast() {
            this.group = null;
            this.mode = Mode.UNICAST;
            return this;
        }

        /**
         * Sets {@link Overlay#gateway()}.
         *
         * @param gateway the gateway address every host puts on its bridge (default: the first address of the CIDR)
         * @return this builder
         */
        public Builder gateway(String gateway) {
            this.gateway = Ip.parse("gateway", gateway);
            return this;
        }

        /**
         * Sets {@link Overlay#nat()}.
         *
         * @param nat whether traffic from the overlay to elsewhere is masqueraded
         * @return this builder
         */
        public Builder nat(boolean nat) {
            this.nat = nat;
            return this;
        }

        /**
         * Sets {@link Overlay#vxlanName()}.
         *
         * @param name the vxlan device's name on every host
         * @return this builder
         */
        public Builder vxlanName(String name) {
            this.vxlanName = name;
            return this;
        }

        /**
         * Sets {@link Overlay#bridgeName()}.
         *
         * @param name the bridge's name on every host
         * @return this builder
         */
        public Builder bridgeName(String name) {
            this.bridgeName = name;
            return this;
        }

        /**
         * Sets {@link Overlay#mtu()}.
         *
         * @param mtu MTU for the vxlan device and container interfaces
         * @return this builder
         */
        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        /**
         * Sets {@link Overlay#tag()}.
         *
         * @param tag marks what this overlay owns (NAT rule tag); default {@code overlaynet-vni-<vni>}
         * @return this builder
         */
        public Builder tag(String tag) {
            this.tag = tag;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code Overlay}
         */
        public Overlay build() {
            if (cidr == null) {
                throw new IllegalArgumentException("cidr is required, e.g. 10.233.0.0/16");
            }
            if (!cidr.isV4()) {
                throw new IllegalArgumentException("cidr " + cidr + ": only IPv4 overlays are supported so far");
            }
            if (cidr.length() > 30) {
                throw new IllegalArgumentException("cidr " + cidr + " is too small for a gateway and containers");
            }
            if (vni == null) {
                throw new IllegalArgumentException("vni is required, 1..16777215");
            }
            if (vni < 1 || vni > 16_777_215) {
                throw new IllegalArgumentException("vni " + vni + " out of range [1..16777215]");
            }
            if (dstPort < 1 || dstPort > 65535) {
                throw new IllegalArgumentException("dstPort " + dstPort + " out of range [1..65535]");
            }
            if (mode == null) {
                throw new IllegalArgumentException("mode is required: multicastGroup(\"239.1.1.1\") or unicast()");
            }
            if (mode == Mode.MULTICAST && (!Ip.isV4(group) || !group.isMulticastAddress())) {
                throw new IllegalArgumentException("multicastGroup " + Ip.text(group) + " is not an IPv4 multicast address");
            }
            LinkName.validate("vxlanName", vxlanName);
            LinkName.validate("bridgeName", bridgeName);
            if (vxlanName.equals(bridgeName)) {
                throw new IllegalArgumentException("vxlanName and bridgeName must differ");
            }
            if (mtu != null && (mtu < 68 || mtu > 65535)) {
                throw new IllegalArgumentException("mtu " + mtu + " out of range [68..65535]");
            }
            if (gateway != null) {
                if (!cidr.contains(gateway)) {
                    throw new IllegalArgumentException("gateway " + Ip.text(gateway) + " is outside cidr " + cidr);
                }
                if (gateway.equals(cidr.address()) || gateway.equals(broadcast(cidr))) {
                    throw new IllegalArgumentException("gateway " + Ip.text(gateway)
                            + " is the network or broadcast address of " + cidr);
                }
            }
            if (tag != null && tag.isBlank()) {
                throw new IllegalArgumentException("tag must not be blank");
            }
            if (tag != null) {
                // The tag becomes the NAT rule's nft comment at join; its limits (NUL, length) are
                // checked here, by building that rule, so join never starts with a tag it cannot store.
                Nat.masquerade(cidr.toString()).tag(tag).build();
            }
            return new Overlay(this);
        }
    }
}
