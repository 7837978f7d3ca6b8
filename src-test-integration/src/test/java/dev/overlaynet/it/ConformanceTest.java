package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The randomized conformance suite: for every object the library models,
 * random configurations are made both with the library and with the tools
 * ({@code ip}, {@code bridge}, {@code nft}) and compared attribute by
 * attribute:
 * <ul>
 * <li><b>lib-&gt;tools</b>: created by the library, the tools' JSON holds what was asked;
 * <li><b>tools-&gt;lib</b>: the library decodes what the tools print, for objects made by either;
 * <li><b>round trip</b>: the library reads back what it wrote;
 * <li><b>ensure</b>: a second identical {@code ensure} reports UNCHANGED and sends nothing.
 * </ul>
 * Expected values come from the drawn input and the tools' JSON, never from
 * the library. Where the kernel itself changes a value, {@link KernelDifferences}
 * documents it and the suite expects the kernel's value; where the library
 * refuses such an input instead, the suite expects the refusal (naming the
 * field, nothing made) and still checks what the tools make of it. Any
 * disagreement fails the test, listing seed, case number, attribute and
 * input; the score table is printed either way. Each object draws from its
 * own random stream, so {@code conformance.only} repeats the same cases.
 *
 * <p>Knobs (system properties): {@code conformance.seed} (default fixed,
 * always printed), {@code conformance.cases} (cases per object; the CI
 * default of 40 takes about a minute), {@code conformance.only} (a
 * comma-separated list of objects). The long run:
 *
 * <pre>{@code
 * mvn -B -pl src-test-integration -am verify -Dtest=ConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dconformance.cases=500 -Dconformance.seed=$RANDOM
 * }</pre>
 */
@ExtendWith(NetnsExtension.class)
class ConformanceTest {
    static final long DEFAULT_SEED = 20261129L;
    static final int DEFAULT_CASES = 40;

    static List<ConformanceFamily> families() {
        List<ConformanceFamily> all = new ArrayList<>();
        all.addAll(LinkConformance.families());
        all.add(new RouteConformance(false));
        all.add(new RouteConformance(true));
        all.add(new NeighConformance(false));
        all.add(new NeighConformance(true));
        all.add(new FdbConformance());
        all.add(new AddressConformance(false));
        all.add(new AddressConformance(true));
        all.add(new NatConformance());
        return all;
    }

    @Test
    void libraryAndToolsAgreeOnRandomConfigurations(TestNamespaces nss) throws Exception {
        long seed = Long.getLong("conformance.seed", DEFAULT_SEED);
        int cases = Integer.getInteger("conformance.cases", DEFAULT_CASES);
        String only = System.getProperty("conformance.only", "");
        System.out.printf(Locale.ROOT, "conformance: seed %d, %d cases per object (-Dconformance.seed=%d"
                + " -Dconformance.cases=%d to repeat)%n", seed, cases, seed, cases);
        ConformanceScore score = new ConformanceScore(seed);
        for (ConformanceFamily f : families()) {
            if (!only.isBlank() && !List.of(only.split(",")).contains(f.name())) {
                continue;
            }
            run(nss, f, seed, cases, score);
        }
        System.out.println(KernelDifferences.describe());
        System.out.println(score.table(200));
        assertThat(score.compared()).as("attributes compared").isPositive();
        assertThat(score.mismatches()).as("mismatches; seed " + seed + "\n" + score.table(200)).isEmpty();
    }

    private static void run(TestNamespaces nss, ConformanceFamily f, long seed, int cases, ConformanceScore score)
            throws Exception {
        NetNs libNs = nss.create(f.name() + "-l");
        NetNs toolNs = nss.create(f.name() + "-t");
        f.prepare(libNs.name());
        f.prepare(toolNs.name());
        Netlink libNl = MutationCount.open(nss, libNs);
        Netlink toolNl = MutationCount.open(nss, toolNs);
        // One stream per object, so that adding an object leaves the others' cases as they were.
        Random r = new Random(seed * 31 + f.name().hashCode());
        for (int n = 0; n < cases; n++) {
            Map<String, Object> in = f.generate(r, n);
            Map<String, String> want = f.expected(in);
            libraryCase(f, n, in, want, libNl, libNs.name(), score);
            toolsCase(f, n, in, want, toolNl, toolNs.name(), score);
        }
    }

