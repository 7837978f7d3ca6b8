package dev.overlaynet.testkit.fake;

import dev.overlaynet.netlink.KernelEndpoint;
import dev.overlaynet.netlink.NetlinkProtocol;
import dev.overlaynet.netlink.NetlinkTransport;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.IfLink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import jnr.constants.platform.Errno;

/**
 * A kernel in memory, at the netlink message level, for tests that need no
 * root: it records every request, answers it from a small model (links,
 * addresses, neighbours, FDB entries, nf_tables tables/chains/rules with a
 * generation, sysctls) or from a script, and fails the requests you choose
 * with the errno and extended-ack text you choose. No syscall is faked: the
 * library's own sockets, sequence matching, ack and error parsing run
 * unchanged over a {@link dev.overlaynet.netlink.NetlinkTransport}.
 *
 * <p>Open a handle on it with {@code Netlink.builder().kernel(kernel).open()}.
 * It starts with {@code lo} (down) and the sysctl {@code net.ipv4.ip_forward=0};
 * add the devices your code expects with {@link #addLink}.
 *
 * <pre>{@code
 * FakeKernel kernel = new FakeKernel();
 * kernel.addLink("eth1", "veth");
 * try (Netlink nl = Netlink.builder().kernel(kernel).open()) {
 *     nl.links().ensure(Bridge.builder().name("br0").build());
 *     kernel.clearRequests();
 *     nl.links().ensure(Bridge.builder().name("br0").build());  // already so
 *     assertThat(kernel.changes()).isEmpty();                      // nothing sent to change it
 *
 *     kernel.failChange(1, Errno.EPERM.intValue(), "injected");    // the next change fails
 * }
 * }</pre>
 *
 * <p>Thread-safe: one lock guards the whole kernel.
 */
public final class FakeKernel implements KernelEndpoint {
    private final RouteModel route = new RouteModel();
    private NftModel nft = new NftModel();
    private final Map<String, String> sysctls = new TreeMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> sysctlWrites = new ArrayList<>();
    private final List<Script> scripts = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private int changesSeen;
    private int nextPort = 1000;

    private record Script(Predicate<Request> which, Responder responder) {}

    private static final class Fault {
        final Predicate<Request> which;
        final int atChange;
        final int errno;
        final String extAck;

        Fault(Predicate<Request> which, int atChange, int errno, String extAck) {
            this.which = which;
            this.atChange = atChange;
            this.errno = errno;
            this.extAck = extAck;
        }
    }

    /**
     * A kernel with {@code lo} (down) and {@code net.ipv4.ip_forward=0}.
     */
    public FakeKernel() {
        route.addLink("lo", null, 0);
        sysctls.put("net.ipv4.ip_forward", "0");
        sysctls.put("net.ipv6.conf.all.forwarding", "0");
    }

    // ---- setting up ------------------------------------------------------------------

    /**
     * Adds a link of {@code kind} (null for none, like lo), down; returns its ifindex.
     *
     * @param name the link name
     * @param kind the link kind, e.g. {@code veth}, or null
     * @return its ifindex
     */
    public synchronized int addLink(String name, String kind) {
        if (route.byName(name) != null) {
            throw new IllegalArgumentException("link " + name + " exists");
        }
        return route.addLink(name, kind, 0).index;
    }

    /**
     * Adds a link of {@code kind} and sets it up; returns its ifindex.
     *
     * @param name the link name
     * @param kind the link kind, e.g. {@code veth}, or null
     * @return its ifindex
     */
    public synchronized int addLinkUp(String name, String kind) {
        int i = addLink(name, kind);
        route.links.get(i).flags |= IfLink.IFF_UP;
        return i;
    }

    /**
     * Sets a sysctl without counting it as a change (e.g. to start with forwarding on).
     *
     * @param key the sysctl, dotted
     * @param value its value
     * @return this kernel
     */
    public synchronized FakeKernel presetSysctl(String key, String value) {
        sysctls.put(key, value);
        return this;
    }

    /**
     * Answers the requests {@code which} selects with {@code responder}
     * instead of the model (the first matching script wins; scripts stay
     * until {@link #clearScripts()}). A script for an nftables
     * {@code NFNL_MSG_BATCH_BEGIN} that answers with an error refuses the
     * whole batch, as the kernel does.
     *
     * @param which selects the requests
     * @param responder writes the answer
     * @return this kernel
     */
    public synchronized FakeKernel on(Predicate<Request> which, Responder responder) {
        scripts.add(new Script(which, responder));
        return this;
    }

