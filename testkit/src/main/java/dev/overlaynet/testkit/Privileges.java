package dev.overlaynet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the current process may do: namespace tests need root (CAP_SYS_ADMIN
 * and CAP_NET_ADMIN).
 *
 * <pre>{@code
 * if (!Privileges.isRoot()) System.out.println(Privileges.whyNot());
 * }</pre>
 */
public final class Privileges {
    private Privileges() {}

    /** {@return true when the effective uid is 0} */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** {@return a sentence for skip and failure messages} */
    public static String whyNot() {
        return "network namespace tests need root (effective uid 0); this process runs as "
                + System.getProperty("user.name");
    }

    /** {@return true when running under CI ({@code CI=true}), where a skip must fail instead} */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
