package dev.overlaynet.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2, nft and friends as test oracles (never from library code)
 * and returns what they print.
 *
 * <pre>{@code
 * Object links = Oracle.json("ip", "-n", ns, "-d", "-j", "link", "show", "vxlan0");
 * String out = Oracle.run("bridge", "-n", ns, "fdb", "show", "dev", "vxlan0");
 * }</pre>
 */
public final class Oracle {
    private Oracle() {}

    /** The result of a command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs a command with a 60 s limit and returns exit code and output. */
    public static Result exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        byte[][] err = new byte[1][];
        Thread t = new Thread(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = new byte[0];
            }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        t.join();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err[0], StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and returns its stdout. */
    public static String run(String... cmd) throws IOException, InterruptedException {
        Result r = exec(cmd);
        if (!r.ok()) {
            throw new IOException(String.join(" ", cmd) + " exited " + r.exitCode() + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Runs a command that prints JSON ({@code ip -j}, {@code nft -j}) and parses it. */
    public static Object json(String... cmd) throws IOException, InterruptedException {
        String out = run(cmd).strip();
        return out.isEmpty() ? List.of() : Json.parse(out);
    }

    /**
     * Runs {@code tool -n netns -batch -} ({@code ip} or {@code bridge}) with
     * {@code commands} (one per line) on its standard input; it must succeed.
     */
    public static void batch(String tool, String netns, CharSequence commands) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tool, "-n", netns, "-batch", "-").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(commands.toString().getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + tool + " -n " + netns + " -batch -");
        }
        if (p.exitValue() != 0) {
            throw new IOException(tool + " -n " + netns + " -batch - exited " + p.exitValue() + ": " + out.strip());
        }
    }

    /** Runs a command inside a named namespace ({@code ip netns exec NS ...}). */
    public static Result execIn(String netns, String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        all.addAll(Arrays.asList(cmd));
        return exec(all.toArray(new String[0]));
    }
}