    /** Removes every script: the model answers everything again. */
    public synchronized void clearScripts() {
        scripts.clear();
    }

    /**
     * Fails the {@code n}-th change from now (1 is the next one) with
     * {@code errno} and {@code extAck} (may be null). Changes are rtnetlink
     * NEW/DEL/SET requests, messages inside an nftables batch, and sysctl
     * writes (which fail with an IOException naming the errno). A failed
     * change changes nothing; in a batch, nothing of the batch is applied.
     *
     * @param n which change from now, 1 for the next
     * @param errno the positive errno, e.g. {@code Errno.EPERM.intValue()}
     * @param extAck the extended-ack text, or null
     * @return this kernel
     */
    public synchronized FakeKernel failChange(int n, int errno, String extAck) {
        if (n < 1) {
            throw new IllegalArgumentException("n " + n + " < 1");
        }
        faults.add(new Fault(null, changesSeen + n, errno, extAck));
        return this;
    }

    /**
     * Fails the next request {@code which} selects, once, with {@code errno} and {@code extAck}.
     *
     * @param which selects the requests
     * @param errno the positive errno, e.g. {@code Errno.EPERM.intValue()}
     * @param extAck the extended-ack text, or null
     * @return this kernel
     */
    public synchronized FakeKernel failNext(Predicate<Request> which, int errno, String extAck) {
        faults.add(new Fault(which, 0, errno, extAck));
        return this;
    }

    // ---- looking ------------------------------------------------------------------------

    /**
     * Every request received so far, in order.
     *
     * @return the requests, oldest first
     */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /**
     * The requests received so far that ask for a change ({@link Request#isChange()}).
     *
     * @return the change requests, oldest first
     */
    public synchronized List<Request> changes() {
        return requests.stream().filter(Request::isChange).toList();
    }

    /**
     * Sysctl writes so far, as {@code key=value}.
     *
     * @return the writes, oldest first
     */
    public synchronized List<String> sysctlWrites() {
        return List.copyOf(sysctlWrites);
    }

    /** Forgets the recorded requests and sysctl writes (the state stays). */
    public synchronized void clearRequests() {
        requests.clear();
        sysctlWrites.clear();
    }

    /**
     * Changes seen so far (requests and sysctl writes), including failed ones.
     *
     * @return the count
     */
    public synchronized int changeCount() {
        return changesSeen;
    }