    private static void libraryCase(ConformanceFamily f, int n, Map<String, Object> in, Map<String, String> want,
            Netlink nl, String ns, ConformanceScore score) throws Exception {
        String o = f.name();
        String refused = f.refusedField(in);
        if (refused != null) {
            refusedCase(f, n, in, refused, nl, ns, score);
            return;
        }
        try {
            f.createWithLibrary(nl, ns, in);
        } catch (Exception e) {
            score.failed(ConformanceScore.LIB_TO_TOOLS, o, n, "create", e, in);
            f.delete(ns, in);
            return;
        }
        try {
            Map<String, String> tools = f.readWithTools(ns, in);
            Map<String, String> toolAttrs = new java.util.LinkedHashMap<>(want);
            toolAttrs.keySet().removeIf(k -> k.startsWith(ConformanceFamily.REBUILD));
            score.compare(ConformanceScore.LIB_TO_TOOLS, o, n, toolAttrs, tools, in);
            Map<String, String> lib = f.readWithLibrary(nl, in);
            score.compare(ConformanceScore.ROUND_TRIP, o, n, want, lib, in);
            score.compare(ConformanceScore.TOOLS_TO_LIB, o, n, tools, lib, in);
        } catch (Exception e) {
            score.failed(ConformanceScore.ROUND_TRIP, o, n, "read", e, in);
        }
        try {
            ConformanceFamily.Ensured e = f.ensureAgain(nl, ns, in);
            if (e != null) {
                score.ensure(o, n, e, in);
            }
        } catch (Exception e) {
            score.failed(ConformanceScore.ENSURE, o, n, "second ensure", e, in);
        } finally {
            f.delete(ns, in);
        }
    }

    /** The library must refuse {@code in}, naming {@code field}, and leave nothing behind. */
    private static void refusedCase(ConformanceFamily f, int n, Map<String, Object> in, String field, Netlink nl,
            String ns, ConformanceScore score) throws Exception {
        String want = "IllegalArgumentException naming " + field;
        try {
            f.createWithLibrary(nl, ns, in);
            score.check(ConformanceScore.LIB_TO_TOOLS, f.name(), n, "(refused)", false, want, "created", in);
        } catch (IllegalArgumentException e) {
            score.check(ConformanceScore.LIB_TO_TOOLS, f.name(), n, "(refused)", e.getMessage().contains(field), want,
                    e.getMessage(), in);
        } catch (Exception e) {
            score.check(ConformanceScore.LIB_TO_TOOLS, f.name(), n, "(refused)", false, want, e.toString(), in);
        }
        boolean made;
        try {
            f.readWithTools(ns, in);
            made = true;
        } catch (Exception | AssertionError absent) {
            made = false;
        }
        score.check(ConformanceScore.LIB_TO_TOOLS, f.name(), n, "(nothing made)", !made, "absent", made ? "present" : "absent", in);
        f.delete(ns, in);
    }

    private static void toolsCase(ConformanceFamily f, int n, Map<String, Object> in, Map<String, String> want,
            Netlink nl, String ns, ConformanceScore score) throws Exception {
        String o = f.name();
        try {
            f.createWithTools(ns, in);
        } catch (Exception e) {
            score.failed(ConformanceScore.TOOLS_TO_LIB, o, n, "create with tools", e, in);
            f.delete(ns, in);
            return;
        }
        try {
            Map<String, String> tools = f.readWithTools(ns, in);
            Map<String, String> lib = f.readWithLibrary(nl, in);
            score.compare(ConformanceScore.TOOLS_TO_LIB, o, n, tools, lib, in);
            // what the tools made, as the library read it, builds again too
            lib.forEach((k, v) -> {
                if (k.startsWith(ConformanceFamily.REBUILD)) {
                    score.check(ConformanceScore.TOOLS_TO_LIB, o, n, k, "ok".equals(v), "ok", v, in);
                }
            });
        } catch (Exception e) {
            score.failed(ConformanceScore.TOOLS_TO_LIB, o, n, "read", e, in);
        } finally {
            f.delete(ns, in);
        }
    }
}
