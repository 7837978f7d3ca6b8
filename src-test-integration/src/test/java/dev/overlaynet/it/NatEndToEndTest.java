package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.IpPrefix;
import dev.overlaynet.NamedSet;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * reference/seed-nat.sh in Java: container c1 reaches "wan" through host h1;
 * forwarding via {@code Sysctls}, NAT via the library, topology via iproute2.
 */
@ExtendWith(NetnsExtension.class)
class NatEndToEndTest {
    private static final String WAN_IP = "198.51.100.1";
    private static final String HOST_IP = "198.51.100.11";
    private static final String C1_IP = "10.233.0.2";

    private record Topology(NetNs wan, NetNs h1, NetNs c1, Netlink host) {}

    private static void ip(String ns, String args) throws Exception {
        String[] a = args.split(" ");
        String[] cmd = new String[a.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = ns;
        System.arraycopy(a, 0, cmd, 3, a.length);
        Oracle.run(cmd);
    }

    private static Topology build(TestNamespaces nss) throws Exception {
        NetNs wan = nss.create("wan");
        NetNs h1 = nss.create("h1");
        NetNs c1 = nss.create("c1");
        String w = wan.name(), h = h1.name(), c = c1.name();
        ip(h, "link add eth0 type veth peer name up0 netns " + w);
        ip(w, "addr add " + WAN_IP + "/24 dev up0");
        ip(w, "link set up0 up");
        ip(w, "link set lo up");
        ip(h, "addr add " + HOST_IP + "/24 dev eth0");
        ip(h, "link set eth0 up");
        ip(h, "link set lo up");
        ip(h, "route add default via " + WAN_IP);
        ip(h, "link add br0 type bridge");
        ip(h, "link set br0 up");
        ip(h, "addr add 10.233.0.1/16 dev br0");
        ip(h, "link add veth0 type veth peer name eth0 netns " + c);
        ip(h, "link set veth0 master br0");
        ip(h, "link set veth0 up");
        ip(c, "link set eth0 up");
        ip(c, "link set lo up");
        ip(c, "addr add " + C1_IP + "/16 dev eth0");
        ip(c, "route add default via 10.233.0.1");
        Netlink host = nss.netlink(h1);
        host.sysctls().ipForward(true);
        return new Topology(wan, h1, c1, host);
    }

    /** Sends UDP from a fresh socket in c1 (new source port, so a new conntrack entry) and returns the source wan saw. */
    private static InetAddress udpSourceSeenByWan(Topology t, DatagramSocket server) throws Exception {
        try (DatagramSocket client = t.c1().call(DatagramSocket::new)) {
            byte[] msg = "hello".getBytes(StandardCharsets.US_ASCII);
            DatagramPacket in = new DatagramPacket(new byte[64], 64);
            for (int attempt = 0; attempt < 5; attempt++) {
                client.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(WAN_IP, 9999)));
                try {
                    server.receive(in);
                    return in.getAddress();
                } catch (SocketTimeoutException e) {
                    // first packets can wait for ARP; try again
                }
            }
            throw new AssertionError("wan received nothing from c1");
        }
    }

    @Test
    void containerReachesWanAsTheHost(TestNamespaces nss) throws Exception {
        Topology t = build(nss);
        assertThat(t.host().sysctls().ipForward()).isTrue();
        assertThat(Oracle.execIn(t.h1().name(), "sysctl", "-n", "net.ipv4.ip_forward").stdout().strip()).isEqualTo("1");

        try (DatagramSocket server = t.wan().call(() -> new DatagramSocket(new InetSocketAddress(WAN_IP, 9999)))) {
            server.setSoTimeout(1000);
            // Control: without NAT wan sees the container's own address.
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(C1_IP);

            assertThat(t.host().nftables().apply(Nat.masquerade("10.233.0.0/16").tag("c1").build())).isEqualTo(1);

            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(HOST_IP);
        }
        // ICMP too, as in the walkthrough.
        Oracle.Result ping = Oracle.execIn(t.c1().name(), "ping", "-c", "1", "-W", "2", WAN_IP);
        assertThat(ping.ok()).as(ping.stdout() + ping.stderr()).isTrue();
    }

    /**
     * 1,000 random excluded prefixes in one set lookup: wan sees the host's
     * address while its own prefix is not in the set, and the container's own
     * address once a swap (one transaction) puts it in.
     */
    @Test
    void thousandExcludedPrefixesDecideByTraffic(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("natsets.seed", System.nanoTime());
        System.out.println("NatEndToEndTest.thousandExcludedPrefixesDecideByTraffic seed " + seed
                + " (rerun with -Dnatsets.seed=" + seed + ")");
        InetAddress wanIp = InetAddress.getByName(WAN_IP);
        List<String> cidrs = new ArrayList<>();
        for (String c : NatSetsInteropTest.randomCidrs(new Random(seed), 1200, true)) {
            if (!IpPrefix.parse(c).network().contains(wanIp) && cidrs.size() < 999) {
                cidrs.add(c);
            }
        }
        Topology t = build(nss);
        try (DatagramSocket server = t.wan().call(() -> new DatagramSocket(new InetSocketAddress(WAN_IP, 9999)))) {
            server.setSoTimeout(1000);
            List<String> without = new ArrayList<>(cidrs);
            without.add("203.0.113.0/24");
            t.host().nftables().apply(Nat.masquerade("10.233.0.0/16").excludeDestinationSet(without).tag("c1").build());
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(HOST_IP);

            List<String> with = new ArrayList<>(cidrs);
            with.add("198.51.100.0/24");
            assertThat(t.host().nftables().replace("c1", List.of(
                    Nat.masquerade("10.233.0.0/16").excludeDestinationSet(with).tag("c1").build()))).isEqualTo(2);
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(C1_IP);
        }
    }

    /**
     * The same decision through a NAMED set of 1,000 random prefixes: only
     * the set's elements change (the rule stays as it is), and traffic follows.
     */
    @Test
    void namedSetElementsDecideByTraffic(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("natsets.seed", System.nanoTime());
        System.out.println("NatEndToEndTest.namedSetElementsDecideByTraffic seed " + seed
                + " (rerun with -Dnatsets.seed=" + seed + ")");
        InetAddress wanIp = InetAddress.getByName(WAN_IP);
        List<String> cidrs = new ArrayList<>();
        for (String c : NatSetsInteropTest.randomCidrs(new Random(seed), 1200, true)) {
            if (!IpPrefix.parse(c).network().contains(wanIp) && cidrs.size() < 1000) {
                cidrs.add(c);
            }
        }
        Topology t = build(nss);
        try (DatagramSocket server = t.wan().call(() -> new DatagramSocket(new InetSocketAddress(WAN_IP, 9999)))) {
            server.setSoTimeout(1000);
            t.host().nftables().replace("c1",
                    List.of(Nat.masquerade("10.233.0.0/16").excludeDestinationsIn("excluded").tag("c1").build()),
                    List.of(NamedSet.ipv4("excluded").elements(cidrs).build()));
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(HOST_IP);

            String rule = Oracle.execIn(t.h1().name(), "nft", "-a", "list", "chain", "ip", "overlaynet", "postrouting").stdout();
            t.host().nftables().sets().add(NamedSet.ipv4("excluded").elements("198.51.100.0/24").build());
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(C1_IP);
            t.host().nftables().sets().remove(NamedSet.ipv4("excluded").elements("198.51.100.0/24").build());
            assertThat(udpSourceSeenByWan(t, server).getHostAddress()).isEqualTo(HOST_IP);
            // The rule (with its handle) is the one added first: only the set changed.
            assertThat(Oracle.execIn(t.h1().name(), "nft", "-a", "list", "chain", "ip", "overlaynet", "postrouting").stdout())
                    .isEqualTo(rule).contains("ip daddr != @excluded");
        }
    }

    @Test
    void wanReachesAContainerServerThroughAPortForward(TestNamespaces nss) throws Exception {
        Topology t = build(nss);
        t.host().nftables().apply(Nat.portForward(NatRule.Protocol.TCP, 8080, C1_IP, 80).tag("web").build());

        try (ServerSocket server = t.c1().call(() -> new ServerSocket(80, 1, InetAddress.getByName(C1_IP)))) {
            server.setSoTimeout(10_000);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write(("hi " + s.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
                    return s.getInetAddress().getHostAddress();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket client = t.wan().call(() -> {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(HOST_IP, 8080), 10_000);
                return s;
            })) {
                client.setSoTimeout(10_000);
                InputStream in = client.getInputStream();
                String line = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                assertThat(line).isEqualTo("hi " + WAN_IP);
                assertThat(client.getInetAddress().getHostAddress()).isEqualTo(HOST_IP);
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo(WAN_IP);
        }
    }
}
