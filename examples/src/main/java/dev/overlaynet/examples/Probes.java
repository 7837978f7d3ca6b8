package dev.overlaynet.examples;

import dev.overlaynet.netlink.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reachability checks between namespaces: ICMP with the system's ping (as
 * the walkthrough's {@code ip netns exec ns1 ping}), and a TCP exchange whose
 * server reports the source address it saw (to show NAT from outside).
 */
final class Probes {
    private Probes() {}

    /** The outcome of one probe, printable. */
    record Result(boolean ok, String detail) {}

    static boolean havePing() {
        return Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping"));
    }

    /** Pings {@code target} from inside {@code from}: 2 echoes, 2 s timeout each. */
    static Result ping(NetNs from, String target) throws Exception {
        if (!havePing()) {
            // No ping binary: the JDK's isReachable sends ICMP echo when running as root.
            boolean ok = from.call(() -> dev.overlaynet.Ip.parse("target", target).isReachable(2000));
            return new Result(ok, ok ? "ICMP echo answered" : "no answer");
        }
        Process p = from.start(new ProcessBuilder("ping", "-n", "-c", "2", "-W", "2", target).redirectErrorStream(true));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(false, "ping timed out");
        }
        String summary = out.lines().filter(l -> l.contains("packets transmitted") || l.contains("rtt")).reduce((a, b) -> a + "; " + b).orElse(out.strip());
        return new Result(p.exitValue() == 0, summary);
    }

    /**
     * A TCP server inside {@code ns} on {@code port}; accepts one connection,
     * answers with the source address it saw, and closes.
     */
    static final class SourceReporter implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;
        private volatile String seen;

        SourceReporter(NetNs ns, String bindIp, int port) throws Exception {
            // The listening socket is created inside ns; accepting works from any thread.
            server = ns.call(() -> {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(dev.overlaynet.Ip.parse("bind address", bindIp), port));
                return s;
            });
            server.setSoTimeout(15_000);
            acceptor = new Thread(this::serve, "overlaynet-demo-probe");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve() {
            try (Socket c = server.accept()) {
                seen = ((InetSocketAddress) c.getRemoteSocketAddress()).getAddress().getHostAddress();
                try (OutputStream out = c.getOutputStream()) {
                    out.write((seen + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                seen = null;
            }
        }

        /** The source address the server saw, waiting up to 15 s. */
        String seenSource() throws InterruptedException {
            acceptor.join(16_000);
            return seen;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Connects from inside {@code from} and returns what the server answered. */
    static String connectAndRead(NetNs from, String ip, int port) throws Exception {
        return from.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(dev.overlaynet.Ip.parse("ip", ip), port), 5000);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            }
        });
    }
}
