package dev.overlaynet.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where the kernel itself stores or reports something other than what was
 * asked. The conformance suite expects the kernel's behaviour in these places
 * (it computes the value the kernel will hold) rather than skipping the
 * attribute; {@link #TABLE} documents each one and is printed with the score.
 * Where the library refuses an input the kernel would change silently
 * ({@link ConformanceFamily#refusedField}), the suite expects that refusal,
 * and still has the tools make it and the library decode the result.
 */
final class KernelDifferences {
    private KernelDifferences() {}

    /** One documented difference. */
    record Entry(String object, String attributes, String kernelBehaviour) {}

    static final List<Entry> TABLE = List.of(
            new Entry("bridge", "forwardDelay helloTime maxAge ageingTime",
                    "stored in jiffies: clock_t c reads back as jiffies_to_clock_t(clock_t_to_jiffies(c)); "
                            + "at HZ=250, 451 cs (4510 ms) reads back as 450"),
            new Entry("bridge", "forwardDelay",
                    "with STP on, clamped into 2..30 s when STP starts (br_stp_start); the library refuses such a value"),
            new Entry("bridge", "vlanProtocol vlanDefaultPvid",
                    "accepted and dropped without CONFIG_BRIDGE_VLAN_FILTERING: absent in dumps"),
            new Entry("vxlan4 vxlan6", "mtu",
                    "clamped to the device's mtu minus the headroom (50 IPv4, 70 IPv6): 1443 on IPv6 over 1500 reads 1430;"
                            + " the library refuses such an mtu"),
            new Entry("vxlan4 vxlan6", "address",
                    "a GPE vxlan is ARPHRD_NONE: it has no link-layer address, the one asked is dropped;"
                            + " the library refuses it"),
            new Entry("bridge", "vlanFiltering",
                    "without CONFIG_BRIDGE_VLAN_FILTERING any IFLA_BR_VLAN_FILTERING, even 0, is EOPNOTSUPP: not drawn"),
            new Entry("macvlan", "address", "a passthru macvlan takes its parent's address; the one asked is ignored; the library refuses it"),
            new Entry("neigh4 neigh6", "state",
                    "DELAY reads back as PROBE: the delay timer is armed at 0 and finds no recent confirmation"),
            new Entry("fdb", "state",
                    "all zero-MAC (flood) entries of a vxlan share one state: each append sets it for every remote"),
            new Entry("fdb", "vni port",
                    "a remote's VNI and port are dumped only where they differ from the vxlan device's own"),
            new Entry("fdb", "state",
                    "a bridge (master) entry with extern_learn is learned as dynamic and not sticky, whatever was asked"),
            new Entry("fdb", "flags master",
                    "an entry added with self on the bridge device itself lists as the bridge's: master br0, no self"),
            new Entry("route6", "metric", "IPv6 metric 0 becomes 1024 (IP6_RT_PRIO_USER)"),
            new Entry("addr6", "scope", "IPv6 derives an address's scope from the address; the one asked is ignored"),
            new Entry("addr6", "flags", "OPTIMISTIC is dropped unless optimistic_dad is on (off by default)"),
            new Entry("route6", "scope", "IPv6 routes have no scope: the kernel ignores it and dumps RT_SCOPE_UNIVERSE"),
            new Entry("addr4", "flags",
                    "IPv4 keeps only NOPREFIXROUTE of the flags drawn: HOMEADDRESS, NODAD, OPTIMISTIC are dropped"));

    /** The table as text, for the report the suite prints. */
    static String describe() {
        StringBuilder sb = new StringBuilder("kernel differences expected by the suite:\n");
        for (Entry e : TABLE) {
            sb.append(String.format("  %-14s %-42s %s%n", e.object(), e.attributes(), e.kernelBehaviour()));
        }
        return sb.toString();
    }

    // ---- the computations ----------------------------------------------------------------

    private static final int USER_HZ = 100;
    private static volatile String config;

    /** CONFIG_HZ of the running kernel, from /proc/config.gz or /boot/config-*; 250 if neither is readable. */
    static int hz() {
        String v = config("CONFIG_HZ");
        return v == null ? 250 : Integer.parseInt(v);
    }

    /** A kernel config option's value ("y", "250"), or null when it is not set or the config is unreadable. */
    static String config(String option) {
        String cfg = config;
        if (cfg == null) {
            cfg = readConfig();
            config = cfg;
        }
        for (String line : cfg.split("\n")) {
            if (line.startsWith(option + "=")) {
                return line.substring(option.length() + 1).strip();
            }
        }
        return null;
    }

    private static String readConfig() {
        String cfg;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of("/proc/config.gz")))) {
            cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
                cfg = Files.readString(Path.of("/boot/config-" + release));
            } catch (IOException e2) {
                return "";
            }
        }
        return cfg;
    }

    /**
     * A bridge timer as the kernel reports it: clock_t to jiffies and back,
     * as include/linux/jiffies.h does for a HZ that is not a multiple of USER_HZ
     * (x * HZ / USER_HZ, then x * TICK_NSEC / (NSEC_PER_SEC / USER_HZ)).
     */
    static long bridgeTimer(long centiseconds) {
        long h = hz();
        long jiffies = h % USER_HZ == 0 ? centiseconds * (h / USER_HZ) : centiseconds * h / USER_HZ;
        long tickNsec = (1_000_000_000L + h / 2) / h;
        return h % USER_HZ == 0 ? jiffies / (h / USER_HZ) : jiffies * tickNsec / (1_000_000_000L / USER_HZ);
    }

    /** The mtu a vxlan gets over a device of {@code deviceMtu}. */
    static int vxlanMtu(int asked, int deviceMtu, boolean ipv6) {
        return Math.min(asked, deviceMtu - (ipv6 ? 70 : 50));
    }
}
