package dev.overlaynet.examples;

import dev.overlaynet.Address;
import dev.overlaynet.Bridge;
import dev.overlaynet.EnsureResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Nat;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The walkthrough's steps, one method per step, with the low-level typed API
 * (the {@code overlay} package does all of this in one call). Each prints the
 * iproute2 command it replaces, and records how to take back what it made,
 * so that a run that fails half way can {@link #rollback()} to where it
 * started instead of leaving half an overlay on the host. Every step uses
 * {@code ensure}-style verbs, so running the walkthrough again on a host where
 * it ran changes nothing and sends no change request (and records no undo).
 *
 * <pre>{@code
 * Walkthrough w = new Walkthrough();
 * try {
 *     w.bridge(nl, null);
 *     w.gateway(nl, "10.233.0.1/16");
 * } catch (Exception e) {
 *     w.rollback(e);
 *     throw e;
 * }
 * }</pre>
 */
final class Walkthrough {
    /** One step taken back. */
    @FunctionalInterface
    interface Undo {
        void run() throws Exception;
    }

    private final Deque<Undo> undo = new ArrayDeque<>();

    private static void say(String iproute2) {
        System.out.println("  $ " + iproute2);
    }

    /** How iproute2 names a namespace: its name under /run/netns, else its path. */
    static String nsArg(NetNs ns) {
        return ns.name() != null ? ns.name() : ns.path();
    }

    /** Takes back every recorded step, newest first; failures are added to {@code cause}. */
    void rollback(Exception cause) {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (Exception e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Step 1, multicast: {@code ip link add vxlan0 type vxlan id 42 dstport 4789 group 239.1.1.1 dev eth1}. */
    void vxlanMulticast(Netlink nl, int vni, int port, String group, String dev) throws Exception {
        say("ip link add vxlan0 type vxlan id " + vni + " dstport " + port + " group " + group + " dev " + dev);
        if (nl.links().ensure(Vxlan.builder().name("vxlan0").vni(vni).dstPort(port).group(group).device(dev).build())
                == EnsureResult.CREATED) {
            undo.push(() -> nl.links().deleteIfExists("vxlan0"));
        }
    }

    /** Step 7, unicast: {@code ip link add vxlan0 type vxlan id 42 dstport 4789 local IP dev eth1 nolearning}. */
    void vxlanUnicast(Netlink nl, int vni, int port, String local, String dev) throws Exception {
        say("ip link add vxlan0 type vxlan id " + vni + " dstport " + port + " local " + local + " dev " + dev + " nolearning");
        if (nl.links().ensure(Vxlan.builder().name("vxlan0").vni(vni).dstPort(port).local(local).device(dev)
                .learning(false).build()) == EnsureResult.CREATED) {
            undo.push(() -> nl.links().deleteIfExists("vxlan0"));
        }
    }

    /** Step 2: bridge br0, vxlan0 enslaved, both up. */
    void bridge(Netlink nl, String vxlan) throws Exception {
        say("ip link add br0 type bridge");
        if (nl.links().ensure(Bridge.builder().name("br0").build()) == EnsureResult.CREATED) {
            undo.push(() -> nl.links().deleteIfExists("br0"));
        }
        if (vxlan != null) {
            say("ip link set " + vxlan + " master br0; ip link set " + vxlan + " up");
            nl.links().setMaster(vxlan, "br0");
            nl.links().up(vxlan);
        }
        say("ip link set br0 up");
        nl.links().up("br0");
    }

    /** Step 4 (host side): the gateway address on br0. */
    void gateway(Netlink nl, String gatewayCidr) throws Exception {
        say("ip addr add " + gatewayCidr + " dev br0");
        if (nl.addresses().ensure(Address.of("br0", gatewayCidr)) == EnsureResult.CREATED) {
            undo.push(() -> {
                if (nl.links().find("br0").isPresent()) {
                    nl.addresses().delete("br0", gatewayCidr);
                }
            });
        }
    }

    /**
     * Steps 3 and 4 (container side): veth {@code hostEnd} on br0 with its peer
     * created as eth0 inside the container (one request, instead of creating,
     * moving and renaming it, which a second run could not repeat), lo and eth0
     * up, address and default route.
     */
    void container(Netlink host, NetNs container, String hostEnd, String cidr, String gateway) throws Exception {
        String ns = nsArg(container);
        say("ip link add " + hostEnd + " type veth peer name eth0 netns " + ns);
        if (host.links().ensure(Veth.builder().name(hostEnd).peer("eth0").peerNamespace(container).build())
                == EnsureResult.CREATED) {
            // Deleting one end deletes the pair, wherever the peer is.
            undo.push(() -> host.links().deleteIfExists(hostEnd));
        }
        try (Netlink c = Netlink.open(container)) {
            say("ip -n " + ns + " link set lo up; ip -n " + ns + " link set eth0 up");
            c.links().up("lo", "eth0");
            say("ip -n " + ns + " addr add " + cidr + " dev eth0; ip -n " + ns + " route add default via " + gateway);
            c.addresses().ensure(Address.of("eth0", cidr));
            c.routes().ensure(Route.builder().dst("default").via(gateway).dev("eth0").build());
        }
        say("ip link set " + hostEnd + " master br0; ip link set " + hostEnd + " up");
        host.links().setMaster(hostEnd, "br0");
        host.links().up(hostEnd);
    }

    /** Step 6: forwarding and masquerade of the overlay's traffic leaving it. */
    void natOut(Netlink nl, String cidr) throws Exception {
        say("sysctl -w net.ipv4.ip_forward=1");
        boolean wasOn = nl.sysctls().ipForward();
        nl.sysctls().ipForward(true);
        undo.push(() -> nl.sysctls().ipForward(wasOn));
        say("iptables -t nat -A POSTROUTING -s " + cidr + " ! -d " + cidr + " -j MASQUERADE   (as nftables, natively)");
        boolean tableExisted = nl.nftables().exists();
        if (nl.nftables().apply(Nat.masquerade(cidr).tag("walkthrough").build()) > 0) {
            undo.push(() -> {
                nl.nftables().remove("walkthrough");
                if (!tableExisted) {
                    nl.nftables().deleteTable();
                }
            });
        }
    }

    /** Step 7: head-end replication to a peer: {@code bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst PEER}. */
    void floodTo(Netlink nl, String peer) throws Exception {
        say("bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst " + peer);
        FdbEntry f = FdbEntry.flood("vxlan0", peer);
        if (nl.fdb().ensure(f) != EnsureResult.CREATED) {
            return;
        }
        undo.push(() -> {
            if (nl.links().find("vxlan0").isPresent()) {
                nl.fdb().delete(f);
            }
        });
    }

    /** Step 7: a remote container kept by the program: neighbour on br0, FDB entry on vxlan0. */
    void staticEndpoint(Netlink nl, String ip, MacAddress mac, String peer) throws Exception {
        say("ip neigh add " + ip + " lladdr " + mac + " dev br0");
        Neighbour n = Neighbour.permanent("br0", ip, mac);
        if (nl.neighbours().ensure(n) == EnsureResult.CREATED) {
            undo.push(() -> {
                if (nl.links().find("br0").isPresent()) {
                    nl.neighbours().delete(n);
                }
            });
        }
        say("bridge fdb append " + mac + " dev vxlan0 dst " + peer);
        FdbEntry f = FdbEntry.remote("vxlan0", mac, peer);
        if (nl.fdb().ensure(f) == EnsureResult.CREATED) {
            undo.push(() -> {
                if (nl.links().find("vxlan0").isPresent()) {
                    nl.fdb().delete(f);
                }
            });
        }
    }

    /** The MAC of eth0 inside a container. */
    static MacAddress containerMac(NetNs container) throws Exception {
        try (Netlink c = Netlink.open(container)) {
            return c.links().get("eth0").address();
        }
    }
}
