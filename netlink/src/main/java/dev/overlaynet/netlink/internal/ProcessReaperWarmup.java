package dev.overlaynet.netlink.internal;
import dev.overlaynet.netlink.NetNs;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the JDK's process reaper pool has an idle thread, born outside
 * any foreign namespace, right before a process is started from inside one.
 *
 * <p>The JDK waits for each child on a "process reaper" thread from a cached
 * pool; when no reaper is idle, the thread that starts the process creates a
 * new one, and that thread inherits the starter's network namespace for
 * good (keeping the namespace alive after it is deleted). So before every
 * start inside a namespace we check for an idle reaper (parked in the pool's
 * timed poll) and, if there is none, start {@code true} from the caller's
 * clean thread and wait until its reaper has gone back to the pool.
 *
 * <p>Starts made through {@link NetNs#start} are serialised on {@link #LOCK}
 * so they cannot take each other's idle reaper. A process started elsewhere
 * in the JVM at the same instant still can; that narrow race is documented on
 * {@link NetNs#start}.
 */
public final class ProcessReaperWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessReaperWarmup.class);
    public static final Object LOCK = new Object();
    private static final String REAPER_NAME = "process reaper";
    private static final long IDLE_WAIT_NANOS = 2_000_000_000L;

    private ProcessReaperWarmup() {}

    /**
     * Call with {@link #LOCK} held, from a thread in the caller's own namespace.
     * Returns how many reapers are idle afterwards (for {@link #awaitHandOff}).
     */
    public static int ensureIdleReaper() {
        int idle = idleReapers();
        if (idle > 0) {
            return idle;
        }
        String truth = Files.isExecutable(Path.of("/bin/true")) ? "/bin/true" : "/usr/bin/true";
        try {
            Process p = new ProcessBuilder(truth).start();
            p.waitFor();
            // The reaper completes the process's future first and parks in the pool just after.
            long deadline = System.nanoTime() + IDLE_WAIT_NANOS;
            while ((idle = idleReapers()) == 0) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("no idle process reaper after warm-up; a reaper thread may be born inside the namespace");
                    return 0;
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("process reaper warm-up failed: {}", e.toString());
        }
        return idle;
    }

    /**
     * Waits (bounded) until the idle reaper that took {@code p} has left the
     * pool's poll. A reaper that has been handed work but not yet scheduled
     * still looks parked; without this wait the next start would count it as
     * idle, find none, and create a reaper inside the namespace.
     */
    public static void awaitHandOff(int idleBefore, Process p) {
        long deadline = System.nanoTime() + IDLE_WAIT_NANOS;
        try {
            while (idleBefore > 0 && idleReapers() >= idleBefore && p.isAlive()) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.debug("process reaper hand-off for pid {} not observed", p.pid());
                    return;
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static boolean idleReaperExists() {
        return idleReapers() > 0;
    }

    /**
     * Reapers waiting for work: parked in the pool's timed poll under their
     * plain name (the JDK renames a busy one "process reaper (pid N)").
     */
    public static int idleReapers() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        int idle = 0;
        for (int i = 0; i < n; i++) {
            Thread t = all[i];
            if (REAPER_NAME.equals(t.getName()) && t.getState() == Thread.State.TIMED_WAITING) {
                idle++;
            }
        }
        return idle;
    }
}
