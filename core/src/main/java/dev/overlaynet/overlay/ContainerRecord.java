package dev.overlaynet.overlay;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.MacAddress;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What attach records in the kernel about a container, so that a restarted
 * program (or an agent adopting its state) can find it and put it back as it
 * was: the alias of the host end of its veth,
 * {@code overlaynet container ip=10.233.0.2 mac=0a:58:0a:e9:00:02 ns=ns1 lo=down:},
 * with the container's address and MAC, its namespace's name, and the state
 * of its loopback before attach ({@code up}, or {@code down:} followed by the
 * addresses lo had then). The host end also carries the overlay's link group
 * from the moment it is created (the group, unlike the alias, is set in the
 * same request that creates the veth), so a crash between the two leaves a
 * veth that leave still finds and deletes.
 */
record ContainerRecord(InetAddress ip, MacAddress mac, String namespace, boolean loWasDown,
        List<IpPrefix> loAddressesBefore) {
    static final String MARK = "overlaynet container ";
    /** The kernel's IFALIASZ is 256 with its NUL: longer aliases are refused. */
    private static final int MAX_ALIAS = 255;

    ContainerRecord {
        loAddressesBefore = List.copyOf(loAddressesBefore);
    }

    /**
     * The link group of the host ends of an overlay's veths: {@code 0x4f000000}
     * plus the VNI, one group per overlay on a host (a VNI is unique on a
     * host), never the kernel's default group 0.
     */
    static long linkGroup(Overlay o) {
        return 0x4f00_0000 | o.vni();
    }

    /** The alias text, or empty if it would not fit (a very long namespace name is left out then). */
    String alias() {
        String s = text(namespace);
        if (s.length() > MAX_ALIAS && namespace != null) {
            s = text(null);
        }
        return s;
    }

    private String text(String ns) {
        if (ns != null && !ns.matches("[A-Za-z0-9._@+:-]+")) {
            ns = null; // a name the alias cannot carry unambiguously: lo is then restored only in-process
        }
        StringBuilder b = new StringBuilder(MARK).append("ip=").append(Ip.text(ip)).append(" mac=").append(mac);
        if (ns != null) {
            b.append(" ns=").append(ns);
        }
        b.append(" lo=");
        if (loWasDown) {
            b.append("down:");
            for (int i = 0; i < loAddressesBefore.size(); i++) {
                b.append(i == 0 ? "" : ",").append(loAddressesBefore.get(i));
            }
        } else {
            b.append("up");
        }
        return b.toString();
    }

    /** Parses an alias written by {@link #alias()}; empty for any other alias. */
    static Optional<ContainerRecord> parse(String alias) {
        if (alias == null || !alias.startsWith(MARK)) {
            return Optional.empty();
        }
        InetAddress ip = null;
        MacAddress mac = null;
        String ns = null;
        Boolean down = null;
        List<IpPrefix> before = new ArrayList<>();
        try {
            for (String field : alias.substring(MARK.length()).split(" ")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    return Optional.empty();
                }
                String k = field.substring(0, eq);
                String v = field.substring(eq + 1);
                switch (k) {
                    case "ip" -> ip = Ip.parse("ip", v);
                    case "mac" -> mac = MacAddress.parse(v);
                    case "ns" -> ns = v;
                    case "lo" -> {
                        if (v.equals("up")) {
                            down = false;
                        } else if (v.startsWith("down:")) {
                            down = true;
                            for (String p : v.substring(5).split(",")) {
                                if (!p.isEmpty()) {
                                    before.add(IpPrefix.parse("lo address", p));
                                }
                            }
                        } else {
                            return Optional.empty();
                        }
                    }
                    default -> {
                        return Optional.empty();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (ip == null || mac == null || down == null) {
            return Optional.empty();
        }
        return Optional.of(new ContainerRecord(ip, mac, ns, down, before));
    }
}
