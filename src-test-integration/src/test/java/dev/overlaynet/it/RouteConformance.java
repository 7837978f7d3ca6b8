package dev.overlaynet.it;

import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.RouteProtocol;
import dev.overlaynet.RouteType;
import dev.overlaynet.Routes;
import dev.overlaynet.Scope;
import dev.overlaynet.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * IPv4 or IPv6 routes of every type the kernel accepts (unicast through a
 * device, a gateway, or an onlink gateway; local, broadcast, anycast,
 * multicast, blackhole, unreachable, prohibit, throw; IPv6 also nat and
 * xresolve) with table, metric,
 * scope, preferred source and protocol, against {@code ip -d -j route show table all}.
 */
final class RouteConformance extends ConformanceFamily {
    private static final String DEV = "br0";
    private final boolean v6;

    RouteConformance(boolean v6) {
        this.v6 = v6;
    }

    @Override
    String name() {
        return v6 ? "route6" : "route4";
    }

    @Override
    void prepare(String ns) throws Exception {
        bridgeUp(ns, DEV);
        LinkOracle.ip(ns, "addr", "add", "10.233.0.1/16", "dev", DEV);
        LinkOracle.ip(ns, "addr", "add", "fd00::1/64", "dev", DEV, "nodad");
    }

    @Override
    Map<String, Object> generate(Random r, int n) {
        Map<String, Object> in = new LinkedHashMap<>();
        // IPv6 keeps every type with a device; IPv4 refuses nat and xresolve ("Invalid scope")
        String type = v6 ? oneOf(r, "unicast", "unicast", "unicast", "unicast", "local", "anycast", "multicast",
                "broadcast", "nat", "xresolve", "blackhole", "unreachable", "prohibit", "throw")
                : oneOf(r, "unicast", "unicast", "unicast", "unicast", "local", "broadcast", "anycast", "multicast",
                        "blackhole", "unreachable", "prohibit", "throw");
        in.put("dst", prefix(r));
        in.put("type", type);
        boolean special = List.of("local", "broadcast", "anycast", "multicast", "nat", "xresolve").contains(type);
        if (special) {
            in.put("dev", DEV);
            // RTA_TABLE is a u32: tables above 2^31-1 too, up to 4294967295
            in.put("table", chance(r, 0.5) ? 255L : chance(r, 0.5) ? (long) between(r, 1, 5000) : 1 + (r.nextLong() & 0xfffffffeL));
        } else if (chance(r, 0.6)) {
            in.put("table", chance(r, 0.3) ? 254L : (long) between(r, 1, 252));
        }
        if (type.equals("unicast")) {
            int how = r.nextInt(3);
            if (how == 0) {
                in.put("dev", DEV);
                if (chance(r, 0.5)) {
                    in.put("scope", v6 ? oneOf(r, "global", "link", "host", "site") : oneOf(r, "global", "link", "host"));
                }
            } else if (how == 1) {
                in.put("via", v6 ? "fd00::" + Integer.toHexString(between(r, 2, 0xffff))
                        : "10.233." + r.nextInt(256) + "." + between(r, 2, 254));
                if (chance(r, 0.5)) {
                    in.put("dev", DEV);
                }
            } else {
                in.put("via", v6 ? v6(r) : v4(r));
                in.put("dev", DEV);
                in.put("onlink", true);
            }
            if (chance(r, 0.3)) {
                in.put("src", v6 ? "fd00::1" : "10.233.0.1");
            }
        }
        if (chance(r, 0.5)) {
            in.put("metric", chance(r, 0.1) ? 0L : (long) r.nextInt(Integer.MAX_VALUE) * (chance(r, 0.3) ? 2 : 1));
        }
        if (chance(r, 0.5)) {
            in.put("protocol", oneOf(r, 3, 4, between(r, 5, 255)));
        }
        return in;
    }

