package dev.overlaynet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The examples' argument handling: nothing given is ignored silently. Root-free: every case fails before any syscall. */
class ArgsTest {
    private static final Set<String> OPTS = Set.of("vni", "dev", "peers");
    private static final Set<String> FLAGS = Set.of("help", "create-bridge");

    private static Args parse(String... argv) {
        return Args.parse(argv, OPTS, FLAGS);
    }

    @Test
    void knownOptionsInBothForms() {
        Args a = parse("--vni", "7", "--dev=eth1", "--create-bridge", "--peers", "10.0.0.1,10.0.0.2");
        assertThat(a.getInt("vni", 42)).isEqualTo(7);
        assertThat(a.get("dev", null)).isEqualTo("eth1");
        assertThat(a.flag("create-bridge")).isTrue();
        assertThat(a.flag("help")).isFalse();
        assertThat(a.list("peers")).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(parse().getInt("vni", 42)).isEqualTo(42);
    }

    @Test
    void badArgumentsAreErrors() {
        String[][] cases = {
            {"unknown option --frob", "--frob", "1"},
            {"unknown option --frob", "--frob=1"},
            {"unknown option --Vni", "--Vni", "1"},
            {"given twice", "--vni", "1", "--vni", "2"},
            {"given twice", "--create-bridge", "--create-bridge"},
            {"takes no value", "--create-bridge=yes"},
            {"needs a value", "--vni"},
            {"unexpected argument \"eth1\"", "eth1"},
            {"unexpected argument \"-v\"", "-v"},
            {"unexpected argument \"--\"", "--"},
        };
        for (String[] c : cases) {
            String[] argv = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertThatThrownBy(() -> parse(argv)).as(String.join(" ", argv))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c[0]);
        }
    }

    @Test
    void valuesAreChecked() {
        assertThatThrownBy(() -> parse("--vni", "x").getInt("vni", 42)).hasMessageContaining("--vni must be a decimal");
        assertThatThrownBy(() -> parse("--vni", "0x10").getInt("vni", 42)).hasMessageContaining("decimal");
        assertThatThrownBy(() -> parse("--vni", "99999999999").getInt("vni", 42)).hasMessageContaining("decimal");
        assertThatThrownBy(() -> parse("--vni", "0").getInt("vni", 42, 1, 9)).hasMessage("--vni must be in [1..9], got 0");
        assertThatThrownBy(() -> parse("--peers", "10.0.0.1,,10.0.0.2").list("peers")).hasMessageContaining("empty element");
        assertThatThrownBy(() -> parse("--dev", "x").choice("dev", "a", List.of("a", "b")))
                .hasMessage("--dev must be one of a|b, got \"x\"");
        assertThat(parse("--dev", "b").choice("dev", "a", List.of("a", "b"))).isEqualTo("b");
    }

    @Test
    void optionsTheModeWouldIgnoreAreErrors() {
        Args a = parse("--vni", "1", "--dev", "eth1");
        assertThatThrownBy(() -> a.rejectOthers(Set.of("vni"), "with --simulate"))
                .hasMessage("--dev is not used with --simulate");
        assertThatThrownBy(() -> parse("--create-bridge").rejectOthers(Set.of("vni"), "with --simulate"))
                .hasMessage("--create-bridge is not used with --simulate");
        parse("--vni", "1", "--help").rejectOthers(Set.of("vni"), "with --simulate");
    }

    /** What a user sees: exit 2 and the usage, before anything is changed (these run without root). */
    @Test
    void programsRefuseBadArgumentsWithUsage() {
        Object[][] cases = {
            {new NatOut(), new String[] {"--frob", "1"}, "unknown option --frob"},
            {new NatOut(), new String[] {"--simulate", "3"}, "--simulate must be in [1..1], got 3"},
            {new NatOut(), new String[] {"--simulate", "1", "--cidr", "10.0.0.0/8"}, "--cidr is not used with --simulate"},
            {new NatOut(), new String[] {"--cidr", "010.0.0.0/8"}, "leading zero"},
            {new NatOut(), new String[] {"--cidr", "10.0.0.1"}, "--cidr wants ADDRESS/LENGTH"},
            {new MulticastOverlay(), new String[] {"--simulate", "0"}, "--simulate must be in [1..200], got 0"},
            {new MulticastOverlay(), new String[] {"--simulate", "-1"}, "--simulate must be in [1..200], got -1"},
            {new MulticastOverlay(), new String[] {"--simulate", "2", "--dev", "eth1"}, "--dev is not used with --simulate"},
            {new MulticastOverlay(), new String[] {"--simulate", "2", "--vni", "16777216"}, "--vni must be in"},
            {new MulticastOverlay(), new String[] {"--container-ip", "10.233.0.2/16"}, "--dev is required"},
            {new MulticastOverlay(), new String[] {"--dev", "eth1"}, "--container-ip is required"},
            {new MulticastOverlay(), new String[] {"--dev", "eth1", "--container-ip", "10.233.0.2/16", "--port", "0"},
                "--port must be in [1..65535]"},
            {new UnicastOverlay(), new String[] {"--dev", "eth1", "--local-ip", "172.16.1.011",
                "--container-ip", "10.233.0.2/16"}, "leading zero"},
            {new UnicastOverlay(), new String[] {"--dev", "eth1", "--local-ip", "172.16.1.11",
                "--container-ip", "10.233.0.2/16", "--remote", "10.233.0.3=zz@172.16.1.12"}, "bad MAC"},
            {new UnicastOverlay(), new String[] {"--simulate", "2", "--peers", "1.2.3.4"}, "--peers is not used"},
            {new BridgeContainer(), new String[] {"--simulate", "2", "--create-bridge"}, "--create-bridge is not used"},
            {new BridgeContainer(), new String[] {"--container-ip", "10.233.0.2/16", "--veth", "bad name"}, "--veth"},
            {new BridgeContainer(), new String[] {"--container-ip", "10.233.0.2/16", "--netns", "a/b"}, "netns name"},
        };
        for (Object[] c : cases) {
            ExampleMain m = (ExampleMain) c[0];
            String[] argv = (String[]) c[1];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = m.execute(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String e = err.toString(StandardCharsets.UTF_8);
            String what = m.getClass().getSimpleName() + " " + String.join(" ", argv);
            assertThat(rc).as(what + ": " + e).isEqualTo(2);
            assertThat(e).as(what).contains((String) c[2]).contains("usage: " + m.getClass().getSimpleName());
        }
    }

    @Test
    void helpPrintsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = new NatOut().execute(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: NatOut");
    }
}
