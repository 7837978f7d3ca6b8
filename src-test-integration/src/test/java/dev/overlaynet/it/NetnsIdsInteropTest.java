package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.Veth;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Netns ids both ways against {@code ip netns set / list-id} and {@code ip -d link}'s link-netns. */
@ExtendWith(NetnsExtension.class)
class NetnsIdsInteropTest {
    private static final long SEED = Long.getLong("overlaynet.seed", 20261129L);
    private static final Pattern LIST_ID = Pattern.compile("nsid (\\d+) \\(iproute2 netns name: (\\S+)\\)");

    /** ip -n NS netns list-id, as id → name. */
    private static Map<Integer, String> ipListId(String ns) throws Exception {
        Map<Integer, String> out = new HashMap<>();
        Matcher m = LIST_ID.matcher(Oracle.run("ip", "-n", ns, "netns", "list-id"));
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        return out;
    }

    @Test
    void randomIdsSetByEitherSideReadBackOnTheOther(TestNamespaces nss) throws Exception {
        System.out.println("NetnsIdsInteropTest seed " + SEED + " (-Doverlaynet.seed=N to repeat)");
        Random r = new Random(SEED);
        NetNs host = nss.create("h");
        Netlink nl = nss.netlink(host);
        String h = nss.nameOf(host);
        Map<Integer, String> expected = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            NetNs peer = nss.create("p" + i);
            int id;
            do {
                id = r.nextInt(1 << (1 + r.nextInt(30)));
            } while (expected.containsKey(id));
            if (r.nextBoolean()) {
                nl.netnsIds().set(peer, id);
            } else {
                Oracle.run("ip", "-n", h, "netns", "set", nss.nameOf(peer), Integer.toString(id));
            }
            expected.put(id, nss.nameOf(peer));
            assertThat(nl.netnsIds().get(peer)).as("seed %d", SEED).isEqualTo(OptionalInt.of(id));
        }
        assertThat(ipListId(h)).as("seed %d: ip netns list-id", SEED).isEqualTo(expected);
        assertThat(nl.netnsIds().list()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        Map<Integer, String> named = new HashMap<>(nl.netnsIds().listNamed());
        assertThat(named).as("seed %d: listNamed", SEED).isEqualTo(expected);

        // a second id for the same peer: the kernel refuses, the error names it
        NetNs p0 = nss.get("p0");
        int have = nl.netnsIds().get(p0).getAsInt();
        int other = expected.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
        assertThatThrownBy(() -> nl.netnsIds().set(p0, other)).isInstanceOf(NetlinkException.class)
                .hasMessageContaining("EEXIST");
        assertThat(nl.netnsIds().assign(p0)).isEqualTo(have);
    }

    @Test
    void assignLetsTheKernelPickAndNegativeIdsAreRefusedBeforeTheSyscall(TestNamespaces nss) throws Exception {
        NetNs host = nss.create("h");
        Netlink nl = nss.netlink(host);
        NetNs peer = nss.create("p");
        assertThat(nl.netnsIds().get(peer)).isEmpty();
        assertThatThrownBy(() -> nl.netnsIds().set(peer, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nsid -2");
        int id = nl.netnsIds().assign(peer);
        assertThat(id).isNotNegative();
        assertThat(ipListId(nss.nameOf(host))).containsEntry(id, nss.nameOf(peer));
    }

    @Test
    void vethWithItsPeerElsewhereSaysWhere(TestNamespaces nss) throws Exception {
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        Netlink nl = nss.netlink(a);
        String an = nss.nameOf(a);
        // ip makes the pair across namespaces; the kernel gives b an id in a
        Oracle.run("ip", "-n", an, "link", "add", "va0", "type", "veth", "peer", "name", "vb0", "netns", nss.nameOf(b));
        Map<?, ?> j = (Map<?, ?>) ((List<?>) Oracle.json("ip", "-n", an, "-d", "-j", "link", "show", "va0")).get(0);
        Link va = nl.links().get("va0");
        assertThat(va.linkNetnsId()).isEqualTo(((Number) Json.path(j, "link_netnsid")).intValue());
        assertThat(va.linkIndex()).isEqualTo(((Number) Json.path(j, "link_index")).intValue());
        assertThat(va.linkIndex()).isEqualTo(nss.netlink(b).ifindex("vb0"));
        assertThat(Oracle.run("ip", "-n", an, "-d", "link", "show", "va0"))
                .contains("link-netns " + nl.netnsIds().name(va.linkNetnsId()).orElseThrow());
        assertThat(nl.netnsIds().name(va.linkNetnsId())).contains(nss.nameOf(b));

        // and the library's own pair: peer moved away, the same answer
        nl.links().add(Veth.builder().name("vc0").peer("vd0").build());
        nl.links().moveToNamespace("vd0", b);
        Link vc = nl.links().get("vc0");
        assertThat(vc.linkNetnsId()).isEqualTo(va.linkNetnsId());
        Map<?, ?> jc = (Map<?, ?>) ((List<?>) Oracle.json("ip", "-n", an, "-d", "-j", "link", "show", "vc0")).get(0);
        assertThat(((Number) Json.path(jc, "link_netnsid")).intValue()).isEqualTo(vc.linkNetnsId());
        // a pair inside one namespace has no netns id
        nl.links().add(Veth.builder().name("ve0").peer("vf0").build());
        assertThat(nl.links().get("ve0").linkNetnsId()).isNull();
        assertThat(nl.links().get("ve0").linkIndex()).isEqualTo(nl.ifindex("vf0"));
    }
}
