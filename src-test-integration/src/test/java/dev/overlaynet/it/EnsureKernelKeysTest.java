package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.EnsureResult;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.FdbEntryState;
import dev.overlaynet.Neighbour;
import dev.overlaynet.NeighbourFlag;
import dev.overlaynet.Route;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second identical {@code ensure} is UNCHANGED and sends nothing, also for
 * the objects the kernel stores under another key or state than asked. Each
 * case was found by ConformanceTest: the second ensure threw EEXIST or sent
 * a replace.
 */
@ExtendWith(NetnsExtension.class)
class EnsureKernelKeysTest {

    private interface Ensure {
        EnsureResult run() throws Exception;
    }

    /** The first ensure creates, the second is UNCHANGED and sends nothing. */
    private static void createdThenUnchanged(String what, Ensure ensure, LongSupplier sent) throws Exception {
        assertThat(ensure.run()).as(what).isEqualTo(EnsureResult.CREATED);
        long before = sent.getAsLong();
        assertThat(ensure.run()).as(what).isEqualTo(EnsureResult.UNCHANGED);
        assertThat(sent.getAsLong()).as(what + ": messages sent by the second ensure").isEqualTo(before);
    }

    /** IPv6 stores metric 0 as 1024: the second ensure looked for metric 0, found nothing and got EEXIST. */
    @Test
    void ipv6RouteWithMetricZero(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "r");
        h.ip("addr", "add", "fd00::1/64", "dev", "br0", "nodad");
        Route r = Route.builder().dst("fd05::/64").via("fd00::5").dev("br0").metric(0L).build();
        createdThenUnchanged("route", () -> h.nl.routes().ensure(r), () -> MutationCount.of(h.nl));
    }

    /** A proxy entry has no state (NUD_NONE in the dump): the second ensure compared it with PERMANENT. */
    @Test
    void proxyNeighbour(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "n");
        Neighbour p = Neighbour.proxy("br0", "10.233.0.50");
        createdThenUnchanged("proxy", () -> h.nl.neighbours().ensure(p), () -> MutationCount.of(h.nl));
    }

    /** An entry added with self on the bridge itself is dumped as the bridge's (master br0): ensure added it again. */
    @Test
    void fdbEntryOnTheBridgeItself(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "f");
        FdbEntry f = FdbEntry.builder().dev("br0").mac("02:00:00:00:00:aa").flags(NeighbourFlag.SELF).state(FdbEntryState.PERMANENT).build();
        createdThenUnchanged("fdb", () -> h.nl.fdb().ensure(f), () -> MutationCount.of(h.nl));
    }

    /** A bridge entry with extern_learn is learned as dynamic, not sticky, whatever was asked: ensure replaced it each time. */
    @Test
    void externallyLearnedBridgeEntry(TestNamespaces nss) throws Exception {
        HostFixture h = HostFixture.create(nss, "e");
        for (FdbEntryState s : new FdbEntryState[] {FdbEntryState.PERMANENT, FdbEntryState.STATIC}) {
            FdbEntry f = FdbEntry.builder().dev("vb0").mac(s == FdbEntryState.STATIC ? "02:00:00:00:00:bb" : "02:00:00:00:00:cc")
                    .flags(s == FdbEntryState.STATIC ? new NeighbourFlag[] {NeighbourFlag.MASTER, NeighbourFlag.EXT_LEARNED, NeighbourFlag.STICKY}
                            : new NeighbourFlag[] {NeighbourFlag.MASTER, NeighbourFlag.EXT_LEARNED})
                    .state(s).build();
            createdThenUnchanged(s.name(), () -> h.nl.fdb().ensure(f), () -> MutationCount.of(h.nl));
        }
    }
}
