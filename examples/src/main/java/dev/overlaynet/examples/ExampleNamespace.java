package dev.overlaynet.examples;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;

/**
 * The container namespace a real-host example works in: an existing one is
 * opened and never deleted; a missing one is created, and deleted again at
 * {@link #close()} unless the run {@link #keep() succeeded}, so a failed run
 * leaves no namespace behind.
 *
 * <pre>{@code
 * try (ExampleNamespace c = ExampleNamespace.openOrCreate("ns1")) {
 *     steps(c.ns());
 *     c.keep();
 * }
 * }</pre>
 */
final class ExampleNamespace implements AutoCloseable {
    private final NetNs ns;
    private final boolean created;
    private boolean keep;

    private ExampleNamespace(NetNs ns, boolean created) {
        this.ns = ns;
        this.created = created;
    }

    static ExampleNamespace openOrCreate(String name) throws NetlinkException {
        NetNs.validateName(name);
        try {
            return new ExampleNamespace(NetNs.create(name), true);
        } catch (NetlinkException e) {
            if (!e.isAlreadyExists()) {
                throw e;
            }
            return new ExampleNamespace(NetNs.open(name), false); // someone else's: use, never delete
        }
    }

    NetNs ns() {
        return ns;
    }

    boolean created() {
        return created;
    }

    /** The run succeeded: a namespace it created stays. */
    void keep() {
        keep = true;
    }

    @Override
    public void close() throws NetlinkException {
        String name = ns.name();
        ns.close();
        if (created && !keep) {
            NetNs.deleteIfExists(name);
        }
    }
}
