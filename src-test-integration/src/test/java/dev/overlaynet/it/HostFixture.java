package dev.overlaynet.it;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A namespace with the links the address/route/neighbour/FDB tests need,
 * made with iproute2 (the typed links API is tested elsewhere): bridge
 * {@code br0} with port {@code vb0} (peer {@code vb1}) and vxlan {@code vx0}
 * (VNI 42, dstport 4789, nolearning), all up.
 */
final class HostFixture {
    final NetNs ns;
    final String name;
    final Netlink nl;

    private HostFixture(NetNs ns, String name, Netlink nl) {
        this.ns = ns;
        this.name = name;
        this.nl = nl;
    }

    static HostFixture create(TestNamespaces nss, String label) throws Exception {
        NetNs ns = nss.create(label);
        String n = nss.nameOf(ns);
        ipIn(n, "link", "add", "br0", "type", "bridge");
        ipIn(n, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "nolearning");
        ipIn(n, "link", "add", "vb0", "type", "veth", "peer", "name", "vb1");
        ipIn(n, "link", "set", "vb0", "master", "br0");
        for (String d : new String[] {"br0", "vx0", "vb0", "vb1"}) {
            ipIn(n, "link", "set", d, "up");
        }
        return new HostFixture(ns, n, MutationCount.open(nss, ns));
    }

    /** Runs {@code ip -n NS args...}; must succeed. */
    static String ipIn(String ns, String... args) throws Exception {
        return Oracle.run(cmd("ip", ns, args));
    }

    /** Runs {@code bridge -n NS args...}; must succeed. */
    static String bridgeIn(String ns, String... args) throws Exception {
        return Oracle.run(cmd("bridge", ns, args));
    }

    String ip(String... args) throws Exception {
        return ipIn(name, args);
    }

    String bridge(String... args) throws Exception {
        return bridgeIn(name, args);
    }

    /** {@code ip -n NS -j args...} parsed as a list of objects. */
    List<Map<String, Object>> ipJson(String... args) throws Exception {
        return list(Oracle.json(cmd("ip", name, prepend("-j", args))));
    }

    /** {@code bridge -n NS -j args...} parsed as a list of objects. */
    List<Map<String, Object>> bridgeJson(String... args) throws Exception {
        return list(Oracle.json(cmd("bridge", name, prepend("-j", args))));
    }

    /** The first object whose {@code key} equals {@code value}; fails if none. */
    static Map<String, Object> find(List<Map<String, Object>> objs, String key, Object value) {
        for (Map<String, Object> o : objs) {
            if (value.equals(o.get(key))) {
                return o;
            }
        }
        throw new AssertionError("no object with " + key + "=" + value + " in " + objs);
    }

    /** All objects whose {@code key} equals {@code value}. */
    static List<Map<String, Object>> all(List<Map<String, Object>> objs, String key, Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> o : objs) {
            if (value.equals(o.get(key))) {
                out.add(o);
            }
        }
        return out;
    }

    static long lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).count();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object parsed) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) parsed) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String[] cmd(String tool, String ns, String[] args) {
        String[] all = new String[args.length + 3];
        all[0] = tool;
        all[1] = "-n";
        all[2] = ns;
        System.arraycopy(args, 0, all, 3, args.length);
        return all;
    }
}
