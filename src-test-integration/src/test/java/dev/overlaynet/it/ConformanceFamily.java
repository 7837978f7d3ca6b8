package dev.overlaynet.it;

import dev.overlaynet.EnsureResult;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Netlink;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One kind of object of the conformance suite ({@link ConformanceTest}): how
 * to draw a random configuration of it, and the three ways to make and read
 * it. A configuration is the <em>input</em>: attribute name to a plain value
 * (numbers, booleans, address text), drawn by {@link #generate} and never
 * taken from the library. {@link #expected} turns it into the values the
 * kernel must hold, applying the {@link KernelDifferences} table; both
 * readers return the same attribute names in the same canonical text form
 * ({@link #canon}).
 */
abstract class ConformanceFamily {
    /** Absent, in canonical form. */
    static final String ABSENT = "-";
    /**
     * A pseudo-attribute of the round trip: what the library read can be
     * built again ({@code toBuilder().build()}), as a caller changing one
     * field of it would. Not a tools attribute.
     */
    static final String REBUILD = "(rebuild)";

    /** "ok", or why building again failed. */
    static String rebuild(java.util.concurrent.Callable<?> build) {
        try {
            build.call();
            return "ok";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** The object name in the score table, e.g. {@code vxlan4}. */
    abstract String name();

    /** Sets up what every case needs (underlay devices, a bridge), in namespace {@code ns}. */
    void prepare(String ns) throws Exception {}

    /** Draws case {@code n}. */
    abstract Map<String, Object> generate(Random r, int n);

    /** The canonical values the kernel must hold after creating {@code in}. */
    abstract Map<String, String> expected(Map<String, Object> in);

    /**
     * The field the library must refuse for {@code in} (IllegalArgumentException
     * naming it, before any syscall), or null. These are the inputs the
     * kernel would silently change ({@link KernelDifferences}), where the
     * library refuses rather than make what was not asked; the tools still
     * make them, and the library must decode what the kernel made.
     */
    String refusedField(Map<String, Object> in) {
        return null;
    }

    abstract void createWithLibrary(Netlink nl, String ns, Map<String, Object> in) throws Exception;

    abstract void createWithTools(String ns, Map<String, Object> in) throws Exception;

    /** What ip/bridge/nft print for the object of {@code in}, canonical. */
    abstract Map<String, String> readWithTools(String ns, Map<String, Object> in) throws Exception;

    /** What the library decodes for the object of {@code in}, canonical, under the same names. */
    abstract Map<String, String> readWithLibrary(Netlink nl, Map<String, Object> in) throws Exception;

    /** A second identical ensure of {@code in}; null when the object has no ensure. */
    Ensured ensureAgain(Netlink nl, String ns, Map<String, Object> in) throws Exception {
        return null;
    }

    /** A step of a second ensure. */
    @FunctionalInterface
    interface EnsureStep {
        EnsureResult run() throws Exception;
    }

    /**
     * Runs {@code steps} (one ensure each) and counts the changing messages
     * they send with {@code sent}: UNCHANGED only if every step was.
     */
    static Ensured ensureAll(java.util.function.LongSupplier sent, List<EnsureStep> steps) throws Exception {
        long before = sent.getAsLong();
        EnsureResult worst = EnsureResult.UNCHANGED;
        List<String> results = new java.util.ArrayList<>();
        for (EnsureStep s : steps) {
            EnsureResult r = s.run();
            results.add(r.name());
            if (r != EnsureResult.UNCHANGED) {
                worst = r;
            }
        }
        return new Ensured(worst, sent.getAsLong() - before, steps.size() > 1 ? String.join(",", results) : "");
    }

    /** Deletes what the case made (with the tools, so cleanup does not depend on the library). */
    abstract void delete(String ns, Map<String, Object> in) throws Exception;

    /** The outcome of a second ensure: its result, how many changing messages it sent, and a note for the report. */
    record Ensured(EnsureResult result, long messagesSent, String note) {
        boolean clean() {
            return result == EnsureResult.UNCHANGED && messagesSent == 0;
        }
    }

    // ---- canonical values ---------------------------------------------------------

    /** The canonical text of a value: absent "-", booleans, decimal numbers, addresses as iproute2 prints them. */
    static String canon(Object v) {
        if (v == null) {
            return ABSENT;
        }
        if (v instanceof InetAddress a) {
            return text(a);
        }
        if (v instanceof MacAddress m) {
            return m.toString().toLowerCase(Locale.ROOT);
        }
        if (v instanceof Duration d) {
            return Long.toString(d.toMillis() / 10); // clock_t, as ip prints bridge timers
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return v.toString();
    }

    /**
     * An address as iproute2 prints it (IPv6 in RFC 5952 form: the longest run
     * of two or more zero groups, the first of equals, becomes "::"). Written
     * here, not taken from the library's {@code Ip.text}, which is under test.
     */
    static String text(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return a.getHostAddress();
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int best = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                best = i;
                bestLen = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == best) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Parses address text with the JDK (never a host name: the text is always a literal here). */
    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** Every input value canonical, keeping the input's order. */
    static Map<String, String> canonAll(Map<String, Object> in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, canon(v)));
        return out;
    }

    /** A JSON flag that iproute2 prints only when set: absent means false. */
    static String flag(Map<?, ?> json, String key) {
        Object v = json == null ? null : json.get(key);
        return v == null ? "false" : canon(v);
    }

    /** A JSON number printed as hex text ("0x10"), absent meaning 0. */
    static String hex(Map<?, ?> json, String key) {
        Object v = json == null ? null : json.get(key);
        if (v == null) {
            return "0";
        }
        String s = v.toString();
        return Long.toString(s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s));
    }

    /** A JSON 0/1 number as a boolean. */
    static String bool01(Map<?, ?> json, String key) {
        Object v = json == null ? null : json.get(key);
        return v == null ? ABSENT : Boolean.toString(((Number) v).longValue() != 0);
    }

    static String str(Map<?, ?> json, String key) {
        return json == null ? ABSENT : canon(json.get(key));
    }

    // ---- making ----------------------------------------------------------------------

    /** Appends "KEYWORD value" to {@code args} for each input key present; pairs of key and keyword. */
    static void options(List<String> args, Map<String, Object> in, String... keyAndKeyword) {
        for (int i = 0; i < keyAndKeyword.length; i += 2) {
            if (in.containsKey(keyAndKeyword[i])) {
                args.add(keyAndKeyword[i + 1]);
                args.add(in.get(keyAndKeyword[i]).toString());
            }
        }
    }

    /** Adds bridge {@code name} in {@code ns} and sets it up (the device most cases hang on). */
    static void bridgeUp(String ns, String name) throws Exception {
        LinkOracle.ip(ns, "link", "add", name, "type", "bridge");
        LinkOracle.ip(ns, "link", "set", name, "up");
    }

    // ---- drawing ------------------------------------------------------------------

    static boolean chance(Random r, double p) {
        return r.nextDouble() < p;
    }

    static int between(Random r, int lo, int hi) {
        return lo + r.nextInt(hi - lo + 1);
    }

    @SafeVarargs
    static <T> T oneOf(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }

    /** A locally administered unicast MAC. */
    static String mac(Random r) {
        byte[] b = new byte[6];
        r.nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(sb.length() == 0 ? "" : ":").append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    /** A host address in 10.0.0.0/8, never .0 or .255 in the last byte. */
    static String v4(Random r) {
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + between(r, 1, 254);
    }

    /** An address in fd00::/8 (unique local), with a zero run now and then to exercise "::". */
    static String v6(Random r) {
        StringBuilder sb = new StringBuilder("fd").append(String.format("%02x", r.nextInt(256)));
        for (int i = 1; i < 8; i++) {
            int g = chance(r, 0.4) ? 0 : r.nextInt(0x10000);
            if (i == 7 && g == 0) {
                g = 1 + r.nextInt(0xfffe);
            }
            sb.append(':').append(Integer.toHexString(g));
        }
        return text(addr(sb.toString()));
    }
}
