package dev.overlaynet.it;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.Oracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The link part of the conformance suite: what every link kind shares (mtu,
 * address, txqlen, link group, alias, up), read from {@code ip -d -j link
 * show}, and the kinds' own families ({@link VxlanConformance},
 * {@link BridgeConformance}, {@link LinkKindsConformance}).
 */
abstract class LinkConformance extends ConformanceFamily {
    static final List<String> COMMON = List.of("mtu", "address", "txQueueLength", "linkGroup", "alias", "up");

    static List<ConformanceFamily> families() {
        return List.of(new VxlanConformance(false), new VxlanConformance(true), new BridgeConformance(),
                new LinkKindsConformance.Port(), new LinkKindsConformance.MacvlanFamily(),
                new LinkKindsConformance.VethFamily());
    }

    /**
     * A name unique in the case's namespace ("c" and the case number), with
     * a random tail of the other characters a name may hold, non-ASCII
     * letters among them; at most 14 bytes of UTF-8, so that a veth peer's
     * name (one more letter) fits IFNAMSIZ.
     */
    static String linkName(Random r, int n) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-;\u00e9\u00df\u65e5";
        StringBuilder sb = new StringBuilder("c").append(n);
        if (chance(r, 0.5)) {
            sb.append('-');
            for (int i = between(r, 0, 13 - sb.length()); i > 0; i--) {
                char c = chars.charAt(r.nextInt(chars.length()));
                if (utf8Length(sb.toString() + c) <= 14) {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The kind's builder with the kind's own input applied (name and common fields are added by the caller). */
    abstract Link.Builder<?, ?> kindBuilder(Map<String, Object> in);

    /** The arguments after {@code type KIND} for {@code ip link add}. */
    abstract List<String> kindArgs(Map<String, Object> in);

    abstract String kind();

    @Override
    String name() {
        return kind();
    }

    /** Arguments before {@code type}, such as a macvlan's {@code link PARENT}. */
    List<String> parentArgs(Map<String, Object> in) {
        return List.of();
    }

    /** The kind's attributes from {@code ip -d -j}: the whole link object. */
    abstract Map<String, String> kindFromTools(String ns, Map<?, ?> link, Map<String, Object> in) throws Exception;

    abstract Map<String, String> kindFromLibrary(Netlink nl, Link l, Map<String, Object> in) throws Exception;

    /** Draws the common fields: each with some chance, mtu between {@code mtuLo} and {@code mtuHi}. */
    static void common(Random r, Map<String, Object> in, int mtuLo, int mtuHi) {
        if (chance(r, 0.5)) {
            in.put("mtu", between(r, mtuLo, mtuHi));
        }
        if (chance(r, 0.5)) {
            in.put("address", mac(r));
        }
        if (chance(r, 0.4)) {
            in.put("txQueueLength", (long) r.nextInt(10001));
        }
        if (chance(r, 0.4)) {
            in.put("linkGroup", (long) r.nextInt(256));
        }
        if (chance(r, 0.4)) {
            in.put("alias", alias(r));
        }
        if (chance(r, 0.4)) {
            in.put("up", true);
        }
    }

    /** Printable text with spaces, punctuation and some non-ASCII letters, 1..60 characters, not blank at either end. */
    static String alias(Random r) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/#@+=,()[]\"'\\\u00e9\u00df\u65e5\u2713";
        int len = between(r, 1, 60);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString().strip().isEmpty() ? "x" : sb.toString().strip();
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(REBUILD, "ok");
        in.forEach((k, v) -> {
            if (!k.startsWith("_") && !k.equals("name")) {
                out.put(k, canon(v));
            }
        });
        return out;
    }

    Link build(Map<String, Object> in) {
        Link.Builder<?, ?> b = kindBuilder(in);
        b.name((String) in.get("name"));
        b.mtu((Integer) in.get("mtu"));
        b.address((String) in.get("address"));
        b.txQueueLength((Long) in.get("txQueueLength"));
        b.linkGroup((Long) in.get("linkGroup"));
        b.alias((String) in.get("alias"));
        b.up((Boolean) in.get("up"));
        if (in.containsKey("master")) {
            b.master((String) in.get("master"));
        }
        return b.build();
    }

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        nl.links().add(build(in));
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "-n", ns, "link", "add", (String) in.get("name")));
        if (in.containsKey("mtu")) {
            cmd.addAll(List.of("mtu", in.get("mtu").toString()));
        }
        if (in.containsKey("address")) {
            cmd.addAll(List.of("address", (String) in.get("address")));
        }
        if (in.containsKey("txQueueLength")) {
            cmd.addAll(List.of("txqlen", in.get("txQueueLength").toString()));
        }
        if (in.containsKey("linkGroup")) {
            cmd.addAll(List.of("group", in.get("linkGroup").toString()));
        }
        if (in.containsKey("master")) {
            cmd.addAll(List.of("master", (String) in.get("master")));
        }
        cmd.addAll(parentArgs(in));
        cmd.addAll(List.of("type", kind()));
        cmd.addAll(kindArgs(in));
        Oracle.run(cmd.toArray(new String[0]));
        if (in.containsKey("alias")) {
            LinkOracle.ip(ns, "link", "set", "dev", (String) in.get("name"), "alias", (String) in.get("alias"));
        }
        if (Boolean.TRUE.equals(in.get("up"))) {
            LinkOracle.ip(ns, "link", "set", "dev", (String) in.get("name"), "up");
        }
    }

    @Override
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        Map<?, ?> j = LinkOracle.show(ns, (String) in.get("name"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("mtu", str(j, "mtu"));
        out.put("address", str(j, "address"));
        out.put("txQueueLength", num0(j, "txqlen")); // ip prints the queue length only when it is not 0
        Object group = j.get("group");
        out.put("linkGroup", "default".equals(group) ? "0" : canon(group));
        out.put("alias", str(j, "ifalias"));
        out.put("up", Boolean.toString(((List<?>) j.get("flags")).contains("UP")));
        out.put("master", str(j, "master"));
        out.putAll(kindFromTools(ns, j, in));
        return out;
    }

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        Link l = nl.links().get((String) in.get("name"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("mtu", canon(l.mtu()));
        out.put("address", canon(l.address()));
        out.put("txQueueLength", canon(l.txQueueLength()));
        out.put("linkGroup", canon(l.linkGroup()));
        out.put("alias", canon(l.alias()));
        out.put("up", canon(l.up()));
        out.put("master", canon(l.master()));
        out.putAll(kindFromLibrary(nl, l, in));
        out.put(REBUILD, rebuild(() -> l.toBuilder().build()));
        return out;
    }

    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        Link want = build(in);
        // Only for the report: what the library itself finds different (its own view, never the verdict).
        String differs = String.join(",", want.differences(nl.links().get(want.name())));
        long before = MutationCount.of(nl);
        var result = nl.links().ensure(want);
        return new Ensured(result, MutationCount.of(nl) - before, differs);
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        Oracle.exec("ip", "-n", ns, "link", "del", "dev", (String) in.get("name"));
    }

    static Map<?, ?> infoData(Map<?, ?> link) {
        return (Map<?, ?>) Json.path(link, "linkinfo", "info_data");
    }

    /** A number printed only when not zero. */
    static String num0(Map<?, ?> json, String key) {
        Object v = json == null ? null : json.get(key);
        return v == null ? "0" : canon(v);
    }
}
