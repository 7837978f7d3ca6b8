package dev.overlaynet.bench.peer;

import dev.overlaynet.netlink.AckMode;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of the C peer ({@code peer_mnl [-b BATCH] [-a each|last] WORKLOAD ARGS...}),
 * plus {@code -w ROUNDS}: untimed warm-up rounds in a scratch namespace (0 = none).
 */
record PeerOptions(int batch, AckMode ack, int warmupRounds, String workload, List<String> args) {
    static final int DEFAULT_WARMUP_ROUNDS = 12;

    static PeerOptions parse(String[] argv) {
        int batch = 256;
        AckMode ack = AckMode.EACH;
        int warmup = DEFAULT_WARMUP_ROUNDS;
        int i = 0;
        for (; i < argv.length && argv[i].startsWith("-"); i += 2) {
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + argv[i] + " needs a value");
            }
            String v = argv[i + 1];
            switch (argv[i]) {
                case "-b" -> batch = positive("-b", v);
                case "-a" -> ack = switch (v) {
                    case "each" -> AckMode.EACH;
                    case "last" -> AckMode.LAST;
                    default -> throw new IllegalArgumentException("-a takes each or last, got " + v);
                };
                case "-w" -> warmup = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        if (i >= argv.length) {
            throw new IllegalArgumentException("missing workload");
        }
        return new PeerOptions(batch, ack, warmup, argv[i], Arrays.asList(argv).subList(i + 1, argv.length));
    }

    /** One request, then wait for its ack ({@code -b 1}): the per-request typed calls. */
    boolean perRequest() {
        return batch == 1;
    }

    int intArg(int i, String what) {
        if (args.size() <= i) {
            throw new IllegalArgumentException(workload + " needs " + what);
        }
        return positive(what, args.get(i));
    }

    private static int positive(String what, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + v);
        }
        return n;
    }
}