    /**
     * The whole state as text, one object per line (links with their
     * ifindex and every attribute, addresses, neighbours, FDB entries,
     * nf_tables objects, sysctls): equal snapshots mean equal kernels.
     *
     * @return the state as text
     */
    public synchronized String snapshot() {
        StringBuilder sb = new StringBuilder(route.describe()).append(nft.describe());
        sysctls.forEach((k, v) -> sb.append("sysctl ").append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /**
     * The index of link {@code name}, or -1.
     *
     * @param name the link name
     * @return the index, or -1
     */
    public synchronized int interfaceIndex(String name) {
        RouteModel.Link l = route.byName(name);
        return l == null ? -1 : l.index;
    }

    /**
     * The current nf_tables ruleset generation.
     *
     * @return the generation
     */
    public synchronized int nftGeneration() {
        return nft.generation;
    }

    // ---- KernelEndpoint -----------------------------------------------------------------

    @Override
    public synchronized NetlinkTransport open(NetlinkProtocol protocol) {
        return new FakeTransport(this, protocol, nextPort++);
    }

    @Override
    public synchronized String sysctl(String key) throws IOException {
        String v = sysctls.get(key);
        if (v == null) {
            v = deviceDefault(key);
        }
        if (v == null) {
            throw new NoSuchFileException("/proc/sys/" + key.replace('.', '/'));
        }
        return v;
    }

    @Override
    public synchronized void sysctl(String key, String value) throws IOException {
        if (!sysctls.containsKey(key) && deviceDefault(key) == null) {
            throw new NoSuchFileException("/proc/sys/" + key.replace('.', '/'));
        }
        int n = ++changesSeen;
        sysctlWrites.add(key + "=" + value);
        for (Fault f : faults) {
            if (f.which == null && f.atChange == n) {
                faults.remove(f);
                throw new IOException("write /proc/sys/" + key.replace('.', '/') + ": "
                        + Errno.valueOf(f.errno).name() + " (injected by FakeKernel)");
            }
        }
        sysctls.put(key, value.strip());
    }

    /** "0" for a per-device conf key of an existing link (or all/default), else null. */
    private String deviceDefault(String key) {
        String[] p = key.split("\\.");
        if (p.length == 5 && p[0].equals("net") && p[2].equals("conf")
                && (p[3].equals("all") || p[3].equals("default") || route.byName(p[3]) != null)) {
            return "0";
        }
        return null;
    }

    // ---- the message path -----------------------------------------------------------------

    /** Handles one datagram from a socket; returns the reply datagrams. */
    synchronized List<byte[]> datagram(NetlinkProtocol protocol, int port, byte[] d) {
        List<byte[]> messages = split(d);
        List<byte[]> out = new ArrayList<>();
        if (protocol == NetlinkProtocol.NETLINK_NETFILTER && !messages.isEmpty()
                && type(messages.get(0)) == NfNetlink.NFNL_MSG_BATCH_BEGIN) {
            batch(protocol, port, messages, out);
            return out;
        }
        for (byte[] m : messages) {
            boolean change = protocol == NetlinkProtocol.NETLINK_ROUTE && RouteModel.isChange(type(m));
            Reply r = answer(new Request(protocol, m, change), port, protocol == NetlinkProtocol.NETLINK_ROUTE
                    ? route::handle : nft::read);
            if (!r.isEmpty()) {
                out.add(r.bytes());
            }
        }
        // A device's sysctls (net.ipv4.conf.DEV.*) go with the device.
        sysctls.keySet().removeIf(k -> {
            String[] p = k.split("\\.");
            return p.length == 5 && p[2].equals("conf") && !p[3].equals("all") && !p[3].equals("default")
                    && route.byName(p[3]) == null;
        });
        return out;
    }

    /** An nftables transaction: applied whole or not at all; a failed BEGIN refuses it all. */
    private void batch(NetlinkProtocol protocol, int port, List<byte[]> messages, List<byte[]> out) {
        Request begin = new Request(protocol, messages.get(0), false);
        Reply br = answer(begin, port, (r, reply) -> {
            Attrs a = Attrs.parse(r.raw(), 20, r.raw().length);
            byte[] g = a.get(NfNetlink.NFNL_BATCH_GENID);
            if (g != null && ByteBuffer.wrap(g).getInt() != nft.generation) {
                reply.error(Errno.ERESTART.intValue(), null);
            }
        });
        if (br.errno() > 0) {
            out.add(br.bytes());
            return;
        }
        NftModel before = nft.copy();
        List<byte[]> replies = new ArrayList<>();
        boolean failed = false;
        int changes = 0;
        for (int i = 1; i < messages.size(); i++) {
            byte[] m = messages.get(i);
            if (i == messages.size() - 1 && type(m) == NfNetlink.NFNL_MSG_BATCH_END) {
                requests.add(new Request(protocol, m, false));
                break;
            }
            Reply r = answer(new Request(protocol, m, true), port, nft::change);
            failed |= r.errno() > 0;
            changes++;
            if (!r.isEmpty()) {
                replies.add(r.bytes());
            }
        }
        if (failed) {
            nft = before;
        } else if (changes > 0) {
            nft.generation++;
        }
        out.addAll(replies);
    }

    private Reply answer(Request req, int port, Responder model) {
        requests.add(req);
        Reply reply = new Reply(req, port);
        int n = req.isChange() ? ++changesSeen : 0;
        for (Fault f : faults) {
            if (f.which != null ? f.which.test(req) : req.isChange() && f.atChange == n) {
                faults.remove(f);
                reply.error(f.errno, f.extAck);
                return reply;
            }
        }
        for (Script s : scripts) {
            if (s.which().test(req)) {
                s.responder().respond(req, reply);
                return reply;
            }
        }
        model.respond(req, reply);
        return reply;
    }

    private static int type(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getShort(4) & 0xffff;
    }

    private static List<byte[]> split(byte[] d) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
        int p = 0;
        while (p + Nlmsg.NLMSG_HDRLEN <= d.length) {
            int len = b.getInt(p);
            if (len < Nlmsg.NLMSG_HDRLEN || p + len > d.length) {
                break;
            }
            out.add(Arrays.copyOfRange(d, p, p + len));
            p += Nlmsg.align(len);
        }
        return out;
    }
}
