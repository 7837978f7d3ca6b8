package dev.overlaynet.it;

import dev.overlaynet.testkit.Json;
import dev.overlaynet.testkit.Oracle;
import java.util.List;
import java.util.Map;

/** {@code ip -d -j link show} of one link, as parsed JSON, for interop assertions. */
final class LinkOracle {
    private LinkOracle() {}

    static Map<?, ?> show(String ns, String dev) throws Exception {
        List<?> l = (List<?>) Oracle.json("ip", "-n", ns, "-d", "-j", "link", "show", "dev", dev);
        return (Map<?, ?>) l.get(0);
    }

    static Object info(String ns, String dev, String key) throws Exception {
        return Json.path(show(ns, dev), "linkinfo", "info_data", key);
    }

    static Object slave(String ns, String dev, String key) throws Exception {
        return Json.path(show(ns, dev), "linkinfo", "info_slave_data", key);
    }

    static void ip(String ns, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = ns;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Oracle.run(cmd);
    }
}
