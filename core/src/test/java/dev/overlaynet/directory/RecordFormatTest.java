package dev.overlaynet.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.overlay.Overlay;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFormatTest {
    private static final String HOST =
            "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}";

    @Test
    void hostTextIsCanonicalAndRoundTrips() throws Exception {
        HostRecord h = new HostRecord("h1", Ip.parse("172.16.1.11"), MacAddress.parse("0A:58:AC:10:01:0B"));
        assertThat(RecordFormat.encode(h)).isEqualTo(HOST);
        assertThat(RecordFormat.decodeHost(HOST)).isEqualTo(h);
    }

    @Test
    void endpointRoundTrips() throws Exception {
        EndpointRecord e = new EndpointRecord(Ip.parse("10.233.0.2"), MacAddress.parse("0a:58:0a:e9:00:02"), "h-2");
        String text = RecordFormat.encode(e);
        assertThat(text).isEqualTo(
                "{\"format\":\"overlaynet.endpoint/v1\",\"ip\":\"10.233.0.2\",\"mac\":\"0a:58:0a:e9:00:02\",\"host\":\"h-2\"}");
        assertThat(RecordFormat.decodeEndpoint(text)).isEqualTo(e);
    }

    @Test
    void specRoundTripsInBothModes() throws Exception {
        Overlay mc = Overlay.builder().cidr("10.233.0.0/16").vni(42).dstPort(4789).multicastGroup("239.1.1.1")
                .nat(true).build();
        Overlay uc = Overlay.builder().cidr("10.9.0.0/24").vni(7).dstPort(8472).unicast().mtu(1400)
                .tag("blue").vxlanName("vx7").bridgeName("br7").build();
        for (Overlay o : new Overlay[] {mc, uc}) {
            String text = RecordFormat.encode(o);
            Overlay back = RecordFormat.decodeSpec(text);
            assertThat(RecordFormat.encode(back)).isEqualTo(text);
            assertThat(back.cidr()).isEqualTo(o.cidr());
            assertThat(back.vni()).isEqualTo(o.vni());
            assertThat(back.mode()).isEqualTo(o.mode());
            assertThat(back.mtu()).isEqualTo(o.mtu());
            assertThat(back.tag()).isEqualTo(o.tag());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "null",
        "[]",
        "{}",
        "{\"format\":\"overlaynet.host/v2\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{\"format\":\"overlaynet.endpoint/v1\",\"ip\":\"10.233.0.2\",\"mac\":\"0a:58:0a:e9:00:02\",\"host\":\"h1\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\",\"x\":1}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"name\":\"h2\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h 1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"example.com\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":172,\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0A:58:AC:10:01:0B\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01\"}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":{\"a\":1}}",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"} x",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h1\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"",
        "{\"format\":\"overlaynet.host/v1\",\"name\":\"h\\ud800\",\"underlay\":\"172.16.1.11\",\"vtepMac\":\"0a:58:ac:10:01:0b\"}",
        "{'format':'overlaynet.host/v1'}",
    })
    void malformedHostRecordsAreRejected(String text) {
        assertThatThrownBy(() -> RecordFormat.decodeHost(text)).isInstanceOf(MalformedRecordException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42.0,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":16777216,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":\"239.1.1.1\",\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"multicast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"broadcast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":null,\"gateway\":\"10.234.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":\"no\",\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\",\"tag\":\"t\"}",
        "{\"format\":\"overlaynet.spec/v1\",\"cidr\":\"10.233.0.0/16\",\"vni\":42,\"dstPort\":4789,\"mode\":\"unicast\",\"group\":null,\"gateway\":\"10.233.0.1\",\"nat\":false,\"mtu\":null,\"vxlanName\":\"vxlan0\",\"bridgeName\":\"br0\"}",
    })
    void malformedSpecsAreRejected(String text) {
        assertThatThrownBy(() -> RecordFormat.decodeSpec(text)).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void randomMutationsOfAValidRecordEitherParseToARecordThatReencodesOrAreRejected() {
        long seed = Long.getLong("directory.seed", 20261129L);
        System.out.println("RecordFormatTest seed " + seed);
        Random r = new Random(seed);
        int parsed = 0;
        for (int n = 0; n < 20_000; n++) {
            char[] c = HOST.toCharArray();
            int edits = 1 + r.nextInt(3);
            for (int k = 0; k < edits; k++) {
                c[r.nextInt(c.length)] = (char) (32 + r.nextInt(95));
            }
            String text = new String(c);
            try {
                HostRecord h = RecordFormat.decodeHost(text);
                parsed++;
                // Whatever parses must mean exactly what its canonical text says.
                assertThat(RecordFormat.decodeHost(RecordFormat.encode(h))).isEqualTo(h);
            } catch (MalformedRecordException expected) {
                // skipped, as a foreign record must be
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + n + ": " + text, e);
            }
        }
        assertThat(parsed).isLessThan(20_000);
    }
}
