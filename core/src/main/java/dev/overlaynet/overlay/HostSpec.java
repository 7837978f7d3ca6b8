package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.LinkName;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One host's part in an overlay: its underlay device and address, and an
 * optional address of its own inside the overlay for traffic the host itself
 * sends to containers on other hosts.
 *
 * <pre>{@code
 * HostSpec h1 = HostSpec.builder()
 *     .underlayDevice("eth1").localAddress("172.16.1.11")
 *     .hostAddress("10.233.255.11")   // optional, unique per host
 *     .build();
 * }</pre>
 */
public final class HostSpec {
    private final String underlayDevice;
    private final InetAddress localAddress;
    private final InetAddress hostAddress;

    private HostSpec(Builder b) {
        underlayDevice = b.underlayDevice;
        localAddress = b.localAddress;
        hostAddress = b.hostAddress;
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this spec's values} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.underlayDevice = underlayDevice;
        b.localAddress = localAddress;
        b.hostAddress = hostAddress;
        return b;
    }

    /** {@return the underlay interface VXLAN packets leave by, e.g. eth1} */
    public String underlayDevice() {
        return underlayDevice;
    }

    /** {@return the host's underlay address (VXLAN source); required in unicast mode} */
    public InetAddress localAddress() {
        return localAddress;
    }

    /**
     * The host's own overlay address, unique per host, or null. With it the host
     * reaches containers on other hosts without ever sending ARP from the shared
     * gateway address (see {@link OverlayHost} on the gateway design).
     *
     * @return the address, or null
     */
    public InetAddress hostAddress() {
        return hostAddress;
    }

    /** Builder of {@link HostSpec}. */
    public static final class Builder {
        private String underlayDevice;
        private InetAddress localAddress;
        private InetAddress hostAddress;

        private Builder() {}

        /**
         * Sets {@link HostSpec#underlayDevice()}.
         *
         * @param dev the underlay interface VXLAN packets leave by, e.g. eth1
         * @return this builder
         */
        public Builder underlayDevice(String dev) {
            this.underlayDevice = dev;
            return this;
        }

        /**
         * Sets {@link HostSpec#localAddress()}.
         *
         * @param ip the host's underlay address (VXLAN source); required in unicast mode
         * @return this builder
         */
        public Builder localAddress(String ip) {
            this.localAddress = Ip.parse("localAddress", ip);
            return this;
        }

        /**
         * Sets {@link HostSpec#localAddress()}.
         *
         * @param ip the host's underlay address (VXLAN source); required in unicast mode
         * @return this builder
         */
        public Builder localAddress(InetAddress ip) {
            this.localAddress = Objects.requireNonNull(ip, "localAddress");
            return this;
        }

        /**
         * Sets {@link HostSpec#hostAddress()}.
         *
         * @param ip the host's own overlay address, unique per host
         * @return this builder
         */
        public Builder hostAddress(String ip) {
            this.hostAddress = Ip.parse("hostAddress", ip);
            return this;
        }

        /**
         * Sets {@link HostSpec#hostAddress()}.
         *
         * @param ip the host's own overlay address, unique per host
         * @return this builder
         */
        public Builder hostAddress(InetAddress ip) {
            this.hostAddress = Objects.requireNonNull(ip, "hostAddress");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code HostSpec}
         */
        public HostSpec build() {
            LinkName.validate("underlayDevice", underlayDevice);
            if (localAddress != null && (!Ip.isV4(localAddress) || localAddress.isMulticastAddress()
                    || localAddress.isAnyLocalAddress() || isBroadcast(localAddress))) {
                throw new IllegalArgumentException("localAddress " + Ip.text(localAddress) + " must be a unicast IPv4 address");
            }
            if (hostAddress != null && (!Ip.isV4(hostAddress) || hostAddress.isMulticastAddress()
                    || hostAddress.isAnyLocalAddress() || isBroadcast(hostAddress))) {
                throw new IllegalArgumentException("hostAddress " + Ip.text(hostAddress) + " must be a unicast IPv4 address");
            }
            return new HostSpec(this);
        }

        private static boolean isBroadcast(InetAddress a) {
            for (byte x : a.getAddress()) {
                if (x != (byte) 0xff) {
                    return false;
                }
            }
            return true;
        }
    }
}
