package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Bridge;
import dev.overlaynet.Ip;
import dev.overlaynet.Netlink;
import dev.overlaynet.VniEntry;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The VNI filter table live, both ways against {@code bridge vni}: random
 * adds and deletes (single VNIs and ranges, with and without a group or
 * remote) made alternately by the library and by the tool; after each, the
 * library's list, {@code bridge -j vni show} and the test's own model must
 * agree VNI by VNI.
 */
@ExtendWith(NetnsExtension.class)
class VniFilterInteropTest {
    private static final long SEED = Long.getLong("overlaynet.seed", 20261129L);
    private static final String NONE = "-";

    /** bridge -j vni show dev vx0, one map entry per VNI (ranges expanded). */
    private static TreeMap<Integer, String> tool(String ns) throws Exception {
        TreeMap<Integer, String> out = new TreeMap<>();
        for (Object d : (List<?>) Oracle.json("bridge", "-n", ns, "-j", "vni", "show", "dev", "vx0")) {
            for (Object o : (List<?>) ((Map<?, ?>) d).get("vnis")) {
                Map<?, ?> v = (Map<?, ?>) o;
                int start = ((Number) v.get("vni")).intValue();
                int end = v.get("vniEnd") != null ? ((Number) v.get("vniEnd")).intValue() : start;
                Object g = v.get("group") != null ? v.get("group") : v.get("remote");
                for (int i = start; i <= end; i++) {
                    out.put(i, g == null ? NONE : g.toString());
                }
            }
        }
        return out;
    }

    private static TreeMap<Integer, String> library(Netlink nl) throws NetlinkException {
        TreeMap<Integer, String> out = new TreeMap<>();
        for (VniEntry e : nl.vniFilters().list("vx0")) {
            assertThat(e.dev()).isEqualTo("vx0");
            for (int i = e.vni(); i <= e.end(); i++) {
                out.put(i, e.group() == null ? NONE : Ip.text(e.group()));
            }
        }
        return out;
    }

    private static Netlink device(TestNamespaces nss, String label) throws Exception {
        NetNs ns = nss.create(label);
        Netlink nl = nss.netlink(ns);
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.links().add(Vxlan.builder().name("vx0").external(true).vnifilter(true).device("ul0").build());
        nl.links().up("ul0", "vx0");
        return nl;
    }

