package dev.overlaynet.it;

import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.Netlink;
import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * FDB entries against {@code bridge -j -d fdb show}: a vxlan's own (self)
 * entries with remote, VNI and port; zero-MAC flood entries appended one to
 * three times; src_vni on an external vxlan; and bridge (master) entries on
 * a port, static, permanent or dynamic, sticky or extern_learn. Attributes
 * of flood entries carry their remote after an "@", since one MAC holds
 * several remotes.
 */
final class FdbConformance extends ConformanceFamily {
    @Override
    String name() {
        return "fdb";
    }

    @Override
    void prepare(String ns) throws Exception {
        LinkOracle.ip(ns, "link", "add", "br0", "type", "bridge");
        LinkOracle.ip(ns, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning");
        LinkOracle.ip(ns, "link", "add", "vxe", "type", "vxlan", "external", "dstport", "4790", "nolearning");
        LinkOracle.ip(ns, "link", "add", "vx6", "type", "vxlan", "id", "43", "dstport", "4789", "local", "fd00::1",
                "nolearning");
        LinkOracle.ip(ns, "link", "add", "vb0", "master", "br0", "type", "veth", "peer", "name", "vb1");
        for (String d : new String[] {"br0", "vx0", "vxe", "vx6", "vb0", "vb1"}) {
            LinkOracle.ip(ns, "link", "set", d, "up");
        }
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        int kind = r.nextInt(5);
        boolean v6 = chance(r, 0.3); // a remote's family is its vxlan's: vx6 is an IPv6 vxlan
        if (kind == 0) { // flood entries: one MAC, several remotes, appended
            in.put("dev", v6 ? "vx6" : "vx0");
            in.put("mac", "00:00:00:00:00:00");
            int count = between(r, 1, 3);
            List<String> dsts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                dsts.add((v6 ? v6(r) : v4(r)) + "|" + oneOf(r, "permanent", "static") + "|"
                        + (chance(r, 0.4) ? Integer.toString(between(r, 1, 16_777_215)) : "")
                        + "|" + (chance(r, 0.4) ? Integer.toString(between(r, 1, 65535)) : ""));
            }
            in.put("_appends", dsts);
            return in;
        }
        in.put("mac", mac(r));
        if (kind == 4) { // an entry on the bridge itself: self (it has no master), and permanent
            in.put("dev", "br0");
            in.put("state", "permanent");
            in.put("flags", "self");
            return in;
        }
        if (kind == 3) { // bridge entry on a port
            in.put("dev", "vb0");
            String state = oneOf(r, "permanent", "static", "dynamic");
            in.put("state", state);
            List<String> flags = new ArrayList<>(List.of("master"));
            if (!state.equals("permanent") && chance(r, 0.3)) {
                flags.add("sticky");
            }
            if (chance(r, 0.2)) {
                flags.add("ext_learned");
            }
            in.put("flags", String.join(",", new TreeSet<>(flags)));
            return in;
        }
        v6 &= kind != 2; // vxe, the external vxlan, is IPv4
        in.put("dev", kind == 2 ? "vxe" : v6 ? "vx6" : "vx0");
        in.put("dst", v6 ? v6(r) : v4(r));
        in.put("state", oneOf(r, "permanent", "static", "dynamic"));
        in.put("flags", "self");
        if (chance(r, 0.5) || kind == 2) {
            in.put("vni", between(r, 1, 16_777_215));
        }
        if (chance(r, 0.4)) {
            in.put("port", between(r, 1, 65535));
        }
        if (kind == 2) {
            in.put("srcVni", between(r, 1, 16_777_215));
        }
        return in;
    }

    @SuppressWarnings("unchecked")
    private static List<String[]> appends(Map<String, Object> in) {
        List<String[]> out = new ArrayList<>();
        for (String s : (List<String>) in.get("_appends")) {
            out.add(s.split("\\|", -1));
        }
        return out;
    }

