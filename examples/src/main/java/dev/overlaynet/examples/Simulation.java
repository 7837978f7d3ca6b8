package dev.overlaynet.examples;

import dev.overlaynet.Address;
import dev.overlaynet.Bridge;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Simulated hosts on one machine, built with overlaynet itself: a switch
 * namespace holding the underlay bridge {@code ul0} (multicast snooping off,
 * so multicast VXLAN floods), host namespaces {@code h1..hN} each with
 * {@code eth1} = 172.16.1.1N/24 on it, and optionally a "wan" namespace
 * (198.51.100.1/24) behind h1's {@code eth0} (198.51.100.11/24, default
 * route) to watch NAT from outside. Everything it creates is deleted by
 * {@link #close()}, also after a failure.
 *
 * <p>Namespace names are the caller's prefix, a random tag drawn per run and
 * the label ({@code ovex-mc-3fa9c1-h1}): two runs, or a run and someone
 * else's namespace, never share a name. A namespace that exists already is
 * never opened, reused or deleted; only what this run created is deleted.
 */
final class Simulation implements AutoCloseable {
    static final String WAN_IP = "198.51.100.1";
    static final String H1_WAN_IP = "198.51.100.11";
    static final int MAX_HOSTS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<String, NetNs> open = new LinkedHashMap<>();
    private final Map<String, Netlink> handles = new LinkedHashMap<>();
    private final int hosts;

    private Simulation(String prefix, int hosts) {
        this.prefix = prefix;
        this.hosts = hosts;
    }

    /** Underlay address of host {@code i} (1-based). */
    static String underlayIp(int i) {
        return "172.16.1." + (10 + i);
    }

    static Simulation create(String prefix, int hosts, boolean wan) throws Exception {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("--simulate takes 1.." + MAX_HOSTS + " hosts, got " + hosts);
        }
        String tag = Integer.toHexString(0x100000 + RANDOM.nextInt(0xf00000));
        Simulation s = new Simulation(prefix + tag + "-", hosts);
        try {
            s.build(wan);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void build(boolean wan) throws Exception {
        NetNs sw = namespace("sw");
        Netlink swNl = handle("sw");
        swNl.links().add(Bridge.builder().name("ul0").mcastSnooping(false).build());
        swNl.links().up("lo", "ul0");
        for (int i = 1; i <= hosts; i++) {
            namespace("h" + i);
            Netlink h = handle("h" + i);
            h.links().up("lo");
            h.links().add(Veth.builder().name("eth1").peer("p" + i).peerNamespace(sw).build());
            swNl.links().setMaster("p" + i, "ul0");
            swNl.links().up("p" + i);
            h.addresses().add("eth1", underlayIp(i) + "/24");
            h.links().up("eth1");
        }
        if (wan) {
            NetNs w = namespace("wan");
            Netlink wn = handle("wan");
            Netlink h1 = handle("h1");
            h1.links().add(Veth.builder().name("eth0").peer("up0").peerNamespace(w).build());
            wn.addresses().add("up0", WAN_IP + "/24");
            wn.links().up("lo", "up0");
            h1.addresses().add("eth0", H1_WAN_IP + "/24");
            h1.links().up("eth0");
            h1.routes().add(Route.builder().dst("default").via(WAN_IP).dev("eth0").build());
        }
    }

    /** Creates (or returns) the namespace {@code label}, deleted at close. */
    NetNs namespace(String label) throws Exception {
        NetNs ns = open.get(label);
        if (ns != null) {
            return ns;
        }
        String name = prefix + label;
        // Fails with EEXIST rather than touch a namespace this run did not make.
        ns = NetNs.create(name);
        namespaces.add(name);
        open.put(label, ns);
        return ns;
    }

    /** A handle on namespace {@code label}, closed at close. */
    Netlink handle(String label) throws Exception {
        Netlink nl = handles.get(label);
        if (nl == null) {
            nl = Netlink.open(namespace(label));
            handles.put(label, nl);
        }
        return nl;
    }

    /** The per-run prefix every namespace name of this simulation starts with. */
    String prefix() {
        return prefix;
    }

    String realName(String label) {
        return prefix + label;
    }

    int hosts() {
        return hosts;
    }

    /** Addresses of a namespace's links, for printing. */
    List<Address> addresses(String label, String dev) throws Exception {
        return handle(label).addresses().list(dev);
    }

    @Override
    public void close() throws Exception {
        for (Netlink nl : handles.values()) {
            nl.close();
        }
        handles.clear();
        for (NetNs ns : open.values()) {
            ns.close();
        }
        open.clear();
        Exception first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                NetNs.deleteIfExists(namespaces.get(i));
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        namespaces.clear();
        if (first != null) {
            throw first;
        }
    }
}
