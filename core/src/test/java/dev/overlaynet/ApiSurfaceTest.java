package dev.overlaynet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.internal.RawAccess;
import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.internal.MessageHandler;
import dev.overlaynet.netlink.internal.NetlinkSocket;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.nftables.NftClient;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The published API of the netlink and core modules names no internal type: a user on the
 * module path could not name it, and we do not want to support it. The API packages are read
 * from each module's compiled descriptor (its unqualified exports); every other package of the
 * two modules (not exported, exported only to overlaynet's own modules, or named ".internal")
 * is internal.
 *
 * <p>Public only so that the walker's fixtures below count as accessible types.
 */
public class ApiSurfaceTest {
    private static final ApiSurface.ModulePackages NETLINK = ApiSurface.ModulePackages.of(NetNs.class);
    private static final ApiSurface.ModulePackages CORE = ApiSurface.ModulePackages.of(Netlink.class);

    private static Predicate<String> internal() {
        Set<String> internal = new TreeSet<>(NETLINK.internal());
        internal.addAll(CORE.internal());
        return internal::contains;
    }

    @Test
    void publishedSignaturesNameNoInternalType() {
        List<Class<?>> api = new ArrayList<>(NETLINK.apiClasses());
        api.addAll(CORE.apiClasses());

        List<String> offenders = ApiSurface.offenders(api, internal());

        assertThat(offenders)
                .as("public/protected signatures naming internal types (%d)", offenders.size())
                .isEmpty();
    }

    @Test
    void theScanSeesTheModulesAsDeclared() {
        // Guards against a scan that passes because it looked at nothing.
        assertThat(NETLINK.module()).isEqualTo("dev.overlaynet.netlink");
        assertThat(NETLINK.api()).containsExactly("dev.overlaynet.netlink");
        assertThat(NETLINK.internal()).contains(
                "dev.overlaynet.netlink.internal", "dev.overlaynet.netlink.internal.codec",
                "dev.overlaynet.netlink.internal.uapi", "dev.overlaynet.netlink.internal.nftables",
                "dev.overlaynet.netlink.internal.ffi");
        assertThat(CORE.module()).isEqualTo("dev.overlaynet.core");
        assertThat(CORE.api()).containsExactlyInAnyOrder(
                "dev.overlaynet", "dev.overlaynet.overlay", "dev.overlaynet.directory", "dev.overlaynet.agent");
        assertThat(CORE.internal()).contains("dev.overlaynet.internal");
        assertThat(NETLINK.apiClasses()).contains(NetNs.class);
        assertThat(CORE.apiClasses()).contains(Netlink.class, Nat.class, NatRule.class, OwnedRule.class,
                dev.overlaynet.overlay.OverlayHost.class, dev.overlaynet.agent.OverlayAgent.class);
    }

    @Test
    void theWalkerFindsEveryKindOfLeak() {
        List<String> found = ApiSurface.offenders(List.of(Leaky.class, Leaky.Nested.class, Hidden.class), internal());

        String leaky = Leaky.class.getTypeName();
        assertThat(found).containsExactlyInAnyOrder(
                leaky + " superclass: " + NftClient.class.getTypeName(),
                leaky + " implements: " + MessageHandler.class.getTypeName(),
                leaky + " type parameter T bound: " + MessageWriter.class.getTypeName(),
                leaky + ".field (field): " + MessageWriter.class.getTypeName(),
                leaky + ".<init>(MessageWriter) parameter: " + MessageWriter.class.getTypeName(),
                leaky + ".nested(Map) returns: " + NftClient.class.getTypeName(),
                leaky + ".nested(Map) parameter: " + NetlinkSocket.class.getTypeName(),
                leaky + ".array() returns: " + MessageWriter.class.getTypeName(),
                leaky + ".access(List) parameter: " + RawAccess.class.getTypeName(),
                leaky + ".subclassOnly() returns: " + MessageWriter.class.getTypeName(),
                Leaky.Nested.class.getTypeName() + " record component w: " + MessageWriter.class.getTypeName(),
                Leaky.Nested.class.getTypeName() + ".<init>(MessageWriter, String) parameter: "
                        + MessageWriter.class.getTypeName());
    }

    // Fixtures for the walker: every leak it must report, beside members it must not.

    @SuppressWarnings("unused")
    public abstract static class Leaky<T extends MessageWriter> extends AbstractList<NftClient>
            implements MessageHandler {
        public MessageWriter field;
        private MessageWriter privateField;

        public Leaky(MessageWriter w) {}

        Leaky() {}

        public List<? extends NftClient> nested(Map<String, List<NetlinkSocket>> m) {
            return null;
        }

        public MessageWriter[][] array() {
            return null;
        }

        public void access(List<? super RawAccess> a) {}

        protected MessageWriter subclassOnly() {
            return null;
        }

        MessageWriter packagePrivate() {
            return null;
        }

        public String clean() {
            return "";
        }

        public record Nested(MessageWriter w, String s) {}
    }

    /** Not accessible: nothing in it is API. */
    static final class Hidden {
        public MessageWriter w;
    }
}
