package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.overlaynet.Bridge;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.AckMode;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 defect 7 against the real kernel: a handle used from inside its
 * own dump callback (forbidden by the javadoc) used to cut a 2,000-entry dump
 * after the first entry and then wait out the 30 s receive timeout. It now
 * fails at once with IllegalStateException, and the handle stays usable.
 */
@ExtendWith(NetnsExtension.class)
class HandleReentryTest {
    private static final int ENTRIES = 2_000;

    @Test
    void usingTheHandleInsideItsOwnDumpFailsFastAndTheHandleStaysUsable(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = nss.netlink(ns);
        nl.links().add(Bridge.builder().name("d0").build());
        nl.links().up("d0");
        List<Neighbour> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(Neighbour.permanent("d0", "10.9." + (i / 250) + "." + (i % 250 + 1),
                    String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xff)));
        }
        assertThat(nl.neighbours().addAll(entries, AckMode.LAST).failures()).isEmpty();

        AtomicInteger seen = new AtomicInteger();
        Throwable t = catchThrowable(() -> nl.neighbours().forEach("d0", n -> {
            seen.incrementAndGet();
            try {
                nl.links().list();
            } catch (NetlinkException e) {
                throw new AssertionError("expected IllegalStateException, got " + e, e);
            }
        }));
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("inside a callback");
        assertThat(seen).hasValue(1);

        List<Neighbour> all = new ArrayList<>();
        nl.neighbours().forEach("d0", all::add);
        // The kernel adds a few entries of its own (IPv6 multicast on a link that is up).
        assertThat(all).filteredOn(n -> n.ip().getHostAddress().startsWith("10.9.")).hasSize(ENTRIES);
        assertThat(nl.links().list()).extracting(l -> l.name()).contains("d0");
    }
}
