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
    private final String[] notes = new String[4];
    private int size;

    /**
     * Records a phase timed from {@code t0} to {@code t1} ({@link System#nanoTime()}, which is
     * CLOCK_MONOTONIC and the JVM log's {@code timenanos}: the bounds are printed as {@code t0_ns}
     * and {@code t1_ns}, so GC and JIT events in {@code -Xlog:gc,jit+compilation=debug::timenanos}
     * can be placed inside or outside the timed region).
     */
    void record(String phase, long ops, long t0, long t1, long count, long expect, long errors) {
        record(phase, ops, t0, t1, count, expect, errors, "");
    }

    /** {@link #record(String, long, long, long, long, long, long)} with extra JSON fields ({@code ,"k":v...}). */
    void record(String phase, long ops, long t0, long t1, long count, long expect, long errors, String note) {
        notes[size] = note;
        names[size] = phase;
        values[size] = new long[] {ops, t1 - t0, count, expect, errors, t0, t1};
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
                    + ",\"expect\":" + v[3] + ",\"errors\":" + v[4] + ",\"t0_ns\":" + v[5] + ",\"t1_ns\":" + v[6] + notes[i] + "}");
        }
        out.flush();
    }
}
