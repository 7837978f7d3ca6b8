package dev.overlaynet.it;

import dev.overlaynet.Ip;
import dev.overlaynet.directory.DirectoryException;
import dev.overlaynet.etcd.EtcdDirectory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link AllocationProcessesTest}: one host's own etcd
 * client allocating overlay addresses. It connects, prints {@code READY},
 * waits for a line on stdin (so that both hosts start at the same moment),
 * then makes COUNT allocations on THREADS threads and prints one line per
 * attempt: {@code GOT <ip>}, or {@code EXHAUSTED <message>} when the pool
 * has no free address left; any other failure prints {@code ERROR} and
 * exits 1. Last line: {@code DONE}.
 *
 * <p>Arguments: ETCD_ENDPOINTS OVERLAY HOST COUNT THREADS
 */
public final class AllocateMain {
    private AllocateMain() {}

    public static void main(String[] args) throws Exception {
        String host = args[2];
        int count = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (EtcdDirectory dir = EtcdDirectory.connect(EtcdDirectory.endpoints(args[0]), args[1])) {
            dir.view(); // connected before the start line, so both start allocating at once
            out.println("READY");
            out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<List<String>>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int share = count / threads + (t < count % threads ? 1 : 0);
                fs.add(pool.submit(() -> {
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < share; i++) {
                        try {
                            InetAddress ip = dir.allocate(host);
                            lines.add("GOT " + Ip.text(ip));
                        } catch (DirectoryException e) {
                            if (!String.valueOf(e.getMessage()).contains("no free address left")) {
                                lines.add("ERROR " + e);
                                return lines;
                            }
                            lines.add("EXHAUSTED " + e.getMessage());
                        }
                    }
                    return lines;
                }));
            }
            boolean failed = false;
            for (Future<List<String>> f : fs) {
                for (String l : f.get(300, TimeUnit.SECONDS)) {
                    out.println(l);
                    failed |= l.startsWith("ERROR");
                }
            }
            pool.shutdown();
            out.println("DONE");
            out.flush();
            if (failed) {
                System.exit(1);
            }
        }
    }
}