    private String prefix(Random r) {
        while (true) {
            if (chance(r, 0.04)) {
                return v6 ? "::/0" : "0.0.0.0/0";
            }
            byte[] b = new byte[v6 ? 16 : 4];
            r.nextBytes(b);
            int len = v6 ? between(r, 16, 128) : between(r, 8, 32);
            if (v6) {
                b[0] = (byte) 0xfd;
            }
            for (int i = 0; i < b.length * 8; i++) {
                if (i >= len) {
                    b[i / 8] &= (byte) ~(0x80 >>> (i % 8));
                }
            }
            String p = text(addr(v6 ? ipv6(b) : (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "."
                    + (b[3] & 0xff))) + "/" + len;
            boolean ours = v6 ? (b[0] == (byte) 0xfd && b[1] == 0) : ((b[0] & 0xff) == 10 && (b[1] & 0xff) == 233);
            boolean special = !v6 && ((b[0] & 0xff) == 0 || (b[0] & 0xff) == 127 || (b[0] & 0xff) >= 224);
            if (!ours && !special) {
                return p;
            }
        }
    }

    private static String ipv6(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
        }
        return sb.toString();
    }

    @Override
    Map<String, String> expected(Map<String, Object> in) {
        Map<String, String> out = canonAll(in);
        out.putIfAbsent("table", "254"); // RT_TABLE_UNSPEC lands in main
        out.put(REBUILD, "ok");
        if (v6 && out.containsKey("scope")) {
            out.put("scope", "global");
        }
        if (v6 && "0".equals(out.get("metric"))) {
            out.put("metric", "1024"); // IP6_RT_PRIO_USER
        }
        return out;
    }

    private Route build(Map<String, Object> in) {
        Route.Builder b = Route.builder().dst((String) in.get("dst"))
                .type(RouteType.valueOf(((String) in.get("type")).toUpperCase(Locale.ROOT)));
        if (in.containsKey("dev")) {
            b.dev((String) in.get("dev"));
        }
        if (in.containsKey("via")) {
            b.via((String) in.get("via"));
        }
        if (in.containsKey("src")) {
            b.src((String) in.get("src"));
        }
        b.onlink((Boolean) in.get("onlink")).table((Long) in.get("table")).metric((Long) in.get("metric"));
        if (in.containsKey("scope")) {
            b.scope(SCOPES.get(in.get("scope")));
        }
        if (in.containsKey("protocol")) {
            b.protocol(RouteProtocol.of((Integer) in.get("protocol")));
        }
        return b.build();
    }

    private static final Map<String, Scope> SCOPES = Map.of("global", Scope.UNIVERSE, "site", Scope.SITE, "link",
            Scope.LINK, "host", Scope.HOST, "nowhere", Scope.NOWHERE);

