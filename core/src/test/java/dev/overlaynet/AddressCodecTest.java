package dev.overlaynet;

import static dev.overlaynet.Golden.assertRequest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import org.junit.jupiter.api.Test;

/**
 * Address requests against what {@code ip -n ho-g addr ...} sent (br0 is
 * ifindex 2), and decoding of RTM_NEWADDR replies captured from
 * {@code ip addr show dev br0} (strace -e read=3).
 */
class AddressCodecTest {
    private static final int CREATE_EXCL = Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL;

    private static MessageWriter encode(int type, int flags, Address a) {
        MessageWriter w = new MessageWriter(256);
        AddressCodec.encode(w, type, flags, a, 2);
        return w;
    }

    @Test
    void addV4() {
        // ip addr add 10.233.0.1/16 dev br0
        assertRequest("280000001400050600000000000000000210000002000000080002000ae90001080001000ae90001",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL, Address.of("br0", "10.233.0.1/16")));
    }

    @Test
    void addV6Nodad() {
        // ip addr add fd00::1/64 dev br0 nodad
        assertRequest("400000001400050600000000000000000a4002000200000014000200fd00000000000000000000000000000114000100fd000000000000000000000000000001",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL,
                        Address.builder().link("br0").prefix("fd00::1/64").flags(AddressFlag.NODAD).build()));
    }

    @Test
    void addPeerAndLabel() {
        // ip addr add 10.1.0.1 peer 10.1.0.2/32 dev br0 label br0:x
        assertRequest("340000001400050600000000000000000220000002000000080002000a010001080001000a0100020a0003006272303a78000000",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL, Address.builder().link("br0").prefix("10.1.0.1/32")
                        .peer("10.1.0.2").label("br0:x").build()));
    }

    @Test
    void addBroadcastScopeLifetimes() {
        // ip addr add 10.2.0.1/24 brd 10.2.0.255 dev br0 scope link valid_lft 3600 preferred_lft 1800
        assertRequest("44000000140005060000000000000000021800fd02000000080002000a020001080004000a0200ff080001000a0200011400060008070000100e00000000000000000000",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL, Address.builder().link("br0").prefix("10.2.0.1/24")
                        .broadcast("10.2.0.255").scope(Scope.LINK).validLifetime(3600).preferredLifetime(1800).build()));
    }

    @Test
    void flagsAbove8BitsGoToIfaFlags() {
        // ip addr add fd01::1/64 dev br0 noprefixroute nodad
        assertRequest("480000001400050600000000000000000a4000000200000014000200fd010000000000000000000000000001080008000202000014000100fd010000000000000000000000000001",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL, Address.builder().link("br0").prefix("fd01::1/64")
                        .flags(AddressFlag.NOPREFIXROUTE, AddressFlag.NODAD).build()));
        // ip addr add 10.4.0.1/24 dev br0 label br0:y noprefixroute
        assertRequest("3c0000001400050600000000000000000218000002000000080002000a0400010a0003006272303a790000000800080000020000080001000a040001",
                encode(RtNetlink.RTM_NEWADDR, CREATE_EXCL, Address.builder().link("br0").prefix("10.4.0.1/24")
                        .label("br0:y").flags(AddressFlag.NOPREFIXROUTE).build()));
    }

    @Test
    void replaceAndDelete() {
        // ip addr replace 10.233.0.1/16 dev br0
        assertRequest("280000001400050500000000000000000210000002000000080002000ae90001080001000ae90001",
                encode(RtNetlink.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, Address.of("br0", "10.233.0.1/16")));
        // ip addr del 10.233.0.1/16 dev br0
        assertRequest("280000001500050000000000000000000210000002000000080002000ae90001080001000ae90001",
                encode(RtNetlink.RTM_DELADDR, 0, Address.of("br0", "10.233.0.1/16")));
    }

    @Test
    void dumpRequestFiltersByIndex() {
        // ip addr show dev br0
        MessageWriter w = new MessageWriter(64);
        AddressCodec.encodeDump(w, 2);
        assertRequest("180000001600010300000000000000000000000002000000", w);
    }

    @Test
    void decodesV4WithBroadcastLabelAndLifetimes() {
        // inet 10.2.0.1/24 brd 10.2.0.255 scope link dynamic br0  valid_lft 3537sec preferred_lft 1737sec
        Address a = AddressCodec.decode(Golden.message(
                "5400000014002200411e076bcd210000021800fd02000000080001000a020001080002000a020001080004000a0200ff0800030062723000080008000000000014000600c9060000d10d00009091010090910100"),
                Golden::name, Golden.attrs());
        assertThat(a.link()).isEqualTo("br0");
        assertThat(a.index()).isEqualTo(2);
        assertThat(a.prefix()).hasToString("10.2.0.1/24");
        assertThat(a.peer()).isNull();
        assertThat(a.broadcast()).isEqualTo(Ip.parse("10.2.0.255"));
        assertThat(a.label()).isEqualTo("br0");
        assertThat(a.scope()).isEqualTo(Scope.LINK);
        assertThat(a.flags()).isEmpty();
        assertThat(a.validLifetime()).isEqualTo(3537L);
        assertThat(a.preferredLifetime()).isEqualTo(1737L);
        assertThat(a.unknownAttributes()).isEmpty();
    }

    @Test
    void decodesPeer() {
        // inet 10.1.0.1 peer 10.1.0.2/32 scope global br0:x  valid_lft forever preferred_lft forever
        Address a = AddressCodec.decode(Golden.message(
                "5000000014002200411e076bcd2100000220800002000000080001000a010002080002000a0100010a0003006272303a78000000080008008000000014000600ffffffffffffffff8e9101008e910100"),
                Golden::name, Golden.attrs());
        assertThat(a.prefix()).hasToString("10.1.0.1/32");
        assertThat(a.peer()).isEqualTo(Ip.parse("10.1.0.2"));
        assertThat(a.label()).isEqualTo("br0:x");
        assertThat(a.scope()).isEqualTo(Scope.UNIVERSE);
        assertThat(a.flags()).containsExactly(AddressFlag.PERMANENT);
        assertThat(a.validLifetime()).as("forever/forever decodes as unset").isNull();
        assertThat(a.preferredLifetime()).isNull();
    }

    @Test
    void decodesV6FlagsAndKeepsUnknownAttributes() {
        // inet6 fd01::1/64 scope global nodad noprefixroute (IFA_FLAGS 0x282 overrides the 8-bit field)
        Address a = AddressCodec.decode(Golden.message(
                "4800000014002200411e076bcd2100000a4082000200000014000100fd01000000000000000000000000000114000600ffffffffffffffff91910100919101000800080082020000"),
                Golden::name, Golden.attrs());
        assertThat(a.prefix()).hasToString("fd01::1/64");
        assertThat(a.isV4()).isFalse();
        assertThat(a.flags()).containsExactlyInAnyOrder(AddressFlag.NODAD, AddressFlag.PERMANENT, AddressFlag.NOPREFIXROUTE);
        // inet6 fe80::5479:37ff:fef7:1d27/64 scope link, with IFA_PROTO (11) = 3 which Address does not model
        Address ll = AddressCodec.decode(Golden.message(
                "5000000014002200411e076bcd2100000a4080fd0200000014000100fe80000000000000547937fffef71d2714000600ffffffffffffffff2c8801002c880100080008008000000005000b0003000000"),
                Golden::name, Golden.attrs());
        assertThat(ll.scope()).isEqualTo(Scope.LINK);
        assertThat(ll.unknownAttributes()).containsOnlyKeys(11);
        assertThat(ll.unknownAttributes().get(11)).containsExactly(3);
    }
}