    /**
     * Whether the add would take a VNI off a multicast group. Kernel 6.18 then
     * sometimes answers EADDRNOTAVAIL, for iproute2 as for the library (a
     * sequence of eight {@code bridge vni add} shrunk from a failing seed
     * reproduces it with the tool alone), so the random walk avoids it.
     */
    private static boolean movesAMulticastVni(Map<Integer, String> model, int start, int end, String g) {
        for (int i = start; i <= end; i++) {
            String old = model.get(i);
            if (old != null && old.startsWith("239.") && !old.equals(g)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void randomAddsAndDeletesAgreeWithBridgeVniShow(TestNamespaces nss) throws Exception {
        System.out.println("VniFilterInteropTest seed " + SEED + " (-Doverlaynet.seed=N to repeat)");
        Random r = new Random(SEED);
        Netlink nl = device(nss, "v");
        String ns = nss.name("v");
        TreeMap<Integer, String> model = new TreeMap<>();
        String[] groups = {NONE, NONE, "239.1.1.1", "239.1.1.2", "10.0.0.5"};
        int ops = 0;
        int deletes = 0;
        for (int step = 0; step < 60; step++) {
            boolean byLibrary = r.nextBoolean();
            if (model.isEmpty() || r.nextInt(3) > 0) {
                int start = 1 + r.nextInt(60);
                int end = r.nextInt(3) == 0 ? start + r.nextInt(8) : start;
                String g = groups[r.nextInt(groups.length)];
                if (movesAMulticastVni(model, start, end, g)) {
                    continue; // kernel 6.18 quirk, see movesAMulticastVni
                }
                if (byLibrary) {
                    nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(start).end(end == start ? null : end)
                            .group(g.equals(NONE) ? null : g).build());
                } else {
                    List<String> cmd = new ArrayList<>(List.of("bridge", "-n", ns, "vni", "add", "dev", "vx0", "vni",
                            end == start ? "" + start : start + "-" + end));
                    if (!g.equals(NONE)) {
                        cmd.addAll(List.of(g.startsWith("239.") ? "group" : "remote", g));
                    }
                    Oracle.run(cmd.toArray(new String[0]));
                }
                for (int i = start; i <= end; i++) {
                    model.put(i, g);
                }
            } else {
                // delete a run that is present, so the kernel has no reason to refuse, and that has no
                // multicast group (kernel 6.18 quirk, see multicastDeleteLeavesTheGroupForEveryVni)
                List<Integer> present = new ArrayList<>();
                model.forEach((k, v) -> {
                    if (!v.startsWith("239.")) {
                        present.add(k);
                    }
                });
                if (present.isEmpty()) {
                    continue;
                }
                int start = present.get(r.nextInt(present.size()));
                int end = start;
                while (model.containsKey(end + 1) && !model.get(end + 1).startsWith("239.") && r.nextInt(4) > 0) {
                    end++;
                }
                if (byLibrary) {
                    nl.vniFilters().delete(VniEntry.builder().dev("vx0").vni(start).end(end == start ? null : end).build());
                } else {
                    Oracle.run("bridge", "-n", ns, "vni", "delete", "dev", "vx0", "vni",
                            end == start ? "" + start : start + "-" + end);
                }
                for (int i = start; i <= end; i++) {
                    model.remove(i);
                }
                deletes++;
            }
            ops++;
            assertThat(tool(ns)).as("seed %d step %d: bridge vni show", SEED, step).isEqualTo(model);
            assertThat(library(nl)).as("seed %d step %d: library list", SEED, step).isEqualTo(model);
        }
        assertThat(ops).isGreaterThan(40);
        assertThat(deletes).isGreaterThan(5);
        assertThat(model).isNotEmpty();
    }

    /**
     * Kernel 6.18: deleting one VNI of a multicast group that other VNIs still
     * use drops the device's membership, and the next add of a VNI with that
     * group then fails with EADDRNOTAVAIL. iproute2 and the library get the
     * same answer; deleting the group's last VNI is fine.
     */
    @Test
    void multicastDeleteLeavesTheGroupForEveryVni(TestNamespaces nss) throws Exception {
        Netlink nl = device(nss, "m");
        String ns = nss.name("m");
        Oracle.run("bridge", "-n", ns, "vni", "add", "dev", "vx0", "vni", "46-47", "group", "239.1.1.1");
        Oracle.run("bridge", "-n", ns, "vni", "delete", "dev", "vx0", "vni", "47");
        Oracle.Result tool = Oracle.exec("bridge", "-n", ns, "vni", "add", "dev", "vx0", "vni", "46", "group", "239.1.1.1");
        assertThat(tool.ok()).as("the kernel no longer loses the group: widen the random walk").isFalse();
        assertThat(tool.stderr()).contains("Cannot assign requested address");
        nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(60).end(61).group("239.1.1.2").build());
        nl.vniFilters().delete(VniEntry.of("vx0", 61));
        assertThatThrownBy(() -> nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(60).group("239.1.1.2").build()))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("EADDRNOTAVAIL");
        // a group's only VNI deleted and added again: no trouble
        nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(70).group("239.1.1.3").build());
        nl.vniFilters().delete(VniEntry.of("vx0", 70));
        nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(70).group("239.1.1.3").build());
        assertThat(tool(ns)).containsEntry(70, "239.1.1.3");
    }

    @Test
    void addAllSendsOneMessageAndDumpMergesRanges(TestNamespaces nss) throws Exception {
        Netlink nl = device(nss, "b");
        nl.vniFilters().addAll(List.of(VniEntry.of("vx0", 10), VniEntry.of("vx0", 11), VniEntry.of("vx0", 12),
                VniEntry.builder().dev("vx0").vni(20).group("239.9.9.9").build()));
        List<VniEntry> l = nl.vniFilters().list();
        assertThat(l).extracting(VniEntry::toString)
                .containsExactly("dev vx0 vni 10-12", "dev vx0 vni 20 group 239.9.9.9");
    }

    @Test
    void kernelErrorsNameTheEntry(TestNamespaces nss) throws Exception {
        Netlink nl = device(nss, "k");
        assertThatThrownBy(() -> nl.vniFilters().delete(VniEntry.of("vx0", 999)))
                .isInstanceOf(NetlinkException.class).hasMessageContaining("No such file");
        // a plain vxlan has no VNI filter
        nl.links().add(Vxlan.builder().name("vx9").vni(9).build());
        assertThatThrownBy(() -> nl.vniFilters().add(VniEntry.of("vx9", 5)))
                .isInstanceOf(NetlinkException.class);
    }
}
