package dev.overlaynet.bench.peer;

import java.io.PrintStream;

/**
 * The timed phases of one run, printed as the C peer prints them, one JSON line each:
 * {@code {"phase":"add","ops":N,"ns":T,"count":C,"expect":E,"errors":0}}. Lines are
 * formatted only after the last phase: formatting between phases would compile (JIT)
 * during the next timed phase.
 */
final class Phases {
    private final String[] names = new String[4];
    private final long[][] values = new long[4][];
    private int size;

    void record(String phase, long ops, long ns, long count, long expect, long errors) {
        names[size] = phase;
        values[size] = new long[] {ops, ns, count, expect, errors};
        size++;
    }

    /** Null when every phase counted what it expected without errors, else what went wrong. */
    String problem() {
        for (int i = 0; i < size; i++) {
            long[] v = values[i];
            if (v[2] != v[3] || v[4] != 0) {
                return names[i] + ": count " + v[2] + " expect " + v[3] + " errors " + v[4];
            }
        }
        return null;
    }

    void print(PrintStream out) {
        for (int i = 0; i < size; i++) {
            long[] v = values[i];
            out.println("{\"phase\":\"" + names[i] + "\",\"ops\":" + v[0] + ",\"ns\":" + v[1] + ",\"count\":" + v[2]
                    + ",\"expect\":" + v[3] + ",\"errors\":" + v[4] + "}");
        }
        out.flush();
    }
}
