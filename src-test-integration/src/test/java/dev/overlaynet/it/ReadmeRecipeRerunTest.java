package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 defect 6: the README's step-by-step recipe, as written there, runs
 * a second time without error and without a single change request. (Before,
 * its create-move-rename of the veth failed with EEXIST on the second run,
 * and its up/setMaster calls sent 33 messages that changed nothing.)
 */
@ExtendWith(NetnsExtension.class)
class ReadmeRecipeRerunTest {

    /** The README's recipe, verbatim but for the handle of ns1 being passed in, to count what it sends. */
    private static int recipe(Netlink nl, Netlink c, NetNs ns1) throws Exception {
        nl.links().ensure(Vxlan.builder().name("vxlan0").vni(42).dstPort(4789).group("239.1.1.1").device("eth1").build());
        nl.links().ensure(Bridge.builder().name("br0").build());
        nl.links().setMaster("vxlan0", "br0");
        nl.links().up("vxlan0", "br0");
        nl.links().ensure(Veth.builder().name("veth0").peer("eth0").peerNamespace(ns1).build());
        nl.links().setMaster("veth0", "br0");
        nl.links().up("veth0");
        c.links().up("lo", "eth0");
        c.addresses().ensure(Address.of("eth0", "10.233.0.2/16"));
        c.routes().ensure(Route.builder().dst("default").via("10.233.0.1").dev("eth0").build());
        nl.addresses().ensure(Address.of("br0", "10.233.0.1/16"));
        nl.sysctls().ipForward(true);
        int nat = nl.nftables().apply(Nat.masquerade("10.233.0.0/16").tag("overlay-42").build());
        nl.fdb().ensure(Fdb.flood("vxlan0", "172.16.1.12"));
        nl.neighbours().ensure(Neigh.permanent("br0", "10.233.0.3", "0a:58:0a:e9:00:03"));
        nl.fdb().ensure(Fdb.remote("vxlan0", MacAddress.parse("0a:58:0a:e9:00:03"), "172.16.1.12"));
        return nat;
    }

    @Test
    void secondRunSendsNothing(TestNamespaces nss) throws Exception {
        NetNs host = nss.create("host");
        NetNs ns1 = nss.create("c1");
        Oracle.run("ip", "-n", host.name(), "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        Oracle.run("ip", "-n", host.name(), "link", "set", "eth1", "up");
        Netlink nl = nss.netlink(host);
        Netlink c = nss.netlink(ns1);
        assertThat(recipe(nl, c, ns1)).isEqualTo(1);
        long before = MutationCount.of(nl) + MutationCount.of(c);
        assertThat(recipe(nl, c, ns1)).as("NAT rules added on the second run").isZero();
        assertThat(MutationCount.of(nl) + MutationCount.of(c) - before).as("change requests on the second run").isZero();
        assertThat(Oracle.run("ip", "-n", ns1.name(), "-br", "addr", "show", "eth0")).contains("10.233.0.2/16");
    }
}
