package dev.overlaynet;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * An IPv4 or IPv6 route: what {@code ip route add} configures. Immutable;
 * build with {@link #builder()}, change with {@link #toBuilder()}. Fields
 * left unset are not sent; header fields left unset get iproute2's defaults
 * when adding (table main, protocol boot, type unicast, scope link without
 * a gateway and global with one).
 *
 * <pre>{@code
 * nl.routes().add(Route.builder().dst("default").via("10.233.0.1").build());
 * nl.routes().add(Route.builder().dst("10.9.0.0/24").via("10.233.0.5").dev("br0")
 *         .metric(100).table(1000).build());
 * nl.routes().add(Route.builder().dst("10.66.0.0/16").via("10.99.0.1").dev("br0").onlink(true)
 *         .src("10.2.0.1").protocol(RouteProtocol.STATIC).build());
 * nl.routes().add(Route.builder().dst("10.77.0.0/16").type(RouteType.BLACKHOLE).build());
 * }</pre>
 *
 * <p>Decoded routes carry the index of their output device, the table,
 * protocol, scope and type the kernel reports, and unmodelled attributes
 * (e.g. RTA_CACHEINFO, RTA_PREF) in {@link #unknownAttributes()}. Equality
 * ignores the unknown attributes.
 */
public final class Route {
    private final IpPrefix dst;
    private final InetAddress via;
    private final String dev;
    private final Integer index;
    private final Boolean onlink;
    private final Long table;
    private final Long metric;
    private final Scope scope;
    private final InetAddress src;
    private final RouteProtocol protocol;
    private final RouteType type;
    private final Map<Integer, byte[]> unknown;
    final byte[] dstBytes;
    final byte[] viaBytes;
    final byte[] srcBytes;

    private Route(Builder b, IpPrefix dst) {
        this.dst = dst;
        this.via = b.via;
        this.dev = b.dev;
        this.index = b.index;
        this.onlink = b.onlink;
        this.table = b.table;
        this.metric = b.metric;
        this.scope = b.scope;
        this.src = b.src;
        this.protocol = b.protocol;
        this.type = b.type;
        this.unknown = Attrs.freeze(b.unknown);
        this.dstBytes = dst.address().getAddress();
        this.viaBytes = via == null ? null : via.getAddress();
        this.srcBytes = src == null ? null : src.getAddress();
    }

    /** {@return an empty builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these values, to change a few} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@return the destination; a zero-length prefix ({@code 0.0.0.0/0} or {@code ::/0}) is the default route} */
    public IpPrefix dst() {
        return dst;
    }

    /** {@return true for a default route} */
    public boolean isDefault() {
        return dst.length() == 0;
    }

    /** {@return true for an IPv4 route} */
    public boolean isV4() {
        return dst.isV4();
    }

    /** {@return the gateway (RTA_GATEWAY), or null} */
    public InetAddress via() {
        return via;
    }

    /** {@return the output device name, or null} */
    public String dev() {
        return dev;
    }

    /** {@return the output device index (RTA_OIF): read back, or given instead of the name; or null} */
    public Integer index() {
        return index;
    }

    /** {@return RTNH_F_ONLINK: the gateway is on-link even if no prefix says so; null when unset} */
    public Boolean onlink() {
        return onlink;
    }

    /** {@return the routing table (RTA_TABLE, u32: 1..4294967295; 254 = main), or null (main)} */
    public Long table() {
        return table;
    }

    /** {@return the metric (RTA_PRIORITY), or null} */
    public Long metric() {
        return metric;
    }

    /** {@return the scope, or null (iproute2's default: link without a gateway, global with one)} */
    public Scope scope() {
        return scope;
    }

    /** {@return the preferred source address (RTA_PREFSRC), or null} */
    public InetAddress src() {
        return src;
    }

    /** {@return the protocol, or null (boot when adding)} */
    public RouteProtocol protocol() {
        return protocol;
    }

    /** {@return the type, or null (unicast when adding)} */
    public RouteType type() {
        return type;
    }

    /** {@return attributes the kernel sent that this class does not model, by type (raw payloads; do not modify)} */
    public Map<Integer, byte[]> unknownAttributes() {
        return unknown;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Route)) {
            return false;
        }
        Route r = (Route) o;
        return dst.equals(r.dst) && Objects.equals(via, r.via) && Objects.equals(dev, r.dev)
                && Objects.equals(index, r.index) && Objects.equals(onlink, r.onlink)
                && Objects.equals(table, r.table) && Objects.equals(metric, r.metric)
                && Objects.equals(scope, r.scope) && Objects.equals(src, r.src)
                && Objects.equals(protocol, r.protocol) && type == r.type;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dst, via, dev, index, table, metric);
    }

    /** iproute2-like text, e.g. {@code 10.9.0.0/24 via 10.233.0.5 dev br0 table 1000 metric 100}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (type != null && type != RouteType.UNICAST) {
            sb.append(type).append(' ');
        }
        sb.append(isDefault() ? "default" : dst.toString());
        if (via != null) {
            sb.append(" via ").append(Ip.text(via));
        }
        if (dev != null || index != null) {
            sb.append(" dev ").append(dev != null ? dev : "#" + index);
        }
        if (table != null) {
            sb.append(" table ").append(table);
        }
        if (protocol != null) {
            sb.append(" proto ").append(protocol);
        }
        if (scope != null) {
            sb.append(" scope ").append(scope);
        }
        if (src != null) {
            sb.append(" src ").append(Ip.text(src));
        }
        if (metric != null) {
            sb.append(" metric ").append(metric);
        }
        if (Boolean.TRUE.equals(onlink)) {
            sb.append(" onlink");
        }
        return sb.toString();
    }

    /**
     * Builds a {@link Route}. {@code dst("default")} takes its family from
     * the gateway (IPv4 when there is none); {@link #build()} checks that
     * all addresses share one family.
     *
     * <pre>{@code
     * Route r = Route.builder().dst("fd05::/64").via("fd00::5").dev("br0").build();
     * }</pre>
     */
    public static final class Builder {
        private IpPrefix dst;
        private boolean dstDefault;
        private InetAddress via;
        private String dev;
        private Integer index;
        private Boolean onlink;
        private Long table;
        private Long metric;
        private Scope scope;
        private InetAddress src;
        private RouteProtocol protocol;
        private RouteType type;
        private Map<Integer, byte[]> unknown;

        private Builder() {}

        private Builder(Route r) {
            dst = r.dst;
            via = r.via;
            dev = r.dev;
            index = r.index;
            onlink = r.onlink;
            table = r.table;
            metric = r.metric;
            scope = r.scope;
            src = r.src;
            protocol = r.protocol;
            type = r.type;
            unknown = r.unknown.isEmpty() ? null : new java.util.TreeMap<>(r.unknown);
        }

        /**
         * The destination prefix, e.g. {@code 10.9.0.0/24}, or {@code default}. Host bits must be zero.
         *
         * @param dst the destination prefix, e.g. {@code 10.9.0.0/24}, or {@code default}. Host bits must be zero
         * @return this builder
         */
        public Builder dst(String dst) {
            if ("default".equals(dst)) {
                this.dst = null;
                this.dstDefault = true;
            } else {
                this.dst = IpPrefix.parse("dst", dst);
                this.dstDefault = false;
            }
            return this;
        }

        /**
         * Sets {@link Route#dst()}.
         *
         * @param dst the destination; a zero-length prefix ({@code 0.0.0.0/0} or {@code ::/0}) is the default route
         * @return this builder
         */
        public Builder dst(IpPrefix dst) {
            this.dst = Objects.requireNonNull(dst, "dst");
            this.dstDefault = false;
            return this;
        }

        /**
         * The gateway, e.g. {@code 10.233.0.1}; null clears it.
         *
         * @param gateway the gateway, e.g. {@code 10.233.0.1}; null clears it
         * @return this builder
         */
        public Builder via(String gateway) {
            this.via = gateway == null ? null : Ip.parse("via", gateway);
            return this;
        }

        /**
         * Sets {@link Route#via()}.
         *
         * @param gateway the gateway (RTA_GATEWAY), or null
         * @return this builder
         */
        public Builder via(InetAddress gateway) {
            this.via = gateway;
            return this;
        }

        /**
         * The output device by name; null clears it.
         *
         * @param dev the output device by name; null clears it
         * @return this builder
         */
        public Builder dev(String dev) {
            this.dev = dev;
            return this;
        }

        /**
         * The output device by index; null clears it.
         *
         * @param ifindex the output device by index; null clears it
         * @return this builder
         */
        public Builder index(Integer ifindex) {
            this.index = ifindex;
            return this;
        }

        /**
         * Sets {@link Route#onlink()}.
         *
         * @param onlink RTNH_F_ONLINK: the gateway is on-link even if no prefix says so; null when unset
         * @return this builder
         */
        public Builder onlink(Boolean onlink) {
            this.onlink = onlink;
            return this;
        }

        /**
         * The table, 1..4294967295 (RTA_TABLE is a u32; 254 is main, 255 local);
         * null means main. Other values are refused here, naming the field.
         *
         * @param table the table, or null for main
         * @return this builder
         */
        public Builder table(Long table) {
            if (table != null && (table < 1 || table > 0xffffffffL)) {
                throw new IllegalArgumentException(table == 0 ? "table 0 is RT_TABLE_UNSPEC; use 1..4294967295 (254 is main)"
                        : "table " + table + " out of range [1..4294967295]");
            }
            this.table = table;
            return this;
        }

        /**
         * Sets {@link Route#table()}.
         *
         * @param table the table, 1..4294967295 (254 is main, 255 local)
         * @return this builder
         */
        public Builder table(long table) {
            return table(Long.valueOf(table));
        }

        /**
         * The metric (RTA_PRIORITY), 0..4294967295; null clears it.
         *
         * @param metric the metric (RTA_PRIORITY), 0..4294967295; null clears it
         * @return this builder
         */
        public Builder metric(Long metric) {
            this.metric = metric;
            return this;
        }

        /**
         * Sets {@link Route#metric()}.
         *
         * @param metric the metric (RTA_PRIORITY)
         * @return this builder
         */
        public Builder metric(long metric) {
            return metric(Long.valueOf(metric));
        }

        /**
         * Sets {@link Route#scope()}.
         *
         * @param scope the scope, or null (iproute2's default: link without a gateway, global with one)
         * @return this builder
         */
        public Builder scope(Scope scope) {
            this.scope = scope;
            return this;
        }

        /**
         * Preferred source address (RTA_PREFSRC); null clears it.
         *
         * @param src preferred source address (RTA_PREFSRC); null clears it
         * @return this builder
         */
        public Builder src(String src) {
            this.src = src == null ? null : Ip.parse("src", src);
            return this;
        }

        /**
         * Sets {@link Route#src()}.
         *
         * @param src the preferred source address (RTA_PREFSRC), or null
         * @return this builder
         */
        public Builder src(InetAddress src) {
            this.src = src;
            return this;
        }

        /**
         * Sets {@link Route#protocol()}.
         *
         * @param protocol the protocol, or null (boot when adding)
         * @return this builder
         */
        public Builder protocol(RouteProtocol protocol) {
            this.protocol = protocol;
            return this;
        }

        /**
         * Sets {@link Route#type()}.
         *
         * @param type the type, or null (unicast when adding)
         * @return this builder
         */
        public Builder type(RouteType type) {
            this.type = type;
            return this;
        }

        Builder unknown(Map<Integer, byte[]> unknown) {
            this.unknown = unknown;
            return this;
        }

        Route buildDecoded() {
            return new Route(this, dst);
        }

        /**
         * Validates and builds.
         *
         * @return the new {@code Route}
         */
        public Route build() {
            IpPrefix d = dst;
            if (d == null) {
                if (!dstDefault) {
                    throw new IllegalArgumentException("dst must be set (a prefix such as \"10.9.0.0/24\" or \"default\")");
                }
                boolean v4 = via == null ? src == null || Ip.isV4(src) : Ip.isV4(via);
                d = IpPrefix.parse("dst", v4 ? "0.0.0.0/0" : "::/0");
            }
            if (!d.network().equals(d)) {
                throw new IllegalArgumentException("dst " + d + " has host bits set; did you mean " + d.network() + "?");
            }
            String family = "dst " + (d.length() == 0 ? "default (" + (d.isV4() ? "IPv4" : "IPv6") + ")" : d.toString());
            Attrs.requireFamily("via", via, d.isV4(), family);
            Attrs.requireFamily("src", src, d.isV4(), family);
            if (dev != null) {
                LinkName.validate("dev", dev);
            }
            if (index != null && index <= 0) {
                throw new IllegalArgumentException("index " + index + " must be positive");
            }
            if (table != null && table == 0) {
                throw new IllegalArgumentException("table 0 is RT_TABLE_UNSPEC; use 1..4294967295 (254 is main)");
            }
            if (metric != null) {
                Attrs.requireU32("metric", metric);
            }
            RouteType t = type == null ? RouteType.UNICAST : type;
            if (t == RouteType.UNICAST && via == null && dev == null && index == null) {
                throw new IllegalArgumentException("a unicast route needs via or dev (dst " + d + ")");
            }
            if (Boolean.TRUE.equals(onlink) && via == null) {
                throw new IllegalArgumentException("onlink needs via (a gateway)");
            }
            return new Route(this, d);
        }
    }
}