    private static boolean flood(Map<String, Object> in) {
        return in.containsKey("_appends");
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        if (!flood(in)) {
            Map<String, String> out = canonAll(in);
            out.put(REBUILD, "ok");
            if ("br0".equals(in.get("dev"))) {
                out.put("flags", "master"); // the bridge's own entry, added with self, lists as master br0 without self
                out.put("master", "br0");
            }
            if ("vb0".equals(in.get("dev"))) {
                out.put("master", "br0");
                if (((String) in.get("flags")).contains("ext_learned")) {
                    out.put("state", "dynamic"); // br_fdb_external_learn_add ignores the state and sticky asked
                    out.put("flags", ((String) in.get("flags")).replace(",sticky", ""));
                }
            }
            if ("vx0".equals(in.get("dev")) || "vx6".equals(in.get("dev"))) {
                out.replace("vni", "vx6".equals(in.get("dev")) ? "43" : "42", ABSENT);
                out.replace("port", "4789", ABSENT);
            } else {
                out.replace("port", "4790", ABSENT);
            }
            return out;
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String[]> a = appends(in);
        String lastState = a.get(a.size() - 1)[1]; // every append sets the state of the whole entry
        for (String[] d : a) {
            String at = "@" + d[0];
            out.put("dst" + at, d[0]);
            out.put("state" + at, lastState);
            out.put("flags" + at, "self");
            out.put(REBUILD + at, "ok");
            // the kernel dumps a remote's VNI and port only where they differ from the device's (42 or 43, 4789)
            String own = "vx6".equals(in.get("dev")) ? "43" : "42";
            out.put("vni" + at, d[2].isEmpty() || d[2].equals(own) ? ABSENT : d[2]);
            out.put("port" + at, d[3].isEmpty() || d[3].equals("4789") ? ABSENT : d[3]);
        }
        return out;
    }

    private static FdbEntry.Builder entry(Map<String, Object> in) {
        return FdbEntry.builder().dev((String) in.get("dev")).mac((String) in.get("mac"));
    }

    private static FdbEntry append(Map<String, Object> in, String[] d, String state) {
        return entry(in).dst(d[0]).state(FdbEntryState.valueOf(state.toUpperCase(Locale.ROOT)))
                .vni(d[2].isEmpty() ? null : Integer.valueOf(d[2]))
                .port(d[3].isEmpty() ? null : Integer.valueOf(d[3])).flags(NeighbourFlag.SELF).build();
    }

    private static FdbEntry build(Map<String, Object> in) {
        Set<NeighbourFlag> flags = EnumSet.noneOf(NeighbourFlag.class);
        for (String f : ((String) in.get("flags")).split(",")) {
            flags.add(NeighbourFlag.valueOf(f.toUpperCase(Locale.ROOT)));
        }
        FdbEntry.Builder b = entry(in).flags(flags).state(FdbEntryState.valueOf(((String) in.get("state")).toUpperCase(Locale.ROOT)))
                .vni((Integer) in.get("vni")).port((Integer) in.get("port")).srcVni((Integer) in.get("srcVni"));
        if (in.containsKey("dst")) {
            b.dst((String) in.get("dst"));
        }
        return b.build();
    }

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        if (flood(in)) {
            for (String[] d : appends(in)) {
                nl.fdb().append(append(in, d, d[1]));
            }
            return;
        }
        nl.fdb().add(build(in));
    }

