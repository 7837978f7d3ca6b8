package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Nat;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.Overlay;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * leave() and NAT removal next to tables the library does not own, and a
 * failed leave() retried: the host must end exactly as before join, with the
 * foreign tables untouched. {@code ip}, {@code nft} and {@code sysctl} are the
 * oracles (through {@link Snapshot}).
 */
@ExtendWith(NetnsExtension.class)
class OverlayLeaveTest {
    /** Same name, other family; and our name's table in a family we never use. */
    private static final String FOREIGN = """
            table ip6 overlaynet {
              chain postrouting { type nat hook postrouting priority srcnat; policy accept;
                ip6 saddr fd00::/64 masquerade
              }
            }
            table inet overlaynet {
              chain c { }
            }
            """;

    @Test
    void foreignTablesDoNotBlockLeave(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        NftOracle.load(h1, FOREIGN);
        Map<String, Object> before = Snapshot.host(h1);

        OverlayHost a = OverlayHost.join(sim.handle(1), OverlaySim.overlay(Overlay.Mode.MULTICAST),
                OverlaySim.hostSpec(1, true));
        assertThat(NftOracle.ruleset(h1)).contains("table ip overlaynet");
        a.leave();

        assertThat(Snapshot.diff(before, Snapshot.host(h1))).as("host after leave").isEmpty();
    }

    @Test
    void removeByTagSkipsForeignTablesAndIsOneChange(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("rm");
        NftOracle.load(ns.name(), FOREIGN);
        String foreign = NftOracle.ruleset(ns.name());
        Netlink nl = nss.netlink(ns);
        nl.nftables().apply(Nat.masquerade("10.1.0.0/16").tag("t").build(),
                Nat.masquerade("10.2.0.0/16").tag("u").build());

        assertThat(nl.nftables().remove("t")).isEqualTo(1);
        assertThat(nl.nftables().rules()).extracting(r -> r.tag()).containsExactly("u");
        assertThat(nl.nftables().remove(Nat.masquerade("10.2.0.0/16").tag("u").build())).isEqualTo(1);
        assertThat(nl.nftables().rules()).isEmpty();
        assertThat(nl.nftables().deleteTable().tablesDeleted()).isPositive();
        assertThat(nl.nftables().deleteTable().changed()).isFalse();
        assertThat(NftOracle.ruleset(ns.name())).isEqualTo(foreign);
    }

    @Test
    void removeByTagTakesBothFamiliesInOneTransaction(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("both");
        Netlink nl = nss.netlink(ns);
        nl.nftables().apply(Nat.masquerade("10.1.0.0/16").tag("t").build(),
                Nat.masquerade("fd00:1::/64").tag("t").build());
        assertThat(NftOracle.objects(ns.name(), "rule")).hasSize(2);
        assertThat(nl.nftables().remove("t")).isEqualTo(2);
        assertThat(NftOracle.objects(ns.name(), "rule")).isEmpty();
    }

    /** Fails leave() before each of its steps in turn; a second leave() must finish the job. */
    @Test
    void failedLeaveIsRetryable(TestNamespaces nss) throws Exception {
        OverlaySim sim = OverlaySim.create(nss, 1);
        String h1 = sim.hostName(1);
        Map<String, Object> before = Snapshot.host(h1);
        Overlay o = OverlaySim.overlay(Overlay.Mode.MULTICAST);
        RecordingObserver obs = new RecordingObserver();

        OverlayHost probe = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true), obs);
        obs.reset(-1);
        probe.leave();
        List<String> leaveSteps = List.copyOf(obs.steps);
        assertThat(leaveSteps).hasSizeGreaterThanOrEqualTo(3);
        assertThat(Snapshot.diff(before, Snapshot.host(h1))).isEmpty();

        for (int k = 1; k <= leaveSteps.size(); k++) {
            OverlayHost h = OverlayHost.join(sim.handle(1), o, OverlaySim.hostSpec(1, true), obs);
            obs.reset(k);
            assertThatThrownBy(h::leave).as("leave failing before step %d", k)
                    .isInstanceOf(RecordingObserver.InjectedFailure.class);
            obs.reset(-1);
            h.leave();
            assertThat(Snapshot.diff(before, Snapshot.host(h1)))
                    .as("host after a leave that failed before step %d (%s), then a retry", k, leaveSteps.get(k - 1))
                    .isEmpty();
        }
    }
}
