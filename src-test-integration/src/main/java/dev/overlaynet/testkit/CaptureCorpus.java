package dev.overlaynet.testkit;

import dev.overlaynet.internal.RawAccess;
import dev.overlaynet.Bridge;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.MacAddress;
import dev.overlaynet.Macvlan;
import dev.overlaynet.MacvlanMode;
import dev.overlaynet.Nat;
import dev.overlaynet.NatRule;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.MessageReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.nftables.NftMessages;
import dev.overlaynet.netlink.internal.uapi.AddressFamily;
import dev.overlaynet.netlink.internal.uapi.Ifla;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes the corpus of real kernel messages that the typed-decoder robustness
 * test in {@code core} mutates ({@code core/src/test/resources/typed-captures}):
 * one message per line, in hex, for link (every kind the library models),
 * bridge-port, address, route, neighbour, FDB and nftables dumps. It builds a
 * throwaway namespace with the library itself and deletes it.
 *
 * <pre>{@code
 * # as root, after mvn -DskipTests install
 * java -cp src-test-integration/target/classes:benchmarks/target/benchmarks.jar \
 *     dev.overlaynet.testkit.CaptureCorpus core/src/test/resources/typed-captures
 * }</pre>
 */
public final class CaptureCorpus {
    private CaptureCorpus() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "core/src/test/resources/typed-captures");
        Files.createDirectories(out);
        String name = "ovcapture-" + ProcessHandle.current().pid();
        NetNs ns = NetNs.create(name);
        try (Netlink nl = Netlink.open(ns)) {
            build(nl);
            NetlinkSocket s = RawAccess.socket(nl);
            write(out, "link", dump(s, rt(RtNetlink.RTM_GETLINK, AddressFamily.AF_UNSPEC, 16)));
            write(out, "bridge-port", dump(s, rt(RtNetlink.RTM_GETLINK, AddressFamily.AF_BRIDGE, 16)));
            write(out, "addr", dump(s, rt(RtNetlink.RTM_GETADDR, AddressFamily.AF_UNSPEC, 8)));
            write(out, "route", dump(s, rt(RtNetlink.RTM_GETROUTE, AddressFamily.AF_UNSPEC, 12)));
            write(out, "neigh", dump(s, rt(RtNetlink.RTM_GETNEIGH, AddressFamily.AF_UNSPEC, 12)));
            write(out, "fdb", dump(s, rt(RtNetlink.RTM_GETNEIGH, AddressFamily.AF_BRIDGE, 12)));
            NetlinkSocket nf = RawAccess.nftClient(nl).socket();
            List<String> nft = new ArrayList<>();
            MessageWriter w = new MessageWriter();
            NftMessages.getTables(w, Netfilter.NFPROTO_UNSPEC);
            nft.addAll(dump(nf, w));
            w = new MessageWriter();
            NftMessages.getChains(w, Netfilter.NFPROTO_UNSPEC, null);
            nft.addAll(dump(nf, w));
            w = new MessageWriter();
            NftMessages.getRules(w, Netfilter.NFPROTO_UNSPEC, null, null);
            nft.addAll(dump(nf, w));
            write(out, "nft", nft);
        } finally {
            ns.close();
            NetNs.deleteIfExists(name);
        }
    }

    private static void build(Netlink nl) throws Exception {
        nl.links().add(Bridge.builder().name("ul0").build());
        nl.addresses().add("ul0", "172.16.1.11/24");
        nl.addresses().add("ul0", "fd00:1::11/64");
        nl.links().up("lo", "ul0");
        nl.links().add(Vxlan.builder().name("vxm").vni(42).group("239.1.1.1").device("ul0").dstPort(4789)
                .ttl(16).tos(1).ageing(120).limit(5000).srcPortRange(40000, 50000).l2miss(true).l3miss(true)
                .proxy(true).build());
        nl.links().add(Vxlan.builder().name("vxu").vni(43).local("172.16.1.11").dstPort(4790).learning(false)
                .udpCsum(true).build());
        nl.links().add(Bridge.builder().name("br0").stp(false).ageingTime(java.time.Duration.ofSeconds(30)).build());
        nl.links().add(Veth.builder().name("va").peer("vb").build());
        nl.links().setMaster("va", "br0");
        nl.links().setMaster("vxu", "br0");
        nl.links().add(Macvlan.builder().name("mv0").parent("ul0").mode(MacvlanMode.BRIDGE).build());
        nl.links().up("br0", "va", "vb", "vxu", "vxm");
        nl.addresses().add("br0", "10.233.0.1/16");
        nl.routes().add(Route.builder().dst("10.50.0.0/16").via("172.16.1.1").dev("ul0").metric(100).build());
        nl.routes().add(Route.builder().dst("10.60.0.0/16").dev("br0").table(100).build());
        nl.routes().add(Route.builder().dst("fd00:2::/64").via("fd00:1::1").dev("ul0").build());
        nl.neighbours().add(Neighbour.permanent("br0", "10.233.0.5", "02:00:00:00:00:05"));
        nl.neighbours().add(Neighbour.permanent("ul0", "fd00:1::5", "02:00:00:00:00:06"));
        nl.neighbours().add(Neighbour.proxy("br0", "10.233.0.9"));
        nl.fdb().append(FdbEntry.flood("vxu", "172.16.1.12"));
        nl.fdb().append(FdbEntry.remote("vxu", MacAddress.parse("02:fd:00:00:00:01"), "172.16.1.13"));
        nl.fdb().append(FdbEntry.builder().dev("vxu").mac("02:fd:00:00:00:02").dst("172.16.1.14").vni(44).port(4791).build());
        nl.nftables().apply(
                Nat.masquerade("10.233.0.0/16").tag("m").build(),
                Nat.snat("10.234.0.0/16", "172.16.1.11").tag("s").build(),
                Nat.portForward(NatRule.Protocol.TCP, 8080, "10.233.0.2", 80).tag("p").build(),
                Nat.portForward(NatRule.Protocol.UDP, 5353, "10.233.0.3", 53).tag("u").build());
    }

    private static MessageWriter rt(int type, int family, int headerLen) {
        MessageWriter w = new MessageWriter();
        int m = w.begin(type, Nlmsg.NLM_F_DUMP);
        byte[] header = new byte[headerLen];
        header[0] = (byte) family;
        w.raw(header);
        if (type == RtNetlink.RTM_GETLINK) {
            w.u32(Ifla.IFLA_EXT_MASK, RtNetlink.RTEXT_FILTER_VF | RtNetlink.RTEXT_FILTER_BRVLAN);
        }
        w.end(m);
        return w;
    }

    private static List<String> dump(NetlinkSocket s, MessageWriter w) throws Exception {
        List<String> lines = new ArrayList<>();
        s.dump(w, (MessageReader m) -> {
            byte[] b = new byte[m.length()];
            m.buffer().get(m.offset(), b, 0, b.length);
            lines.add(HexFormat.of().formatHex(b));
        });
        return lines;
    }

    private static void write(Path dir, String name, List<String> lines) throws IOException {
        Files.write(dir.resolve(name + ".hex"), lines);
        System.out.println(name + ": " + lines.size() + " messages");
    }
}
