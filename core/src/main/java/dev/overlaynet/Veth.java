package dev.overlaynet;

import dev.overlaynet.netlink.NetNs;
import java.util.Objects;

/**
 * A veth pair (kind {@code veth}): this end and a peer, optionally created
 * directly in another namespace (VETH_INFO_PEER with IFLA_NET_NS_FD) and with
 * its own MAC and MTU.
 *
 * <p>Read back: the kernel does not report the peer's options, only its
 * ifindex (IFLA_LINK); {@link #peer()} is its name when the peer is in the
 * same namespace, and null when it lives elsewhere.
 *
 * <pre>{@code
 * try (NetNs ns1 = NetNs.create("ns1")) {
 *     nl.links().add(Veth.builder().name("veth0").peer("eth0").peerNamespace(ns1).master("br0").build());
 * }
 * }</pre>
 */
public final class Veth extends Link {
    private final NetNs peerNamespace;
    private final MacAddress peerAddress;
    private final Integer peerMtu;

    private Veth(Builder b) {
        super(b);
        this.peerNamespace = b.peerNamespace;
        this.peerAddress = b.peerAddress;
        this.peerMtu = b.peerMtu;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public String kind() {
        return "veth";
    }

    @Override
    LinkKind kindCodec() {
        return VethCodec.INSTANCE;
    }

    /** {@return the peer's name} */
    public String peer() {
        return linkRef;
    }

    /** {@return the namespace the peer is created in, or null for this link's own. Creation only} */
    public NetNs peerNamespace() {
        return peerNamespace;
    }

    /** {@return the peer's MAC address, or null to let the kernel choose} */
    public MacAddress peerAddress() {
        return peerAddress;
    }

    /** {@return the peer's MTU, or null for the kernel's default} */
    public Integer peerMtu() {
        return peerMtu;
    }

    boolean peerOptionsEqual(Veth o) {
        return Objects.equals(peerNamespace, o.peerNamespace) && Objects.equals(peerAddress, o.peerAddress)
                && Objects.equals(peerMtu, o.peerMtu);
    }

    /**
     * Builds a {@link Veth}; {@link #build()} requires a valid peer name different from the name.
     *
     * <pre>{@code
     * Veth.builder().name("veth0").peer("eth-tmp").build();
     * }</pre>
     */
    public static final class Builder extends Link.Builder<Veth, Builder> {
        private NetNs peerNamespace;
        private MacAddress peerAddress;
        private Integer peerMtu;

        private Builder() {}

        private Builder(Veth v) {
            super(v);
            this.peerNamespace = v.peerNamespace;
            this.peerAddress = v.peerAddress;
            this.peerMtu = v.peerMtu;
        }

        /**
         * Sets {@link Veth#peer()}.
         *
         * @param peerName the peer's name
         * @return this builder
         */
        public Builder peer(String peerName) {
            this.linkRef = peerName;
            return this;
        }

        /**
         * Create the peer in {@code ns} (which stays owned by the caller).
         *
         * @param ns create the peer in {@code ns} (which stays owned by the caller)
         * @return this builder
         */
        public Builder peerNamespace(NetNs ns) {
            this.peerNamespace = ns;
            return this;
        }

        /**
         * Sets {@link Veth#peerAddress()}.
         *
         * @param mac the peer's MAC address, or null to let the kernel choose
         * @return this builder
         */
        public Builder peerAddress(MacAddress mac) {
            this.peerAddress = mac;
            return this;
        }

        /**
         * Sets {@link Veth#peerAddress()}.
         *
         * @param mac the peer's MAC address, or null to let the kernel choose
         * @return this builder
         */
        public Builder peerAddress(String mac) {
            return peerAddress(mac == null ? null : MacAddress.parse(mac));
        }

        /**
         * Sets {@link Veth#peerMtu()}.
         *
         * @param mtu the peer's MTU, or null for the kernel's default
         * @return this builder
         */
        public Builder peerMtu(Integer mtu) {
            this.peerMtu = mtu;
            return this;
        }

        @Override
        public Veth build() {
            validateCommon();
            LinkName.validate("peer", linkRef);
            if (linkRef.equals(name) && peerNamespace == null) {
                throw new IllegalArgumentException("peer \"" + linkRef + "\" must differ from name in the same namespace");
            }
            range("peerMtu", peerMtu, 68, 65535);
            if (peerAddress != null && peerAddress.isMulticast()) {
                throw new IllegalArgumentException("peerAddress " + peerAddress + " is a multicast MAC");
            }
            return create();
        }

        @Override
        Veth create() {
            return new Veth(this);
        }
    }
}
