package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.HostSpec;
import dev.overlaynet.overlay.Overlay;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * IPv4 text is accepted only in canonical dotted decimal. iproute2 and ping
 * read "010.1.1.1" as octal (8.1.1.1) and expand shorthand such as "10.1",
 * so any other form would make one configuration mean different hosts
 * (the class of CVE-2021-29921).
 */
class IpTextTest {
    private static final String[][] REJECTED = {
        {"010.1.1.1", "leading zero"}, {"10.01.1.1", "leading zero"}, {"10.1.1.010", "leading zero"},
        {"00.1.1.1", "leading zero"}, {"10.1.1.00", "leading zero"}, {"0010.1.1.1", "leading zero"},
        {"0x0a.1.1.1", "hexadecimal"}, {"0XA.1.1.1", "hexadecimal"}, {"10.0x1.1.1", "hexadecimal"},
        {"0x0a010101", "hexadecimal"},
        {"10.1.1", "3 parts"}, {"10.1", "2 parts"}, {"167772161", "1 part"}, {"10.1.1.1.1", "5 parts"},
        {"10..1.1", "part 2 is empty"}, {".10.1.1", "part 1 is empty"}, {"10.1.1.", "part 4 is empty"},
        {"256.1.1.1", "above 255"}, {"1000.1.1.1", "above 255"}, {"10.1.1.999", "above 255"},
        {"+1.1.1.1", "not an IPv4"}, {"-1.1.1.1", "not an IPv4"}, {" 10.1.1.1", "not an IPv4"},
        {"10.1.1.1 ", "not an IPv4"}, {"\u0661\u0660.1.1.1", "not an IPv4"}, {"10.1.1.1\0", "not an IPv4"},
        {"localhost", "not an IPv4"}, {"1e1.1.1.1", "not an IPv4"}, {"0a.1.1.1", "not an IPv4"},
        {"::ffff:010.1.1.1", "leading zero"}, {"::ffff:10.1.1", "3 parts"}, {"::ffff:0x0a.1.1.1", "not an IPv4"},
        {"::ffff:1.2.3.256", "above 255"},
    };

    @Test
    void nonCanonicalIpv4IsRejectedWithTheReasonAndTheField() {
        for (String[] c : REJECTED) {
            assertThatThrownBy(() -> Ip.parse("gateway", c[0])).as(c[0])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("gateway ")
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void canonicalFormsAreAccepted() {
        String[][] ok = {{"0.0.0.0", "0.0.0.0"}, {"10.1.1.1", "10.1.1.1"}, {"255.255.255.255", "255.255.255.255"},
            {"1.0.0.1", "1.0.0.1"}, {"100.200.10.0", "100.200.10.0"}, {"::ffff:10.1.1.1", "10.1.1.1"},
            {"64:ff9b::1.2.3.4", "64:ff9b::102:304"}, {"fd00::1", "fd00::1"}};
        for (String[] c : ok) {
            assertThat(Ip.text(Ip.parse(c[0]))).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(Ip.parse("::ffff:10.1.1.1")).isInstanceOf(Inet4Address.class);
    }

    /** Random addresses: the canonical text parses to the same bytes; a zero-padded part is refused. */
    @Test
    void randomAddressesRoundTripAndPaddedPartsAreRefused() {
        long seed = Long.getLong("iptext.seed", System.nanoTime());
        System.out.println("IpTextTest seed " + seed + " (rerun with -Diptext.seed=" + seed + ")");
        Random rnd = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            int[] q = {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
            String text = q[0] + "." + q[1] + "." + q[2] + "." + q[3];
            InetAddress a = Ip.parse(text);
            byte[] b = a.getAddress();
            for (int k = 0; k < 4; k++) {
                assertThat(b[k] & 0xff).as(text).isEqualTo(q[k]);
            }
            assertThat(Ip.text(a)).isEqualTo(text);
            int pad = rnd.nextInt(4);
            String[] parts = text.split("\\.");
            parts[pad] = "0".repeat(1 + rnd.nextInt(2)) + parts[pad];
            String padded = String.join(".", parts);
            assertThatThrownBy(() -> Ip.parse(padded)).as(padded).hasMessageContaining("leading zero");
        }
    }

    @Test
    void prefixLengthsAreDecimalWithoutLeadingZeros() {
        assertThat(IpPrefix.parse("10.0.0.0/8").length()).isEqualTo(8);
        assertThat(IpPrefix.parse("0.0.0.0/0").length()).isZero();
        assertThat(IpPrefix.parse("fd00::/64").length()).isEqualTo(64);
        for (String bad : new String[] {"10.0.0.0/010", "10.0.0.0/08", "fd00::/064", "10.0.0.0/00"}) {
            assertThatThrownBy(() -> IpPrefix.parse("cidr", bad)).as(bad)
                    .hasMessageStartingWith("cidr ").hasMessageContaining("leading zero");
        }
        assertThatThrownBy(() -> IpPrefix.parse("cidr", "10.0.0.0/\u0668")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> IpPrefix.parse("cidr", "010.0.0.0/8")).hasMessageContaining("leading zero");
    }

    /** Every builder that takes IPv4 text refuses the octal-looking form and names its field. */
    @Test
    void buildersAndSpecsNameTheirField() {
        String bad = "010.1.1.1";
        expect("dst", () -> Route.builder().dst(bad + "/32"));
        expect("via", () -> Route.builder().via(bad));
        expect("src", () -> Route.builder().src(bad));
        expect("prefix", () -> Address.builder().prefix(bad + "/24"));
        expect("peer", () -> Address.builder().peer(bad));
        expect("broadcast", () -> Address.builder().broadcast(bad));
        expect("ip", () -> Neighbour.builder().ip(bad));
        expect("dst", () -> FdbEntry.builder().dst(bad));
        expect("group", () -> Vxlan.builder().group("239.01.1.1"));
        expect("remote", () -> Vxlan.builder().remote(bad));
        expect("local", () -> Vxlan.builder().local(bad));
        expect("source", () -> Nat.masquerade("010.233.0.0/16").build()); // NatRule reports at build()
        expect("excluded destination", () -> Nat.masquerade("10.233.0.0/16").excludeDestinations("010.0.0.0/8").build());
        expect("cidr", () -> Overlay.builder().cidr("010.233.0.0/16"));
        expect("multicastGroup", () -> Overlay.builder().multicastGroup("239.1.1.01"));
        expect("gateway", () -> Overlay.builder().gateway(bad));
        expect("localAddress", () -> HostSpec.builder().localAddress(bad));
        expect("hostAddress", () -> HostSpec.builder().hostAddress(bad));
        expect("ip", () -> ContainerSpec.builder().ip(bad));
    }

    private static void expect(String field, Runnable r) {
        assertThatThrownBy(r::run).as(field).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " ").hasMessageContaining("leading zero");
    }
}
