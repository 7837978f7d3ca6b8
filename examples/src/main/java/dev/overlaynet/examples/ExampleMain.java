package dev.overlaynet.examples;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Shared argument handling and exit codes of the example programs: every
 * option is checked before anything is changed, an unknown option or one the
 * chosen mode would ignore is an error with the usage (exit 2), a failure is
 * exit 1, a failed check is exit 1.
 */
abstract class ExampleMain {
    private int failures;

    abstract String usage();

    /** The options {@link #real} reads. */
    abstract Set<String> realOptions();

    /** The options {@link #simulate} reads, besides {@code --simulate} itself. */
    abstract Set<String> simulateOptions();

    /** The flags (options without a value) {@link #real} reads. */
    Set<String> realFlags() {
        return Set.of();
    }

    /** The largest {@code --simulate N} the program honours. */
    int maxSimulatedHosts() {
        return Simulation.MAX_HOSTS;
    }

    abstract void real(Args a) throws Exception;

    abstract void simulate(Args a, int hosts) throws Exception;

    final void run(String[] argv) {
        System.exit(execute(argv, System.out, System.err));
    }

    /** Parses, checks and runs; returns the exit code (0 ok, 1 failure or failed check, 2 bad arguments). */
    final int execute(String[] argv, PrintStream out, PrintStream err) {
        Args a;
        int n;
        try {
            Set<String> all = new HashSet<>(realOptions());
            all.addAll(simulateOptions());
            all.add("simulate");
            Set<String> flags = new HashSet<>(realFlags());
            flags.add("help");
            a = Args.parse(argv, all, flags);
            if (a.flag("help")) {
                out.println(usage());
                return 0;
            }
            n = a.has("simulate") ? a.getInt("simulate", 0, 1, maxSimulatedHosts()) : 0;
            if (n > 0) {
                Set<String> used = new HashSet<>(simulateOptions());
                used.add("simulate");
                a.rejectOthers(used, "with --simulate");
            } else {
                Set<String> used = new HashSet<>(realOptions());
                used.addAll(realFlags());
                a.rejectOthers(used, "without --simulate");
            }
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        try {
            if (n > 0) {
                simulate(a, n);
            } else {
                real(a);
            }
        } catch (IllegalArgumentException e) {
            // Option values are checked at the start of real/simulate, before any change.
            err.println("error: " + e.getMessage());
            err.println(usage());
            return 2;
        } catch (Exception e) {
            err.println("failed: " + e);
            return 1;
        }
        return failures == 0 ? 0 : 1;
    }

    final void check(Probes.Result r, String what) {
        if (!r.ok()) {
            failures++;
        }
        System.out.printf("  [%s] %s (%s)%n", r.ok() ? " ok " : "FAIL", what, r.detail());
    }
}
