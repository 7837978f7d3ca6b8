package dev.overlaynet.smoke;

import dev.overlaynet.Link;
import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetlinkException;
import java.lang.reflect.Method;

/**
 * Runs on the module path only: opens a handle on the current namespace (jnr-ffi
 * binds libc and generates its call stubs), reads the loopback link (read-only; the
 * link service logs through slf4j), and logs one line through slf4j. Exits non-zero
 * when anything an application on the module path relies on is missing.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        check(Netlink.class.getModule().isNamed(), "overlaynet-core is not on the module path");
        Module netlink = NetlinkException.class.getModule();
        Module me = Main.class.getModule();
        check(netlink.getName().equals("dev.overlaynet.netlink"), "netlink module is " + netlink);
        check(netlink.isExported("dev.overlaynet.netlink"), "dev.overlaynet.netlink is not exported");
        for (String internal : new String[] {"dev.overlaynet.netlink.internal", "dev.overlaynet.netlink.internal.codec",
                "dev.overlaynet.netlink.internal.uapi", "dev.overlaynet.netlink.internal.nftables"}) {
            check(!netlink.isExported(internal, me), internal + " is exported to applications");
        }
        try (Netlink nl = Netlink.open()) {
            Link lo = nl.links().get("lo");
            check("lo".equals(lo.name()), "no loopback: " + lo);
            // slf4j was resolved because core requires it; this module does not read it, so
            // it logs through it reflectively (reflection implies readability).
            Class<?> factory = Class.forName("org.slf4j.LoggerFactory");
            Object binding = factory.getMethod("getILoggerFactory").invoke(null);
            check(!binding.getClass().getName().contains("NOP"), "slf4j bound no provider: " + binding.getClass());
            Object log = factory.getMethod("getLogger", Class.class).invoke(null, Main.class);
            Method info = log.getClass().getMethod("info", String.class);
            info.invoke(log, "module path smoke: " + lo + " read through " + Netlink.class.getModule().getName()
                    + ", logged through " + binding.getClass().getName());
        } catch (NoClassDefFoundError e) {
            check(false, "a class is missing on the module path: " + e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("module path smoke FAILED: " + what);
            System.exit(1);
        }
    }
}
