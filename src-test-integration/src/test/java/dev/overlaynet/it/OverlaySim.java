package dev.overlaynet.it;

import dev.overlaynet.Bridge;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;

/**
 * Simulated hosts for the overlay tests, built with the library (the same
 * shape as the examples' simulation, without depending on that module): a
 * switch namespace {@code sw} with bridge {@code ul0} (multicast snooping off,
 * so multicast VXLAN floods to every port), host namespaces {@code h1..hN},
 * each with {@code eth1} = 172.16.1.(10+i)/24 on it. Container namespaces
 * come from {@link #container}. All namespaces belong to the test's
 * {@link TestNamespaces}, so they are deleted even when a test fails.
 *
 * <p>IPv6 is disabled in every namespace before any interface exists: the
 * overlay is IPv4-only, and IPv6 DAD, MLD and router solicitations would make
 * snapshots depend on timing and would carry container MACs across hosts
 * behind the tests' backs.
 */
final class OverlaySim {
    static final String GATEWAY = "10.233.0.1";

    private final TestNamespaces nss;
    private final NetNs[] hosts;
    private final Netlink[] handles;
    private final ChangeCounter[] linkMessages;

    private OverlaySim(TestNamespaces nss, int n) {
        this.nss = nss;
        this.hosts = new NetNs[n + 1];
        this.handles = new Netlink[n + 1];
        this.linkMessages = new ChangeCounter[n + 1];
    }

    static OverlaySim create(TestNamespaces nss, int n) throws Exception {
        OverlaySim s = new OverlaySim(nss, n);
        NetNs sw = s.namespace("sw");
        Netlink swNl = nss.netlink(sw);
        swNl.links().add(Bridge.builder().name("ul0").mcastSnooping(false).build());
        swNl.links().up("lo", "ul0");
        for (int i = 1; i <= n; i++) {
            NetNs h = s.namespace("h" + i);
            s.linkMessages[i] = new ChangeCounter();
            Netlink nl = nss.closeLater(Netlink.builder().namespace(h).listener(s.linkMessages[i]).open());
            s.hosts[i] = h;
            s.handles[i] = nl;
            nl.links().up("lo");
            nl.links().add(Veth.builder().name("eth1").peer("p" + i).peerNamespace(sw).build());
            swNl.links().setMaster("p" + i, "ul0");
            swNl.links().up("p" + i);
            nl.addresses().add("eth1", underlayIp(i) + "/24");
            nl.links().up("eth1");
        }
        for (int i = 1; i <= n; i++) {
            awaitCarrier(s.hostName(i), "eth1");
        }
        return s;
    }

    /**
     * Waits (up to 10 s) until {@code dev} in namespace {@code ns} reports
     * operstate UP: a veth gets carrier a moment after both ends are up, and a
     * snapshot taken before that would differ from one taken later for no fault
     * of the code under test. Not a timing assertion: only a readiness wait.
     */
    static void awaitCarrier(String ns, String dev) throws Exception {
        for (int tries = 0; tries < 500; tries++) {
            Object j = Oracle.json("ip", "-n", ns, "-j", "link", "show", "dev", dev);
            if ("UP".equals(((Map<?, ?>) ((List<?>) j).get(0)).get("operstate"))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(dev + " in " + ns + " never got carrier");
    }

    /** {@link #awaitCarrier} for both ends of an attached container's veth. */
    void awaitAttached(int host, dev.overlaynet.overlay.ContainerSpec c) throws Exception {
        awaitCarrier(hostName(host), c.hostInterfaceName());
        awaitCarrier(c.namespace().name(), c.interfaceName());
    }

    /** A namespace with IPv6 off; deleted with the test's namespaces. */
    private NetNs namespace(String label) throws Exception {
        NetNs ns = nss.create(label);
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ns.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        return ns;
    }

    /** A fresh container namespace (lo down, nothing else), IPv6 off. */
    NetNs container(String label) throws Exception {
        return namespace(label);
    }

    static String underlayIp(int i) {
        return "172.16.1." + (10 + i);
    }

    /** The unique overlay address of host {@code i} (for {@link HostSpec#hostAddress()}). */
    static String hostAddress(int i) {
        return "10.233.255." + (10 + i);
    }

    /** The overlay address of container {@code c} (1-based) on host {@code i}: 10.233.i.(10+c). */
    static String containerIp(int i, int c) {
        return "10.233." + i + "." + (10 + c);
    }

    NetNs host(int i) {
        return hosts[i];
    }

    String hostName(int i) {
        return hosts[i].name();
    }

    Netlink handle(int i) {
        return handles[i];
    }

    /** RTM_NEWLINK and RTM_DELLINK messages host {@code i}'s handle has sent, counted by its listener. */
    long linkMessagesSent(int i) {
        return linkMessages[i].linkChanges();
    }

    int size() {
        return hosts.length - 1;
    }

    static Overlay overlay(Overlay.Mode mode) {
        Overlay.Builder b = Overlay.builder().cidr("10.233.0.0/16").vni(42).dstPort(4789);
        return (mode == Overlay.Mode.MULTICAST ? b.multicastGroup("239.1.1.1") : b.unicast()).build();
    }

    static HostSpec hostSpec(int i, boolean withHostAddress) {
        HostSpec.Builder b = HostSpec.builder().underlayDevice("eth1").localAddress(underlayIp(i));
        if (withHostAddress) {
            b.hostAddress(hostAddress(i));
        }
        return b.build();
    }
}
