package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line of a JVM a test starts as a child process (an agent, an
 * allocator, a crash-point run), and the check that it left nothing behind.
 *
 * <p>Such children are killed ({@code halt}, kill -9), so nothing they would
 * delete on exit gets deleted. jetcd's Vert.x creates an empty
 * {@code vertx-cache-<uuid>} directory under {@code java.io.tmpdir} for its
 * class-path file cache when an etcd client opens, and removes it only on a
 * clean close or exit: every killed child left one in {@code /tmp}. So a
 * child runs with that cache switched off
 * ({@code -Dvertx.disableFileCPResolving=true}, the only switch jetcd 0.8.5
 * leaves, see the etcd module's javadoc) and with {@code java.io.tmpdir} set
 * to a directory the test owns (a JUnit {@code @TempDir}), so that
 * {@link #assertLeftNothing} sees whatever a child leaves, unaffected by other
 * processes using {@code /tmp}, and JUnit deletes it afterwards.
 */
final class ChildJvm {
    /** The system property that keeps Vert.x from creating its class-path file cache directory. */
    static final String NO_VERTX_CACHE = "-Dvertx.disableFileCPResolving=true";

    private ChildJvm() {}

    /**
     * {@code java [options] -cp TESTCLASSPATH MAIN args...} with the options above.
     *
     * @param tmp the child's {@code java.io.tmpdir}
     * @param mainClass the class whose main runs
     * @param jvmOptions further JVM options, before the class path
     * @param args the program's arguments
     * @return the command
     */
    static List<String> command(Path tmp, String mainClass, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add(NO_VERTX_CACHE);
        cmd.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
        // HotSpot's perf-data file (/tmp/hsperfdata_USER/PID) ignores java.io.tmpdir and stays after a kill.
        cmd.add("-XX:-UsePerfData");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** The test's class path (surefire runs the tests from a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /**
     * Fails if the children's temp directory holds anything (call it once they are gone).
     *
     * @param tmp the directory given to {@link #command}
     * @param when what has happened, for the message
     * @throws IOException if the directory cannot be listed
     */
    static void assertLeftNothing(Path tmp, String when) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("left in the children's java.io.tmpdir %s %s", tmp, when).isEmpty();
        }
    }
}
