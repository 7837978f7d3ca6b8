package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.overlaynet.LinkName;
import dev.overlaynet.Netlink;
import dev.overlaynet.Sysctls;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 defect 5, against the running kernel: the library's name rule
 * agrees with what {@code ip link add} gets from the kernel, for random names
 * over an alphabet of the bytes that matter (fixed, printed seed; reproduce
 * with {@code -Dkernelrules.seed=N}); sysctl verbs take every valid interface
 * name and a refused write names its key.
 */
@ExtendWith(NetnsExtension.class)
class KernelRulesAgreementTest {
    private static final String[] ALPHABET = {"a", "b", "z", "0", "9", "-", "_", ".", ";", "@", "+", "=", ",", "#",
            "/", ":", "%", "%d", " ", "\t", "\u000b", "\u001c", "\u007f", "\u0085", "\u00a0", "\u00e0", "\u00e9",
            "\u2003", "\u2020", "\u2028", "\u3000", "\ud83d\ude00", ".."};

    /** The name as a shell word made of octal escapes: argv carries the exact UTF-8 bytes, whatever the JVM's locale. */
    private static String shellBytes(String name) {
        StringBuilder sb = new StringBuilder("\"$(printf '");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("\\%03o", b & 0xff));
        }
        return sb.append("')\"").toString();
    }

    @Test
    void linkNameRuleAgreesWithTheKernel(TestNamespaces nss) throws Exception {
        String ns = nss.nameOf(nss.create("names"));
        long seed = Long.getLong("kernelrules.seed", System.nanoTime());
        System.out.println("KernelRulesAgreementTest seed " + seed + " (-Dkernelrules.seed=" + seed + ")");
        Random rnd = new Random(seed);
        List<String> disagreements = new ArrayList<>();
        int kernelAccepted = 0;
        for (int i = 0; i < 250; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + rnd.nextInt(6);
            for (int j = 0; j < len; j++) {
                sb.append(rnd.nextInt(3) == 0 ? ALPHABET[rnd.nextInt(ALPHABET.length)] : ALPHABET[rnd.nextInt(3)]);
            }
            String name = i < 2 ? (i == 0 ? "." : "..") : sb.toString();
            boolean library;
            try {
                LinkName.validate("name", name);
                library = true;
            } catch (IllegalArgumentException e) {
                library = false;
            }
            String w = shellBytes(name);
            // Add (in link group 7, so one delete removes it whatever its name became), then ask for
            // the link by the name given: a '%d' pattern succeeds under another name.
            Oracle.Result r = Oracle.exec("sh", "-c", "ip -n " + ns + " link add name " + w + " group 7 type bridge 2>/dev/null"
                    + " || exit 1; ip -n " + ns + " link show dev " + w + " >/dev/null 2>&1; s=$?; "
                    + "ip -n " + ns + " link del group 7; exit $((s == 0 ? 0 : 2))");
            boolean kernel = r.exitCode() == 0;
            if (kernel) {
                kernelAccepted++;
            }
            if (library != kernel) {
                disagreements.add(Json.quote(name) + " library " + library + " kernel " + kernel + " (exit " + r.exitCode() + ")");
            }
        }
        System.out.println("KernelRulesAgreementTest: 250 names, kernel accepted " + kernelAccepted);
        assertThat(disagreements).as("seed " + seed).isEmpty();
        assertThat(kernelAccepted).as("the sample must hold names both ways").isBetween(10, 240);
    }

    @Test
    void sysctlVerbsTakeEveryValidNameAndRefusalsNameTheKey(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("sysctl");
        Netlink nl = nss.netlink(ns);
        Sysctls s = nl.sysctls();
        for (String dev : new String[] {"a..b", "eth+1", "x\u00e9"}) {
            Oracle.run("sh", "-c", "ip -n " + ns.name() + " link add name " + shellBytes(dev) + " type bridge");
            s.rpFilter(dev, 2);
            String path = "/proc/sys/net/ipv4/conf/" + dev + "/rp_filter";
            assertThat(Oracle.run("sh", "-c", "ip netns exec " + ns.name() + " cat " + shellBytes(path)).strip())
                    .as(dev).isEqualTo("2");
            assertThat(s.rpFilter(dev)).as(dev).isEqualTo(2);
        }
        assertThatThrownBy(() -> s.set("net.ipv4.conf.all.rp_filter", "two"))
                .isInstanceOf(IOException.class).hasMessageContaining("net.ipv4.conf.all.rp_filter");
    }

    /** Minimal JSON-style quoting for readable failure lists. */
    private static final class Json {
        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return sb.append('"').toString();
        }
    }
}
