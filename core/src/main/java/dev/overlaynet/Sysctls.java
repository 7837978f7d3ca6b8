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

    /**
     * Reads a per-namespace sysctl, e.g. {@code net.ipv4.ip_forward}; trimmed.
     *
     * @param key a sysctl starting with {@code net.}
     * @return its value
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public String get(String key) throws IOException {
        return nl.sysctl(key);
    }

    /**
     * Writes a per-namespace sysctl.
     *
     * @param key a sysctl starting with {@code net.}
     * @param value one line
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public void set(String key, String value) throws IOException {
        Objects.requireNonNull(value, "value");
        nl.sysctl(key, value);
    }

    /**
     * {@code net.ipv4.ip_forward}.
     *
     * @return true when IPv4 forwarding is on
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public boolean ipForward() throws IOException {
        return bool(get("net.ipv4.ip_forward"));
    }

    /**
     * Sets {@code net.ipv4.ip_forward}.
     *
     * @param on true to forward IPv4
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public void ipForward(boolean on) throws IOException {
        set("net.ipv4.ip_forward", on ? "1" : "0");
    }

    /**
     * {@code net.ipv6.conf.all.forwarding}.
     *
     * @return true when IPv6 forwarding is on
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public boolean ipv6Forwarding() throws IOException {
        return bool(get("net.ipv6.conf.all.forwarding"));
    }

    /**
     * Sets {@code net.ipv6.conf.all.forwarding}.
     *
     * @param on true to forward IPv6
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public void ipv6Forwarding(boolean on) throws IOException {
        set("net.ipv6.conf.all.forwarding", on ? "1" : "0");
    }

    /**
     * {@code net.ipv4.conf.DEV.rp_filter}: 0 off, 1 strict, 2 loose; DEV may be "all" or "default".
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @return the mode
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public int rpFilter(String dev) throws IOException {
        return Integer.parseInt(get(conf(dev, "rp_filter")));
    }

    /**
     * Sets {@code net.ipv4.conf.DEV.rp_filter}.
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @param mode 0 off, 1 strict, 2 loose
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public void rpFilter(String dev, int mode) throws IOException {
        if (mode < 0 || mode > 2) {
            throw new IllegalArgumentException("rp_filter mode " + mode + " out of range [0..2]");
        }
        set(conf(dev, "rp_filter"), Integer.toString(mode));
    }

    /**
     * {@code net.ipv4.conf.DEV.arp_notify}: send gratuitous ARP when the device comes up or changes address.
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @return true when on
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public boolean arpNotify(String dev) throws IOException {
        return bool(get(conf(dev, "arp_notify")));
    }

    /**
     * Sets {@code net.ipv4.conf.DEV.arp_notify}.
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @param on true to send gratuitous ARP
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public void arpNotify(String dev, boolean on) throws IOException {
        set(conf(dev, "arp_notify"), on ? "1" : "0");
    }

    /**
     * {@code net.ipv4.conf.DEV.proxy_arp}.
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @return true when the link answers ARP for addresses it routes
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
    public boolean proxyArp(String dev) throws IOException {
        return bool(get(conf(dev, "proxy_arp")));
    }

    /**
     * Sets {@code net.ipv4.conf.DEV.proxy_arp}.
     *
     * @param dev the link's name, {@code all} or {@code default}
     * @param on true to answer ARP for addresses the link routes
     * @throws IOException if the sysctl cannot be read or written, or the kernel refuses the value
     */
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
