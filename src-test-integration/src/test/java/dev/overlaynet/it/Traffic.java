package dev.overlaynet.it;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.Oracle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Traffic between namespaces the test made: ICMP with the system's ping, and a TCP echo. */
final class Traffic {
    private Traffic() {}

    /** {@code ping -c 2 -W 2} from inside {@code from}; true when it exits 0. */
    static boolean ping(NetNs from, String target) throws Exception {
        return Oracle.execIn(from.name(), "ping", "-n", "-q", "-c", "2", "-W", "2", "-i", "0.2", target).ok();
    }

    /**
     * As {@link #ping}, but tried a second time if the first fails: only for
     * multicast mode, where the first frames to a MAC not yet learned are
     * flooded through the group and ARP may time out once while VTEPs learn.
     */
    static boolean pingWithWarmup(NetNs from, String target) throws Exception {
        return ping(from, target) || ping(from, target);
    }

    /**
     * A TCP echo from {@code client} to {@code serverIp}:{@code port} served in
     * {@code server}. Both sockets are created inside their namespaces with
     * NetNs.call (sockets stay in the namespace they were made in); the server
     * accepts and echoes on an ordinary thread outside any namespace. Returns
     * what the client read back.
     */
    static String tcpEcho(NetNs server, String serverIp, int port, NetNs client, String message) throws Exception {
        try (ServerSocket ss = server.call(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(serverIp), port));
            return s;
        })) {
            ss.setSoTimeout(10_000);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket c = ss.accept()) {
                    c.setSoTimeout(10_000);
                    byte[] line = readLine(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    out.write(line);
                    out.flush();
                    return ((InetSocketAddress) c.getRemoteSocketAddress()).getAddress().getHostAddress();
                } catch (Exception e) {
                    throw new IllegalStateException("echo server: " + e, e);
                }
            });
            String got;
            try {
                got = client.call(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(InetAddress.getByName(serverIp), port), 5000);
                        s.setSoTimeout(5000);
                        s.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
                        s.getOutputStream().flush();
                        return new String(readLine(s.getInputStream()), StandardCharsets.UTF_8).strip();
                    }
                });
            } finally {
                ss.close();
            }
            served.get(15, TimeUnit.SECONDS);
            return got;
        }
    }

    private static byte[] readLine(InputStream in) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.toByteArray();
    }
}
