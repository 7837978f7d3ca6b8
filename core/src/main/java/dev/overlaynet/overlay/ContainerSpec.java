package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.LinkName;
import dev.overlaynet.MacAddress;
import dev.overlaynet.netlink.NetNs;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A container to plug into the overlay: its network namespace and overlay
 * address, plus optional names and MAC. Unset names are chosen safely: the
 * host end of the veth is {@code ov} + 8 hex digits derived from the
 * container's address, so two containers never collide and a name is never
 * longer than 15 bytes.
 *
 * <pre>{@code
 * ContainerSpec c = ContainerSpec.builder().namespace(ns1).ip("10.233.0.2").build();
 * }</pre>
 */
public final class ContainerSpec {
    private final NetNs namespace;
    private final InetAddress ip;
    private final String interfaceName;
    private final String hostInterfaceName;
    private final MacAddress mac;
    // As set by the caller (null when derived from the IP), for toBuilder().
    private final String explicitHostInterfaceName;
    private final MacAddress explicitMac;

    private ContainerSpec(Builder b) {
        namespace = b.namespace;
        ip = b.ip;
        interfaceName = b.interfaceName;
        hostInterfaceName = b.hostInterfaceName != null ? b.hostInterfaceName : defaultHostName(b.ip);
        mac = b.mac != null ? b.mac : defaultMac(b.ip);
        explicitHostInterfaceName = b.hostInterfaceName;
        explicitMac = b.mac;
    }

    static String defaultHostName(InetAddress ip) {
        byte[] a = ip.getAddress();
        int h = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
        return String.format("ov%08x", h);
    }

    /** 0a:58 + the IPv4 address, as Kubernetes bridge CNIs do: stable across restarts, never clashing in the overlay. */
    static MacAddress defaultMac(InetAddress ip) {
        byte[] a = ip.getAddress();
        return MacAddress.of(new byte[] {0x0a, 0x58, a[0], a[1], a[2], a[3]});
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding this spec's values; the host interface name and MAC
     * are copied only if they were set, so a copy with another IP derives
     * its own.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.namespace = namespace;
        b.ip = ip;
        b.interfaceName = interfaceName;
        b.hostInterfaceName = explicitHostInterfaceName;
        b.mac = explicitMac;
        return b;
    }

    /** {@return the container's network namespace (owned by the caller)} */
    public NetNs namespace() {
        return namespace;
    }

    /** {@return the container's address in the overlay subnet} */
    public InetAddress ip() {
        return ip;
    }

    /** {@return the interface name inside the container (default eth0)} */
    public String interfaceName() {
        return interfaceName;
    }

    /** {@return the host end of the veth pair} */
    public String hostInterfaceName() {
        return hostInterfaceName;
    }

    /** {@return the container interface's MAC (default derived from the IP)} */
    public MacAddress mac() {
        return mac;
    }

    /** Builder of {@link ContainerSpec}. */
    public static final class Builder {
        private NetNs namespace;
        private InetAddress ip;
        private String interfaceName = "eth0";
        private String hostInterfaceName;
        private MacAddress mac;

        private Builder() {}

        /**
         * Sets {@link ContainerSpec#namespace()}.
         *
         * @param ns the container's network namespace (owned by the caller)
         * @return this builder
         */
        public Builder namespace(NetNs ns) {
            this.namespace = Objects.requireNonNull(ns, "namespace");
            return this;
        }

        /**
         * Sets {@link ContainerSpec#ip()}.
         *
         * @param ip the container's address in the overlay subnet
         * @return this builder
         */
        public Builder ip(String ip) {
            this.ip = Ip.parse("ip", ip);
            return this;
        }

        /**
         * Sets {@link ContainerSpec#ip()}.
         *
         * @param ip the container's address in the overlay subnet
         * @return this builder
         */
        public Builder ip(InetAddress ip) {
            this.ip = Objects.requireNonNull(ip, "ip");
            return this;
        }

        /**
         * Sets {@link ContainerSpec#interfaceName()}.
         *
         * @param name the interface name inside the container (default eth0)
         * @return this builder
         */
        public Builder interfaceName(String name) {
            this.interfaceName = name;
            return this;
        }

        /**
         * Sets {@link ContainerSpec#hostInterfaceName()}.
         *
         * @param name the host end of the veth pair
         * @return this builder
         */
        public Builder hostInterfaceName(String name) {
            this.hostInterfaceName = name;
            return this;
        }

        /**
         * Sets {@link ContainerSpec#mac()}.
         *
         * @param mac the container interface's MAC (default derived from the IP)
         * @return this builder
         */
        public Builder mac(String mac) {
            try {
                this.mac = MacAddress.parse(mac);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mac: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Sets {@link ContainerSpec#mac()}.
         *
         * @param mac the container interface's MAC (default derived from the IP)
         * @return this builder
         */
        public Builder mac(MacAddress mac) {
            this.mac = Objects.requireNonNull(mac, "mac");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code ContainerSpec}
         */
        public ContainerSpec build() {
            if (namespace == null) {
                throw new IllegalArgumentException("namespace is required");
            }
            if (ip == null || !Ip.isV4(ip)) {
                throw new IllegalArgumentException("ip is required and must be IPv4");
            }
            LinkName.validate("interfaceName", interfaceName);
            if (hostInterfaceName != null) {
                LinkName.validate("hostInterfaceName", hostInterfaceName);
            }
            if (mac != null && (mac.isMulticast() || mac.isZero())) {
                throw new IllegalArgumentException("mac " + mac + " must be a unicast, non-zero address");
            }
            return new ContainerSpec(this);
        }
    }
}
