package dev.overlaynet.testkit;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The namespaces (and handles) of one test. Every name gets a unique prefix
 * so parallel or leftover runs never collide, and {@link #close()} deletes
 * them all, in reverse order, collecting every failure.
 *
 * <pre>{@code
 * try (TestNamespaces nss = new TestNamespaces("manual")) {
 *     NetNs h1 = nss.create("h1");
 *     String realName = nss.nameOf(h1); // e.g. "ovt3fa9c1-h1", usable with ip -n
 * }
 * }</pre>
 */
public final class TestNamespaces implements AutoCloseable {
    private final String prefix;
    private final Map<String, NetNs> byLabel = new LinkedHashMap<>();
    private final List<Netlink> handles = new ArrayList<>();
    private final List<AutoCloseable> others = new ArrayList<>();

    private final Thread onExit;

    /**
     * An empty set of namespaces for one test, with a fresh random name prefix.
     *
     * @param owner the test that owns them (for messages)
     */
    public TestNamespaces(String owner) {
        this.prefix = "ovt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-";
        // A JVM killed mid-test (a timeout, Ctrl-C) still deletes what this test made.
        this.onExit = new Thread(this::deleteQuietly, "overlaynet-testkit-cleanup");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    private void deleteQuietly() {
        for (String name : names()) {
            try {
                NetNs.deleteIfExists(name);
            } catch (Exception e) {
                // best effort at JVM exit
            }
        }
    }

    /**
     * Creates namespace {@code label}, deleted at close.
     *
     * @param label the test's name for it, unique within the test
     * @return the namespace, named this test's prefix + {@code label}
     * @throws NetlinkException if the kernel refuses to create it
     */
    public synchronized NetNs create(String label) throws NetlinkException {
        if (byLabel.containsKey(label)) {
            throw new IllegalArgumentException("namespace " + label + " already created in this test");
        }
        NetNs ns = NetNs.create(prefix + label);
        byLabel.put(label, ns);
        return ns;
    }

    /**
     * The namespace created as {@code label}.
     *
     * @param label the name given to {@link #create}
     * @return the namespace
     */
    public synchronized NetNs get(String label) {
        NetNs ns = byLabel.get(label);
        if (ns == null) {
            throw new IllegalArgumentException("no namespace " + label + " in this test");
        }
        return ns;
    }

    /**
     * The real name under /run/netns of the namespace created as {@code label}.
     *
     * @param label the name given to {@link #create}
     * @return the name to give {@code ip -n}
     */
    public String name(String label) {
        return get(label).name();
    }

    /**
     * The real name of {@code ns}.
     *
     * @param ns a namespace of this test
     * @return the name to give {@code ip -n}
     */
    public String nameOf(NetNs ns) {
        return ns.name();
    }

    /**
     * A handle on {@code ns}, closed at close.
     *
     * @param ns a namespace of this test
     * @return the open handle
     * @throws NetlinkException if its socket cannot be opened
     */
    public synchronized Netlink netlink(NetNs ns) throws NetlinkException {
        Netlink nl = Netlink.open(ns);
        handles.add(nl);
        return nl;
    }

    /**
     * Closes {@code c} at the end of the test, before the namespaces go.
     *
     * @param <T> its type
     * @param c what to close
     * @return {@code c}
     */
    public synchronized <T extends AutoCloseable> T closeLater(T c) {
        others.add(c);
        return c;
    }

    /** {@return the real names of all namespaces of this test} */
    public synchronized List<String> names() {
        List<String> out = new ArrayList<>();
        for (NetNs ns : byLabel.values()) {
            out.add(ns.name());
        }
        return Collections.unmodifiableList(out);
    }

    /** {@return the unique prefix of this test's namespace names} */
    public String prefix() {
        return prefix;
    }

    /**
     * Closes the handles and whatever {@link #closeLater} was given, newest
     * first, then deletes the namespaces; every step is tried.
     *
     * @throws IOException the first failure (later ones suppressed)
     */
    @Override
    public synchronized void close() throws IOException {
        Exception first = null;
        List<AutoCloseable> all = new ArrayList<>(others);
        all.addAll(handles);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        List<NetNs> nss = new ArrayList<>(byLabel.values());
        Collections.reverse(nss);
        for (NetNs ns : nss) {
            ns.close();
            try {
                NetNs.deleteIfExists(ns.name());
            } catch (Exception e) {
                first = add(first, e);
            }
        }
        others.clear();
        handles.clear();
        byLabel.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway and finds nothing left
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
        if (first != null) {
            throw new IOException("closing test namespaces " + prefix + "*: " + first, first);
        }
    }

    private static Exception add(Exception first, Exception e) {
        if (first == null) {
            return e;
        }
        first.addSuppressed(e);
        return first;
    }
}
