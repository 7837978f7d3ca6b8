package dev.overlaynet.it;

import dev.overlaynet.etcd.EtcdDirectory;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd cluster for tests: N members of Debian's etcd-server on free
 * loopback ports, each with a temporary data directory, started as child
 * processes and always stopped (also by a shutdown hook if the JVM dies).
 * Without an etcd binary the test is skipped, except under CI=true where that
 * is a failure: CI must really run against etcd.
 */
final class EtcdCluster implements AutoCloseable {
    static final String ETCD = "/usr/bin/etcd";

    final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        Process process;

        Member(String name, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
        }

        URI clientUrl() {
            return URI.create("http://127.0.0.1:" + clientPort);
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }

        void start(boolean fresh) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ETCD,
                    "--name", name,
                    "--data-dir", dataDir.toString(),
                    "--listen-client-urls", clientUrl().toString(),
                    "--advertise-client-urls", clientUrl().toString(),
                    "--listen-peer-urls", peerUrl(),
                    "--initial-advertise-peer-urls", peerUrl(),
                    "--initial-cluster", initialCluster,
                    "--initial-cluster-token", token,
                    "--initial-cluster-state", fresh ? "new" : "existing",
                    "--heartbeat-interval", "50",
                    "--election-timeout", "500",
                    "--logger", "zap",
                    "--log-level", "error"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dataDir.resolveSibling(name + ".log").toFile());
            process = pb.start();
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        /** kill -9: what a crash of this member looks like to the others. */
        void kill() throws InterruptedException {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        void restart() throws IOException, InterruptedException {
            start(false);
            waitForPort(clientPort);
        }
    }

    private final Path root;
    private final String token;
    private final String initialCluster;
    private final List<Member> members = new ArrayList<>();
    private final Thread hook = new Thread(this::destroyAll, "etcd-cluster-cleanup");

    private EtcdCluster(int n) throws IOException {
        root = Files.createTempDirectory("overlaynet-etcd-");
        token = root.getFileName().toString();
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "m" + i;
            Member m = new Member(name, freePort(), freePort(), root.resolve(name + ".data"));
            members.add(m);
            peers.add(name + "=" + m.peerUrl());
        }
        initialCluster = String.join(",", peers);
    }

    /** Starts an n-member cluster and waits until every member answers. */
    static EtcdCluster start(int n) throws IOException, InterruptedException {
        requireEtcd();
        EtcdCluster c = new EtcdCluster(n);
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            for (Member m : c.members) {
                m.start(true);
            }
            for (Member m : c.members) {
                waitForPort(m.clientPort);
            }
            c.waitHealthy();
        } catch (IOException | RuntimeException | InterruptedException e) {
            c.close();
            throw e;
        }
        return c;
    }

    static void requireEtcd() {
        boolean present = new File(ETCD).canExecute();
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(ETCD + " is missing: .ci/run must install etcd-server");
        }
        Assumptions.assumeTrue(present, ETCD + " is not installed (apt-get install etcd-server)");
    }

    List<Member> members() {
        return members;
    }

    List<URI> endpoints() {
        return members.stream().map(Member::clientUrl).toList();
    }

    String endpointList() {
        return String.join(",", endpoints().stream().map(URI::toString).toList());
    }

    /** Runs etcdctl against this cluster (the oracle and the "someone else" writer). */
    String etcdctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpointList(),
                "--command-timeout=5s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("etcdctl " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** The member that is raft leader now. */
    Member leader() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 50; attempt++) {
            for (Member m : members) {
                if (!m.running()) {
                    continue;
                }
                try {
                    String out = statusFields(m);
                    String id = field(out, "\"MemberID\"");
                    String leader = field(out, "\"Leader\"");
                    if (id != null && id.equals(leader)) {
                        return m;
                    }
                } catch (IOException e) {
                    // not answering yet
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("no etcd leader found");
    }

    private String statusFields(Member m) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("etcdctl", "--endpoints=" + m.clientUrl(), "endpoint", "status",
                "--write-out=fields").redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String field(String out, String name) {
        for (String line : out.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    private void waitHealthy() throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                etcdctl("put", "/overlaynet-test/health", "ok");
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IOException("etcd cluster did not become healthy", last);
    }

    static void waitForPort(int port) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nothing listens on 127.0.0.1:" + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void destroyAll() {
        for (Member m : members) {
            if (m.process != null) {
                m.process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        destroyAll();
        for (Member m : members) {
            try {
                if (m.process != null) {
                    m.process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
