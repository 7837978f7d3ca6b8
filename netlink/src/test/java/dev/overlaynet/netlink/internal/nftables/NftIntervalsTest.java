package dev.overlaynet.netlink.internal.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.netlink.internal.nftables.NftIntervals.Range;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NftIntervalsTest {
    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static Range p(String a, int len) throws Exception {
        return NftIntervals.prefix(ip(a), len);
    }

    /** The elements {@code nft --debug=netlink} shows for {@code elements = { 10.0.0.0/8, 192.168.0.0/16 }}. */
    @Test
    void elementsAsNftSendsThem() throws Exception {
        List<NftSetElement> e = NftIntervals.elements(List.of(p("192.168.0.0", 16), p("10.0.0.0", 8)));
        assertThat(e).containsExactly(
                NftSetElement.end(DataValue.of(0, 0, 0, 0)),
                NftSetElement.of(DataValue.of(10, 0, 0, 0)),
                NftSetElement.end(DataValue.of(11, 0, 0, 0)),
                NftSetElement.of(DataValue.of(192, 168, 0, 0)),
                NftSetElement.end(DataValue.of(192, 169, 0, 0)));
        assertThat(NftIntervals.ranges(e, 4)).containsExactly(p("10.0.0.0", 8), p("192.168.0.0", 16));
    }

    @Test
    void edgesOfTheAddressSpace() throws Exception {
        assertThat(NftIntervals.elements(List.of(p("0.0.0.0", 0))))
                .containsExactly(NftSetElement.of(DataValue.of(0, 0, 0, 0)));
        assertThat(NftIntervals.elements(List.of(p("0.0.0.0", 8))))
                .containsExactly(NftSetElement.of(DataValue.of(0, 0, 0, 0)), NftSetElement.end(DataValue.of(1, 0, 0, 0)));
        assertThat(NftIntervals.elements(List.of(p("255.255.255.255", 32))))
                .containsExactly(NftSetElement.end(DataValue.of(0, 0, 0, 0)), NftSetElement.of(DataValue.of(255, 255, 255, 255)));
        assertThat(NftIntervals.ranges(NftIntervals.elements(List.of(p("255.255.255.255", 32))), 4))
                .containsExactly(p("255.255.255.255", 32));
        assertThat(NftIntervals.elements(List.of())).isEmpty();
        // An IPv4-mapped IPv6 prefix stays IPv6.
        Range mapped = NftIntervals.prefix(Inet6Address.getByAddress(null, ip("::ffff:10.0.0.0").getAddress().length == 16
                ? ip("::ffff:10.0.0.0").getAddress() : new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 0}, null), 104);
        assertThat(mapped.first().getAddress()).hasSize(16);
        assertThat(NftIntervals.ranges(NftIntervals.elements(List.of(mapped)), 16)).containsExactly(mapped);
    }

    @Test
    void overlappingAndAdjacentRangesMerge() throws Exception {
        assertThat(NftIntervals.merge(List.of(p("10.0.1.0", 24), p("10.0.0.0", 24), p("10.0.0.128", 25), p("10.0.3.0", 24))))
                .containsExactly(new Range(ip("10.0.0.0"), ip("10.0.1.255")), p("10.0.3.0", 24));
        assertThatThrownBy(() -> NftIntervals.merge(List.of(p("10.0.0.0", 8), p("fd00::", 8))))
                .hasMessageContaining("mix IPv4 and IPv6");
        assertThatThrownBy(() -> new Range(ip("10.0.0.2"), ip("10.0.0.1"))).hasMessageContaining("ends before");
        assertThatThrownBy(() -> NftIntervals.ranges(List.of(NftSetElement.of(DataValue.of(1, 2))), 4))
                .hasMessageContaining("2 bytes");
    }

    /** Random prefixes: decoding the elements gives the merged ranges, whatever order the kernel lists them in. */
    @Test
    void randomRoundTrips() throws Exception {
        long seed = Long.getLong("nftintervals.seed", System.nanoTime());
        System.out.println("NftIntervalsTest seed " + seed + " (rerun with -Dnftintervals.seed=" + seed + ")");
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            boolean v6 = rnd.nextBoolean();
            List<Range> in = new ArrayList<>();
            for (int i = 0, n = 1 + rnd.nextInt(50); i < n; i++) {
                byte[] a = new byte[v6 ? 16 : 4];
                rnd.nextBytes(a);
                in.add(NftIntervals.prefix(v6 ? Inet6Address.getByAddress(null, a, null) : InetAddress.getByAddress(a),
                        rnd.nextInt(a.length * 8 + 1)));
            }
            List<NftSetElement> e = new ArrayList<>(NftIntervals.elements(in));
            java.util.Collections.shuffle(e, rnd);
            assertThat(NftIntervals.ranges(e, v6 ? 16 : 4)).isEqualTo(NftIntervals.merge(in));
        }
    }
}
