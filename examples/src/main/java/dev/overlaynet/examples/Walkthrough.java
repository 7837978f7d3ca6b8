package dev.overlaynet.examples;

import dev.overlaynet.Address;
import dev.overlaynet.Bridge;
import dev.overlaynet.Fdb;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Nat;
import dev.overlaynet.Neigh;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;

/**
 * The walkthrough's steps, one method per step, with the low-level typed API
 * (the {@code overlay} package does all of this in one call). Each prints the
 * iproute2 command it replaces. Every step uses {@code ensure}-style verbs,
 * so running the walkthrough again on a host where it ran changes nothing
 * and sends no change request.
 */
final class Walkthrough {
    private Walkthrough() {}

    private static void say(String iproute2) {
        System.out.println("  $ " + iproute2);
    }

    /** Step 1, multicast: {@code ip link add vxlan0 type vxlan id 42 dstport 4789 group 239.1.1.1 dev eth1}. */
    static void vxlanMulticast(Netlink nl, int vni, int port, String group, String dev) throws Exception {
        say("ip link add vxlan0 type vxlan id " + vni + " dstport " + port + " group " + group + " dev " + dev);
        nl.links().ensure(Vxlan.builder().name("vxlan0").vni(vni).dstPort(port).group(group).device(dev).build());
    }

    /** Step 7, unicast: {@code ip link add vxlan0 type vxlan id 42 dstport 4789 local IP dev eth1 nolearning}. */
    static void vxlanUnicast(Netlink nl, int vni, int port, String local, String dev) throws Exception {
        say("ip link add vxlan0 type vxlan id " + vni + " dstport " + port + " local " + local + " dev " + dev + " nolearning");
        nl.links().ensure(Vxlan.builder().name("vxlan0").vni(vni).dstPort(port).local(local).device(dev).learning(false).build());
    }

    /** Step 2: bridge br0, vxlan0 enslaved, both up. */
    static void bridge(Netlink nl, String vxlan) throws Exception {
        say("ip link add br0 type bridge");
        nl.links().ensure(Bridge.builder().name("br0").build());
        if (vxlan != null) {
            say("ip link set " + vxlan + " master br0; ip link set " + vxlan + " up");
            nl.links().setMaster(vxlan, "br0");
            nl.links().up(vxlan);
        }
        say("ip link set br0 up");
        nl.links().up("br0");
    }

    /** Step 4 (host side): the gateway address on br0. */
    static void gateway(Netlink nl, String gatewayCidr) throws Exception {
        say("ip addr add " + gatewayCidr + " dev br0");
        nl.addresses().ensure(Address.of("br0", gatewayCidr));
    }

    /**
     * Steps 3 and 4 (container side): veth {@code hostEnd} on br0 with its peer
     * created as eth0 inside the container (one request, instead of creating,
     * moving and renaming it, which a second run could not repeat), lo and eth0
     * up, address and default route.
     */
    static void container(Netlink host, NetNs container, String hostEnd, String cidr, String gateway) throws Exception {
        String ns = container.name() != null ? container.name() : container.toString();
        say("ip link add " + hostEnd + " type veth peer name eth0 netns " + ns);
        host.links().ensure(Veth.builder().name(hostEnd).peer("eth0").peerNamespace(container).build());
        try (Netlink c = Netlink.open(container)) {
            say("ip netns exec " + ns + " ip link set lo up; ip netns exec " + ns + " ip link set eth0 up");
            c.links().up("lo", "eth0");
            say("ip netns exec " + ns + " ip addr add " + cidr + " dev eth0; ip route add default via " + gateway);
            c.addresses().ensure(Address.of("eth0", cidr));
            c.routes().ensure(Route.builder().dst("default").via(gateway).dev("eth0").build());
        }
        say("ip link set " + hostEnd + " master br0; ip link set " + hostEnd + " up");
        host.links().setMaster(hostEnd, "br0");
        host.links().up(hostEnd);
    }

    /** Step 6: forwarding and masquerade of the overlay's traffic leaving it. */
    static void natOut(Netlink nl, String cidr) throws Exception {
        say("sysctl -w net.ipv4.ip_forward=1");
        nl.sysctls().ipForward(true);
        say("iptables -t nat -A POSTROUTING -s " + cidr + " ! -d " + cidr + " -j MASQUERADE   (as nftables, natively)");
        nl.nftables().apply(Nat.masquerade(cidr).tag("walkthrough").build());
    }

    /** Step 7: head-end replication to a peer: {@code bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst PEER}. */
    static void floodTo(Netlink nl, String peer) throws Exception {
        say("bridge fdb append 00:00:00:00:00:00 dev vxlan0 dst " + peer);
        nl.fdb().ensure(Fdb.flood("vxlan0", peer));
    }

    /** Step 7: a remote container kept by the program: neighbour on br0, FDB entry on vxlan0. */
    static void staticEndpoint(Netlink nl, String ip, MacAddress mac, String peer) throws Exception {
        say("ip neigh add " + ip + " lladdr " + mac + " dev br0");
        nl.neighbours().ensure(Neigh.permanent("br0", ip, mac));
        say("bridge fdb append " + mac + " dev vxlan0 dst " + peer);
        nl.fdb().ensure(Fdb.remote("vxlan0", mac, peer));
    }

    /** The MAC of eth0 inside a container. */
    static MacAddress containerMac(NetNs container) throws Exception {
        try (Netlink c = Netlink.open(container)) {
            return c.links().get("eth0").address();
        }
    }
}
