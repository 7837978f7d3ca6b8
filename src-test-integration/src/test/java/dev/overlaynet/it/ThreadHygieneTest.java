package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No JVM thread is ever left in a foreign namespace, and fds come back to
 * baseline (reliability-anchors §7.19-20).
 */
@ExtendWith(NetnsExtension.class)
class ThreadHygieneTest {
    private static long selfInode() throws IOException {
        return NetNs.inodeOf(Path.of("/proc/thread-self/ns/net"));
    }

    /** Threads of this JVM whose network namespace differs from {@code expected}: tid -> inode. */
    private static Map<String, Long> strayThreads(long expected) throws IOException {
        Map<String, Long> stray = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    long inode = NetNs.inodeOf(t.resolve("ns/net"));
                    if (inode != expected) {
                        String comm = Files.readString(t.resolve("comm")).strip();
                        stray.put(t.getFileName() + " " + comm, inode);
                    }
                } catch (NoSuchFileException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return stray;
    }

    private static List<Thread> run(int threads, CheckedRunnable body, ConcurrentLinkedQueue<Throwable> failures) {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    body.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            all.add(th);
            th.start();
        }
        go.countDown();
        return all;
    }

    interface CheckedRunnable {
        void run() throws Exception;
    }

    @Test
    void eightThreadsTimesFiveHundredOpensLeaveNoThreadMoved(TestNamespaces nss) throws Exception {
        long original = selfInode();
        NetNs ns = nss.create("a");
        long target = ns.inode();
        assertThat(target).isNotEqualTo(original);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (Thread t : run(8, () -> {
            for (int i = 0; i < 500; i++) {
                try (Netlink nl = Netlink.open(ns)) {
                    if (i % 100 == 0) {
                        assertThat(nl.ifindex("lo")).isEqualTo(1);
                    }
                }
                assertThat(selfInode()).isEqualTo(original);
            }
        }, failures)) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(strayThreads(original)).isEmpty();
    }

    @Test
    void netnsCallFromManyThreadsNeverMovesTheCaller(TestNamespaces nss) throws Exception {
        long original = selfInode();
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        long ia = a.inode();
        long ib = b.inode();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (Thread t : run(16, () -> {
            for (int i = 0; i < 50; i++) {
                NetNs ns = i % 2 == 0 ? a : b;
                long inside = ns.call(ThreadHygieneTest::selfInode);
                assertThat(inside).isEqualTo(i % 2 == 0 ? ia : ib);
                assertThat(selfInode()).isEqualTo(original);
                // A failing task restores too.
                try {
                    ns.call(() -> {
                        throw new IllegalStateException("boom");
                    });
                } catch (IllegalStateException expected) {
                    assertThat(expected).hasMessage("boom");
                }
                assertThat(selfInode()).isEqualTo(original);
            }
        }, failures)) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(strayThreads(original)).isEmpty();
    }

    /** Open descriptors of this JVM: fd number -> what it points at. */
    private static Map<String, String> openFds() throws IOException {
        Map<String, String> fds = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : ds) {
                try {
                    fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closedMeanwhile) {
                    // e.g. the directory stream's own fd
                }
            }
        }
        return fds;
    }

    @Test
    void thousandOpenCloseCyclesReturnToTheFdBaseline(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        String name = ns.name();
        for (int i = 0; i < 5; i++) { // warm up lazily opened JVM/jnr descriptors
            try (NetNs n = NetNs.open(name); Netlink nl = Netlink.open(n)) {
                nl.ifindex("lo");
            }
        }
        Map<String, String> baseline = openFds();
        for (int i = 0; i < 1000; i++) {
            try (NetNs n = NetNs.open(name); Netlink nl = Netlink.open(n)) {
                if (i % 250 == 0) {
                    nl.ifindex("lo");
                }
            }
            try (Netlink nl = Netlink.open(name)) { // handle that owns its NetNs
                RawAccess.socket(nl);
            }
        }
        // Every socket and namespace fd opened in the loop is closed: no descriptor that was
        // not there before remains (the JVM may close unrelated ones meanwhile, e.g. pipes
        // of processes from other tests, so the count may only go down).
        Map<String, String> after = openFds();
        Map<String, String> added = new LinkedHashMap<>(after);
        added.entrySet().removeIf(e -> e.getValue().equals(baseline.get(e.getKey())));
        assertThat(added).isEmpty();
        assertThat(after.size()).isLessThanOrEqualTo(baseline.size());
    }

    @Test
    void processesStartedWhileOthersRunLeaveNoReaperThreadInside(TestNamespaces nss) throws Exception {
        // The JDK creates a "process reaper" thread from the thread that starts a process
        // when no idle one exists; born inside a namespace it would stay there (and keep
        // the namespace alive after delete). Start several long-lived processes at once.
        long original = selfInode();
        NetNs a = nss.create("a");
        NetNs b = nss.create("b");
        List<Process> running = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                NetNs ns = i % 2 == 0 ? a : b;
                running.add(ns.start(new ProcessBuilder("sleep", "30")
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)));
                if (i % 4 == 3) {
                    running.remove(0).destroyForcibly().waitFor(); // some finish, freeing reapers
                }
            }
            assertThat(strayThreads(original)).isEmpty();
        } finally {
            for (Process p : running) {
                p.destroyForcibly().waitFor();
            }
        }
        assertThat(strayThreads(original)).isEmpty();
    }
}
