package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Validation defects the randomized conformance suite (ConformanceTest)
 * found: each input here is one the library refused while the kernel
 * accepts it, or accepted while the kernel silently dropped it.
 */
class ConformanceFindingsTest {

    /** br_set_ageing_time has no lower bound: ip link add ... type bridge ageing_time 819 works (8.19 s). */
    @Test
    void bridgeAgeingTimeBelowTenSecondsIsAccepted() {
        for (Duration d : new Duration[] {Duration.ofMillis(8190), Duration.ofMillis(10), Duration.ofSeconds(1)}) {
            Bridge b = Bridge.builder().name("br0").ageingTime(d).build();
            assertThat(b.ageingTime()).isEqualTo(d);
        }
        // the whole u32 clock_t range, 42949672.95 s
        Duration max = Duration.ofMillis(0xFFFFFFFFL * 10);
        assertThat(Bridge.builder().name("br0").ageingTime(max).build().ageingTime()).isEqualTo(max);
        assertThatThrownBy(() -> Bridge.builder().name("br0").ageingTime(max.plusMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ageingTime");
    }

    /**
     * br_stp_start clamps the forward delay to 2..30 s when STP starts: a new
     * bridge with stp(true) and forwardDelay 95.12 s read back 30 s, and the
     * second ensure then failed with ERANGE. Refused, naming the field.
     */
    @Test
    void forwardDelayOutsideTheStpRangeIsRefusedWithStp() {
        for (Duration d : new Duration[] {Duration.ofMillis(95_120), Duration.ofMillis(30_010), Duration.ofMillis(1990),
                Duration.ZERO}) {
            assertThatThrownBy(() -> Bridge.builder().name("br0").stp(true).forwardDelay(d).build()).as(d.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("forwardDelay")
                    .hasMessageContaining("stp");
            assertThat(Bridge.builder().name("br0").stp(false).forwardDelay(d).build().forwardDelay()).isEqualTo(d);
            assertThat(Bridge.builder().name("br0").forwardDelay(d).build().forwardDelay()).isEqualTo(d);
        }
        for (Duration d : new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(30)}) {
            assertThat(Bridge.builder().name("br0").stp(true).forwardDelay(d).build().forwardDelay()).isEqualTo(d);
        }
    }

    /**
     * The kernel reports srcPortRange 0-0 for its default (and takes 0-0 from
     * ip ... srcport 0 0): a vxlan the library had read could not be built
     * again, toBuilder().build() refused its own value.
     */
    @Test
    void decodedDefaultPortRangeBuildsAgain() {
        Vxlan v = Vxlan.builder().name("vx0").vni(5).srcPortRange(0, 0).build();
        assertThat(v.toBuilder().mtu(1400).build().srcPortRange()).isEqualTo(new PortRange(0, 0));
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").vni(5).srcPortRange(0, 10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("srcPortRange 0-10");
    }

    /**
     * A passthru macvlan read from the kernel carries its parent's address:
     * build() refused it, so what the library had read could not be built
     * again. The check moved to add/ensure, against the parent's address.
     */
    @Test
    void passthruMacvlanWithItsParentsAddressBuilds() {
        Macvlan m = Macvlan.builder().name("mv0").parent("eth0").mode(MacvlanMode.PASSTHRU)
                .address("02:11:22:33:44:55").build();
        assertThat(m.toBuilder().mtu(1400).build().address()).isEqualTo(MacAddress.parse("02:11:22:33:44:55"));
    }

    /**
     * A GPE vxlan is ARPHRD_NONE: the kernel drops IFLA_ADDRESS at creation
     * and refuses it later (EOPNOTSUPP), so a second ensure failed.
     */
    @Test
    void gpeVxlanRefusesAnAddress() {
        assertThatThrownBy(() -> Vxlan.builder().name("vx0").external(true).gpe(true).learning(false)
                .address("02:00:00:00:00:01").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("address")
                .hasMessageContaining("gpe");
        assertThat(Vxlan.builder().name("vx0").external(true).gpe(true).learning(false).build().address()).isNull();
    }
}