    /**
     * The same entries again. One MAC holds one state for all its remotes
     * (see {@link KernelDifferences}), so the flood entries are ensured with
     * the state the kernel holds for them all, the last one appended: the
     * other states can not be held at the same time, by any client.
     */
    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        List<EnsureStep> steps = new ArrayList<>();
        if (flood(in)) {
            List<String[]> a = appends(in);
            String last = a.get(a.size() - 1)[1];
            for (String[] d : a) {
                FdbEntry f = append(in, d, last);
                steps.add(() -> nl.fdb().ensure(f));
            }
        } else {
            FdbEntry f = build(in);
            steps.add(() -> nl.fdb().ensure(f));
        }
        return ensureAll(() -> MutationCount.of(nl), steps);
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        if (flood(in)) {
            for (String[] d : appends(in)) {
                List<String> a = new ArrayList<>(List.of("bridge", "-n", ns, "fdb", "append", (String) in.get("mac"),
                        "dev", (String) in.get("dev"), "dst", d[0], "self", d[1]));
                if (!d[2].isEmpty()) {
                    a.addAll(List.of("vni", d[2]));
                }
                if (!d[3].isEmpty()) {
                    a.addAll(List.of("port", d[3]));
                }
                Oracle.run(a.toArray(new String[0]));
            }
            return;
        }
        List<String> a = new ArrayList<>(List.of("bridge", "-n", ns, "fdb", "add", (String) in.get("mac"), "dev",
                (String) in.get("dev")));
        for (String f : ((String) in.get("flags")).split(",")) {
            a.add(f.equals("ext_learned") ? "extern_learn" : f);
        }
        a.add((String) in.get("state"));
        options(a, in, "dst", "dst", "vni", "vni", "port", "port", "srcVni", "src_vni");
        Oracle.run(a.toArray(new String[0]));
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        List<Map<String, Object>> all = (List<Map<String, Object>>) Oracle.json("bridge", "-n", ns, "-j", "-d", "fdb",
                "show", "dev", (String) in.get("dev"));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> m : all) {
            if (!in.get("mac").equals(m.get("mac"))) {
                continue;
            }
            Set<String> flags = new TreeSet<>();
            for (Object f : (List<Object>) m.getOrDefault("flags", List.of())) {
                flags.add(f.equals("extern_learn") ? "ext_learned" : f.toString());
            }
            if (m.containsKey("master")) {
                flags.add("master");
            }
            String state = str(m, "state");
            state = state.isEmpty() ? "dynamic" : state; // bridge prints nothing for NUD_REACHABLE without NOARP
            String at = flood(in) ? "@" + m.get("dst") : "";
            put(out, "mac", at, str(m, "mac"));
            put(out, "dev", at, m.containsKey("ifname") ? str(m, "ifname") : (String) in.get("dev")); // "show dev X" leaves it out
            put(out, "dst", at, str(m, "dst"));
            put(out, "vni", at, str(m, "vni"));
            put(out, "port", at, str(m, "port"));
            put(out, "srcVni", at, str(m, "src_vni"));
            put(out, "master", at, str(m, "master"));
            put(out, "state", at, state);
            put(out, "flags", at, String.join(",", flags));
        }
        if (out.isEmpty()) {
            throw new AssertionError("bridge fdb show has no " + in.get("mac") + ": " + all);
        }
        return out;
    }

    private static void put(Map<String, String> out, String attr, String at, String v) {
        if (out.put(attr + at, v) != null) {
            throw new AssertionError("two entries for " + attr + at);
        }
    }

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (FdbEntry f : nl.fdb().list((String) in.get("dev"))) {
            if (!canon(f.mac()).equals(in.get("mac"))) {
                continue;
            }
            String at = flood(in) ? "@" + canon(f.dst()) : "";
            put(out, "mac", at, canon(f.mac()));
            put(out, "dev", at, canon(f.dev()));
            put(out, "dst", at, canon(f.dst()));
            put(out, "vni", at, canon(f.vni()));
            put(out, "port", at, canon(f.port()));
            put(out, "srcVni", at, canon(f.srcVni()));
            put(out, "master", at, f.master() == null ? ABSENT : nl.links().get(f.master()).name());
            put(out, "state", at, canon(f.state()));
            Set<String> flags = new TreeSet<>();
            f.flags().forEach(x -> flags.add(canon(x)));
            put(out, "flags", at, String.join(",", flags));
            put(out, REBUILD, at, rebuild(() -> f.toBuilder().build()));
        }
        return out;
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        if (flood(in)) {
            for (String[] d : appends(in)) {
                Oracle.exec("bridge", "-n", ns, "fdb", "del", (String) in.get("mac"), "dev", (String) in.get("dev"),
                        "dst", d[0], "self");
            }
            return;
        }
        boolean master = ((String) in.get("flags")).contains("master");
        List<String> a = new ArrayList<>(List.of("bridge", "-n", ns, "fdb", "del", (String) in.get("mac"), "dev",
                (String) in.get("dev"), master ? "master" : "self"));
        if (in.containsKey("srcVni")) {
            a.addAll(List.of("src_vni", in.get("srcVni").toString()));
        }
        Oracle.exec(a.toArray(new String[0]));
    }
}
