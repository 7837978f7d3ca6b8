package dev.overlaynet.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.overlaynet.Address;
import dev.overlaynet.Bridge;
import dev.overlaynet.BridgePort;
import dev.overlaynet.FdbEntry;
import dev.overlaynet.Macvlan;
import dev.overlaynet.NamedSet;
import dev.overlaynet.Nat;
import dev.overlaynet.Neighbour;
import dev.overlaynet.Netlink;
import dev.overlaynet.Route;
import dev.overlaynet.Veth;
import dev.overlaynet.Vxlan;
import dev.overlaynet.testkit.NetnsExtension;
import dev.overlaynet.testkit.TestNamespaces;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 11 defect 5: a null argument to any public verb or builder setter
 * gets a message naming what was null, never a bare NullPointerException
 * (one with no message, or only the JVM's "because ... is null"). Every
 * public method of the services and builders is called with each reference
 * argument null in turn (the others a plausible value).
 */
@ExtendWith(NetnsExtension.class)
class NullArgumentsTest {

    private static Object plausible(Class<?> t) {
        if (t == int.class || t == Integer.class) {
            return 1;
        }
        if (t == long.class || t == Long.class) {
            return 1L;
        }
        if (t == boolean.class || t == Boolean.class) {
            return true;
        }
        return t == String.class ? "zz0" : null;
    }

    @Test
    void nullArgumentsAreNamed(TestNamespaces nss) throws Exception {
        Netlink nl = nss.netlink(nss.create("nulls"));
        Object[] targets = {nl.links(), nl.addresses(), nl.routes(), nl.neighbours(), nl.fdb(), nl.nftables(),
            nl.sysctls(), Vxlan.builder(), Bridge.builder(), BridgePort.builder(), Veth.builder(), Macvlan.builder(),
            Address.builder(), Route.builder(), Neighbour.builder(), FdbEntry.builder(), Nat.masquerade("10.0.0.0/8"),
            nl.nftables().sets(), NamedSet.ipv4("zz0")};
        List<String> bare = new ArrayList<>();
        int calls = 0;
        for (Object target : targets) {
            for (Method m : target.getClass().getMethods()) {
                if (m.getDeclaringClass() == Object.class) {
                    continue;
                }
                Class<?>[] p = m.getParameterTypes();
                for (int i = 0; i < p.length; i++) {
                    if (p[i].isPrimitive()) {
                        continue;
                    }
                    Object[] args = new Object[p.length];
                    boolean complete = true;
                    for (int j = 0; j < p.length; j++) {
                        args[j] = j == i ? null : plausible(p[j]);
                        complete &= j == i || args[j] != null;
                    }
                    if (!complete) {
                        continue;
                    }
                    calls++;
                    try {
                        m.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        Throwable c = e.getCause();
                        if (c instanceof NullPointerException && (c.getMessage() == null || c.getMessage().contains("because"))) {
                            bare.add(target.getClass().getSimpleName() + "." + m.getName() + Arrays.toString(p)
                                    + " argument " + i + ": " + c.getMessage());
                        }
                    }
                }
            }
        }
        System.out.println("NullArgumentsTest: " + calls + " calls with a null argument");
        assertThat(calls).isGreaterThan(100);
        assertThat(bare).isEmpty();
    }
}
