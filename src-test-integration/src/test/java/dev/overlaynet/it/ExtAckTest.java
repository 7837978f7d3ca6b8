package dev.overlaynet.it;

import dev.overlaynet.internal.RawAccess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.overlaynet.Netlink;
import dev.overlaynet.netlink.DumpInterruptedException;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.Oracle;
import dev.overlaynet.testkit.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kernel's extended-ack texts (reliability-anchors §6, verified with iproute2) reach the caller. */
@ExtendWith(NetnsExtension.class)
class ExtAckTest {
    private static NetlinkException refused(NetlinkSocket s, MessageWriter w) {
        return catchThrowableOfType(NetlinkException.class, () -> s.request(w));
    }

    @Test
    void vniOutOfRange(TestNamespaces nss) throws Exception {
        NetlinkSocket s = RawAccess.socket(nss.netlink(nss.create("a")));
        NetlinkException e = refused(s, Raw.vxlan(new MessageWriter(), "vxbig", 16_777_216, 4789));
        assertThat(e).isNotNull();
        assertThat(e.errnoName()).isEqualTo("ERANGE");
        assertThat(e.extAckMessage()).isEqualTo("VXLAN ID must be lower than 16777216");
        assertThat(e.getMessage()).contains("RTM_NEWLINK vxbig").contains("ERANGE").contains("VXLAN ID must be lower than 16777216");
        assertThat(e.isOutOfRange()).isTrue();
        assertThat(Oracle.run("ip", "-n", nss.name("a"), "-o", "link")).doesNotContain("vxbig");
    }

    @Test
    void sixteenByteLinkName(TestNamespaces nss) throws Exception {
        NetlinkSocket s = RawAccess.socket(nss.netlink(nss.create("a")));
        NetlinkException e = refused(s, Raw.bridge(new MessageWriter(), "abcdefghijklmnop"));
        assertThat(e).isNotNull();
        assertThat(e.errnoName()).isEqualTo("ERANGE");
        assertThat(e.extAckMessage()).isEqualTo("Attribute failed policy validation");
        assertThat(e.extAckOffset()).isEqualTo(32); // IFLA_IFNAME right after nlmsghdr + ifinfomsg
        assertThat(e.getMessage()).contains("RTM_NEWLINK abcdefghijklmnop");
        // 15 bytes is fine.
        s.request(Raw.bridge(new MessageWriter(), "abcdefghijklmno"));
    }

    @Test
    void duplicateVniAndPort(TestNamespaces nss) throws Exception {
        NetlinkSocket s = RawAccess.socket(nss.netlink(nss.create("a")));
        s.request(Raw.vxlan(new MessageWriter(), "vx1", 42, 4789));
        NetlinkException e = refused(s, Raw.vxlan(new MessageWriter(), "vx2", 42, 4789));
        assertThat(e).isNotNull();
        assertThat(e.errnoName()).isEqualTo("EEXIST");
        assertThat(e.isAlreadyExists()).isTrue();
        assertThat(e.extAckMessage()).isEqualTo("A VXLAN device with the specified VNI already exists"); // iproute2 adds the period when printing
        assertThat(e.getMessage()).contains("RTM_NEWLINK vx2");
        // A duplicate link name is EEXIST without ext-ack.
        NetlinkException dup = refused(s, Raw.bridge(new MessageWriter(), "vx1"));
        assertThat(dup.errnoName()).isEqualTo("EEXIST");
        assertThat(dup.extAckMessage()).isNull();
    }

    @Test
    void strictLinkDumpWithIfindexFilterFailsInsideDone(TestNamespaces nss) throws Exception {
        NetNs ns = nss.create("a");
        Netlink nl = nss.netlink(ns);
        NetlinkSocket s = RawAccess.socket(nl);
        List<Integer> seen = new ArrayList<>();
        NetlinkException e = catchThrowableOfType(NetlinkException.class,
                () -> s.dump(Raw.linkDump(new MessageWriter(), 1), m -> seen.add(m.type())));
        assertThat(e).isNotNull().isNotInstanceOf(DumpInterruptedException.class);
        assertThat(e.errnoName()).isEqualTo("EINVAL");
        assertThat(e.extAckMessage()).isEqualTo("Filter by device index not supported for link dumps");
        assertThat(e.getMessage()).contains("RTM_GETLINK");
        assertThat(seen).isEmpty();
        // dumpList reports it too instead of an empty list, and the socket stays usable.
        NetlinkException again = catchThrowableOfType(NetlinkException.class,
                () -> s.dumpList(Raw.linkDump(new MessageWriter(), 1), m -> m.type(), 3));
        assertThat(again.errnoName()).isEqualTo("EINVAL");
        assertThat(s.dumpList(Raw.linkDump(new MessageWriter(), 0), m -> m.type(), 3)).hasSize(1); // lo
    }
}
