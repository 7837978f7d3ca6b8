package dev.overlaynet.examples;

import java.util.List;

/** Shared argument handling and exit codes of the example programs. */
abstract class ExampleMain {
    private int failures;

    abstract String usage();

    /** Options of this program that take no value, besides --help. */
    List<String> booleanFlags() {
        return List.of();
    }

    abstract void real(Args a) throws Exception;

    abstract void simulate(Args a, int hosts) throws Exception;

    final void run(String[] argv) {
        Args a;
        try {
            List<String> flags = new java.util.ArrayList<>(booleanFlags());
            flags.add("help");
            a = Args.parse(argv, flags);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (a.flag("help")) {
            System.out.println(usage());
            return;
        }
        try {
            int n = a.getInt("simulate", 0);
            if (n > 0) {
                simulate(a, n);
            } else {
                real(a);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("failed: " + e);
            System.exit(1);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    final void check(Probes.Result r, String what) {
        if (!r.ok()) {
            failures++;
        }
        System.out.printf("  [%s] %s (%s)%n", r.ok() ? " ok " : "FAIL", what, r.detail());
    }
}
