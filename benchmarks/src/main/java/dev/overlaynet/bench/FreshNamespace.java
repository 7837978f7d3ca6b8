package dev.overlaynet.bench;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * State of an add workload: a namespace made, set up and deleted around every
 * invocation, as the peer harness gives each of its runs, then an idle-CPU
 * wait. Reusing one namespace and recreating only the device would measure
 * the previous invocation's flush of 10,000 entries: the C peer appending
 * FDB entries that way takes 2.8 instead of 2.5 us per entry.
 */
abstract class FreshNamespace {
    NetNs ns;
    Netlink nl;

    /** Names the namespace ({@code ovbench-<pid>-<label>}). */
    abstract String label();

    /** The untimed setup inside the new namespace (bridge, vxlan, ...). */
    abstract void build(Netlink nl) throws Exception;

    @Setup(Level.Invocation)
    public void fresh() throws Exception {
        ns = BenchNamespaces.create(label());
        nl = Netlink.open(ns);
        build(nl);
        Quiesce.await();
    }

    @TearDown(Level.Invocation)
    public void done() throws Exception {
        BenchNamespaces.destroy(nl, ns);
        nl = null;
        ns = null;
    }
}
