package dev.overlaynet.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Agreement counted per object, attribute and check, and every mismatch with
 * the seed and case number that reproduce it. The checks are the columns of
 * the table {@link #table()} prints.
 */
final class ConformanceScore {
    static final String LIB_TO_TOOLS = "lib->tools";
    static final String TOOLS_TO_LIB = "tools->lib";
    static final String ROUND_TRIP = "round trip";
    static final String ENSURE = "ensure";
    private static final List<String> CHECKS = List.of(LIB_TO_TOOLS, TOOLS_TO_LIB, ROUND_TRIP, ENSURE);

    /** One disagreement. */
    record Mismatch(String check, String object, int caseNo, String attribute, String want, String got, String input) {
        @Override
        public String toString() {
            return check + " " + object + " case " + caseNo + " " + attribute + ": want " + want + ", got " + got
                    + "   input " + input;
        }
    }

    private final long seed;
    /** "object attribute" -> check -> {agreed, compared}. */
    private final Map<String, Map<String, int[]>> tally = new TreeMap<>();
    private final List<Mismatch> mismatches = new ArrayList<>();

    ConformanceScore(long seed) {
        this.seed = seed;
    }

    /** Compares every attribute of {@code want} with {@code got}. */
    void compare(String check, String object, int caseNo, Map<String, String> want, Map<String, String> got,
            Object input) {
        want.forEach((attr, w) -> {
            String g = got.getOrDefault(attr, ConformanceFamily.ABSENT);
            count(check, object, attr, agrees(w, g), caseNo, w, g, input);
        });
    }

    /**
     * Equal, or for a countdown written "~N" (an address lifetime): a value
     * from N-60 to N, read later than N was.
     */
    static boolean agrees(String want, String got) {
        if (want.startsWith("~") && got.matches("~?\\d+")) {
            long w = Long.parseLong(want.substring(1));
            long g = Long.parseLong(got.startsWith("~") ? got.substring(1) : got);
            return g <= w && g >= w - 60;
        }
        return Objects.equals(want, got);
    }

    /** A step that threw: one failed comparison on the pseudo-attribute "(step)". */
    void failed(String check, String object, int caseNo, String step, Exception e, Object input) {
        count(check, object, "(" + step + ")", false, caseNo, "success", e.getClass().getSimpleName() + ": "
                + e.getMessage(), input);
    }

    /** One yes/no check on a pseudo-attribute such as "(refused)". */
    void check(String check, String object, int caseNo, String attr, boolean ok, String want, String got, Object input) {
        count(check, object, attr, ok, caseNo, want, got, input);
    }

    void ensure(String object, int caseNo, ConformanceFamily.Ensured e, Object input) {
        count(ENSURE, object, "(second ensure)", e.clean(), caseNo, "UNCHANGED, 0 messages",
                e.result() + ", " + e.messagesSent() + " messages"
                + (e.note() == null || e.note().isEmpty() ? "" : " (" + e.note() + ")"), input);
    }

    private void count(String check, String object, String attr, boolean ok, int caseNo, String want, String got,
            Object input) {
        // "state@10.0.0.1": one row per attribute, the qualifier only in the mismatch
        int at = attr.indexOf('@');
        String row = object + " " + (at < 0 ? attr : attr.substring(0, at));
        int[] c = tally.computeIfAbsent(row, k -> new TreeMap<>())
                .computeIfAbsent(check, k -> new int[2]);
        c[1]++;
        if (ok) {
            c[0]++;
        } else {
            mismatches.add(new Mismatch(check, object, caseNo, attr, want, got, String.valueOf(input)));
        }
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }

    long compared() {
        long n = 0;
        for (Map<String, int[]> m : tally.values()) {
            for (int[] c : m.values()) {
                n += c[1];
            }
        }
        return n;
    }

    /** The per-attribute table, totals per check, and the mismatches (at most {@code maxListed}). */
    String table(int maxListed) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-36s", "object attribute"));
        for (String c : CHECKS) {
            sb.append(String.format(" %15s", c));
        }
        sb.append('\n');
        long[] agreed = new long[CHECKS.size()];
        long[] total = new long[CHECKS.size()];
        tally.forEach((row, byCheck) -> {
            sb.append(String.format("%-36s", row));
            for (int i = 0; i < CHECKS.size(); i++) {
                int[] c = byCheck.get(CHECKS.get(i));
                sb.append(String.format(" %15s", c == null ? "" : c[0] + "/" + c[1]));
                if (c != null) {
                    agreed[i] += c[0];
                    total[i] += c[1];
                }
            }
            sb.append('\n');
        });
        sb.append(String.format("%-36s", "TOTAL"));
        for (int i = 0; i < CHECKS.size(); i++) {
            sb.append(String.format(" %15s", total[i] == 0 ? "" : String.format("%.2f%% of %d",
                    100.0 * agreed[i] / total[i], total[i])));
        }
        sb.append('\n');
        if (!mismatches.isEmpty()) {
            sb.append(mismatches.size()).append(" mismatches (seed ").append(seed)
                    .append("; rerun with -Dconformance.seed=").append(seed).append("):\n");
            mismatches.stream().limit(maxListed).forEach(m -> sb.append("  ").append(m).append('\n'));
        }
        return sb.toString();
    }
}
