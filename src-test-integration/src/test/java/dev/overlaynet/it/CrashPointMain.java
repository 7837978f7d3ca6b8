package dev.overlaynet.it;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.overlay.ContainerSpec;
import dev.overlaynet.overlay.Endpoint;
import dev.overlaynet.overlay.OverlayHost;
import dev.overlaynet.overlay.StepObserver;
import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;

/**
 * The child JVM of {@link OverlayCrashPointTest}: join, attach two containers,
 * add a peer and a remote endpoint, and die with {@code halt(137)} (what
 * kill -9 looks like to the kernel: no finally, no shutdown hook) at point K,
 * counting every step and every change sent. Without a K it prints how many
 * points there are.
 *
 * <p>Arguments: HOST_NS C1_NS C2_NS MODE [K]
 */
public final class CrashPointMain {
    private CrashPointMain() {}

    public static void main(String[] args) throws Exception {
        int killAt = args.length > 4 ? Integer.parseInt(args[4]) : -1;
        int[] points = {0};
        StepObserver observer = new StepObserver() {
            @Override
            public void beforeStep(String step) {
                hit();
            }

            @Override
            public void mutated(String what) {
                hit();
            }

            private void hit() {
                if (++points[0] == killAt) {
                    System.out.flush();
                    Runtime.getRuntime().halt(137);
                }
            }
        };
        try (NetNs host = NetNs.open(args[0]); NetNs c1 = NetNs.open(args[1]); NetNs c2 = NetNs.open(args[2]);
                Netlink nl = Netlink.open(host)) {
            dev.overlaynet.overlay.Overlay o = OverlaySim.overlay(dev.overlaynet.overlay.Overlay.Mode.valueOf(args[3]));
            OverlayHost h = OverlayHost.join(nl, o, OverlaySim.hostSpec(1, true), observer);
            h.attach(ContainerSpec.builder().namespace(c1).ip("10.233.1.2").build());
            h.attach(ContainerSpec.builder().namespace(c2).ip("10.233.1.3").build());
            if (o.mode() == dev.overlaynet.overlay.Overlay.Mode.UNICAST) {
                h.addPeer(OverlaySim.underlayIp(2));
                h.addRemote(new Endpoint(Ip.parse("10.233.2.2"), MacAddress.parse("0a:58:0a:e9:02:02"),
                        Ip.parse(OverlaySim.underlayIp(2))));
            }
        }
        System.out.println("POINTS " + points[0]);
    }
}
