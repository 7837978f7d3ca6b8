package dev.overlaynet.netlink;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the JDK's process reaper pool has a thread born outside any
 * foreign namespace before a process is started from inside one. Best
 * effort, see {@link NetNs#start}.
 */
final class ProcessReaperWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessReaperWarmup.class);
    private static volatile boolean warmed;

    private ProcessReaperWarmup() {}

    static void warm() {
        if (warmed) {
            return;
        }
        synchronized (ProcessReaperWarmup.class) {
            if (warmed) {
                return;
            }
            String truth = Files.isExecutable(Path.of("/bin/true")) ? "/bin/true" : "/usr/bin/true";
            try {
                Process p = new ProcessBuilder(truth).start();
                p.waitFor();
            } catch (Exception e) {
                LOG.debug("process reaper warm-up failed: {}", e.toString());
            }
            warmed = true;
        }
    }
}
