package dev.overlaynet;

import java.io.IOException;
import java.util.Objects;

/**
 * Sysctls of the handle's network namespace ({@code /proc/sys/net/...} read
 * and written from inside it), with typed helpers for the ones an overlay
 * needs.
 *
 * <pre>{@code
 * Sysctls s = nl.sysctls();
 * s.ipForward(true);                 // net.ipv4.ip_forward = 1
 * s.rpFilter("all", 2);              // loose reverse-path filtering
 * s.proxyArp("br0", true);
 * String v = s.get("net.ipv4.conf.default.arp_notify");
 * }</pre>
 */
public final class Sysctls {
    private final Netlink nl;

    Sysctls(Netlink nl) {
        this.nl = nl;
    }

    /** Reads a per-namespace sysctl, e.g. {@code net.ipv4.ip_forward}; trimmed. */
    public String get(String key) throws IOException {
        return nl.sysctl(key);
    }

    /** Writes a per-namespace sysctl. */
    public void set(String key, String value) throws IOException {
        Objects.requireNonNull(value, "value");
        nl.sysctl(key, value);
    }

    /** {@code net.ipv4.ip_forward}. */
    public boolean ipForward() throws IOException {
        return bool(get("net.ipv4.ip_forward"));
    }

    public void ipForward(boolean on) throws IOException {
        set("net.ipv4.ip_forward", on ? "1" : "0");
    }

    /** {@code net.ipv6.conf.all.forwarding}. */
    public boolean ipv6Forwarding() throws IOException {
        return bool(get("net.ipv6.conf.all.forwarding"));
    }

    public void ipv6Forwarding(boolean on) throws IOException {
        set("net.ipv6.conf.all.forwarding", on ? "1" : "0");
    }

    /** {@code net.ipv4.conf.DEV.rp_filter}: 0 off, 1 strict, 2 loose; DEV may be "all" or "default". */
    public int rpFilter(String dev) throws IOException {
        return Integer.parseInt(get(conf(dev, "rp_filter")));
    }

    public void rpFilter(String dev, int mode) throws IOException {
        if (mode < 0 || mode > 2) {
            throw new IllegalArgumentException("rp_filter mode " + mode + " out of range [0..2]");
        }
        set(conf(dev, "rp_filter"), Integer.toString(mode));
    }

    /** {@code net.ipv4.conf.DEV.arp_notify}: send gratuitous ARP when the device comes up or changes address. */
    public boolean arpNotify(String dev) throws IOException {
        return bool(get(conf(dev, "arp_notify")));
    }

    public void arpNotify(String dev, boolean on) throws IOException {
        set(conf(dev, "arp_notify"), on ? "1" : "0");
    }

    /** {@code net.ipv4.conf.DEV.proxy_arp}. */
    public boolean proxyArp(String dev) throws IOException {
        return bool(get(conf(dev, "proxy_arp")));
    }

    public void proxyArp(String dev, boolean on) throws IOException {
        set(conf(dev, "proxy_arp"), on ? "1" : "0");
    }

    /** The path form keeps device names with dots intact (net/ipv4/conf/eth0.100/rp_filter). */
    private static String conf(String dev, String leaf) {
        Objects.requireNonNull(dev, "dev");
        if (!dev.equals("all") && !dev.equals("default")) {
            LinkName.validate("dev", dev);
        }
        return "net/ipv4/conf/" + dev + "/" + leaf;
    }

    private static boolean bool(String v) {
        return !v.equals("0");
    }
}