    @Override
    void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        nl.routes().add(build(in));
    }

    @Override
    void createWithTools(String ns, Map<String, Object> in) throws Exception {
        List<String> a = new ArrayList<>(List.of("ip", "-n", ns, v6 ? "-6" : "-4", "route", "add",
                (String) in.get("type"), (String) in.get("dst")));
        if (in.containsKey("via")) {
            a.addAll(List.of("via", (String) in.get("via")));
        }
        if (in.containsKey("dev")) {
            a.addAll(List.of("dev", (String) in.get("dev")));
        }
        if (Boolean.TRUE.equals(in.get("onlink"))) {
            a.add("onlink");
        }
        a.addAll(List.of("table", in.getOrDefault("table", 254).toString()));
        options(a, in, "metric", "metric", "scope", "scope", "src", "src", "protocol", "proto");
        Oracle.run(a.toArray(new String[0]));
    }

    @Override
    @SuppressWarnings("unchecked")
    Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception {
        List<Map<String, Object>> all = (List<Map<String, Object>>) Oracle.json("ip", "-n", ns, v6 ? "-6" : "-4", "-d",
                "-j", "route", "show", "table", "all");
        String table = expected(in).get("table");
        for (Map<String, Object> m : all) {
            String dst = (String) m.get("dst");
            dst = "default".equals(dst) ? (v6 ? "::/0" : "0.0.0.0/0") : dst.contains("/") ? dst : dst + (v6 ? "/128" : "/32");
            String t = m.get("table") == null ? "254" : TABLES.getOrDefault(m.get("table").toString(), m.get("table").toString());
            if (dst.equals(in.get("dst")) && t.equals(table)) {
                Map<String, String> out = new LinkedHashMap<>();
                out.put("dst", dst);
                out.put("type", str(m, "type"));
                out.put("table", t);
                out.put("dev", str(m, "dev"));
                out.put("via", str(m, "gateway"));
                out.put("onlink", Boolean.toString(((List<Object>) m.getOrDefault("flags", List.of())).contains("onlink")));
                out.put("metric", m.get("metric") == null ? "0" : str(m, "metric"));
                out.put("scope", str(m, "scope"));
                out.put("src", str(m, "prefsrc"));
                Object p = m.get("protocol");
                out.put("protocol", p == null ? ABSENT : protocols().getOrDefault(p.toString(), p.toString()));
                return out;
            }
        }
        throw new AssertionError("ip route show has no route " + in.get("dst") + " in table " + table + ": " + all);
    }

    private static final Map<String, String> TABLES = Map.of("main", "254", "local", "255", "default", "253");

    @Override
    Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception {
        String table = expected(in).get("table");
        for (Route r : nl.routes().list(null, Routes.ALL_TABLES)) {
            String dst = text(r.dst().address()) + "/" + r.dst().length();
            if (dst.equals(in.get("dst")) && table.equals(canon(r.table()))) {
                Map<String, String> out = new LinkedHashMap<>();
                out.put("dst", dst);
                out.put("type", canon(r.type()));
                out.put("table", canon(r.table()));
                out.put("dev", canon(r.dev()));
                out.put("via", canon(r.via()));
                out.put("onlink", Boolean.toString(Boolean.TRUE.equals(r.onlink())));
                out.put("metric", r.metric() == null ? "0" : canon(r.metric())); // the kernel leaves out metric 0
                String scope = ABSENT;
                for (Map.Entry<String, Scope> e : SCOPES.entrySet()) {
                    if (e.getValue().equals(r.scope())) {
                        scope = e.getKey();
                    }
                }
                out.put("scope", scope);
                out.put("src", canon(r.src()));
                out.put("protocol", r.protocol() == null ? ABSENT : Integer.toString(r.protocol().value()));
                out.put(REBUILD, rebuild(() -> r.toBuilder().build()));
                return out;
            }
        }
        throw new AssertionError("the library lists no route " + in.get("dst") + " in table " + table);
    }

    @Override
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        Route r = build(in);
        return ensureAll(() -> MutationCount.of(nl), List.of(() -> nl.routes().ensure(r)));
    }

    @Override
    void delete(String ns, Map<String, Object> in) throws Exception {
        Oracle.exec("ip", "-n", ns, v6 ? "-6" : "-4", "route", "del", (String) in.get("type"), (String) in.get("dst"),
                "table", in.getOrDefault("table", 254).toString());
    }

    private static volatile Map<String, String> protocols;

    /** Protocol names as ip prints them, from iproute2's own rt_protos files, to numbers. */
    static Map<String, String> protocols() {
        Map<String, String> p = protocols;
        if (p == null) {
            p = new HashMap<>();
            List<Path> files = new ArrayList<>(List.of(Path.of("/etc/iproute2/rt_protos"), Path.of("/usr/share/iproute2/rt_protos")));
            for (String dir : new String[] {"/etc/iproute2/rt_protos.d", "/usr/share/iproute2/rt_protos.d"}) {
                try (Stream<Path> s = Files.list(Path.of(dir))) {
                    s.forEach(files::add);
                } catch (IOException absent) {
                    // no such directory
                }
            }
            for (Path f : files) {
                try {
                    for (String line : Files.readAllLines(f)) {
                        String[] w = line.strip().split("\\s+");
                        if (w.length >= 2 && !w[0].startsWith("#")) {
                            p.putIfAbsent(w[1], w[0]);
                        }
                    }
                } catch (IOException absent) {
                    // no such file
                }
            }
            protocols = p;
        }
        return p;
    }
}
