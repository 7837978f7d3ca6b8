package dev.overlaynet.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test fresh network namespaces and always
 * deletes them afterwards, whether the test passed, failed or threw.
 *
 * <p>Without root the test is skipped with the reason; under {@code CI=true}
 * that skip becomes a failure, so a green CI run means the tests really ran.
 *
 * <pre>{@code
 * @ExtendWith(NetnsExtension.class)
 * class MyNetworkTest {
 *     @Test
 *     void bridgeComesUp(TestNamespaces nss) throws Exception {
 *         NetNs h1 = nss.create("h1");          // a unique name, deleted after the test
 *         Netlink nl = nss.netlink(h1);         // closed after the test
 *         nl.links().add(Bridge.builder().name("br0").build());
 *     }
 * }
 * }</pre>
 */
public final class NetnsExtension implements ExecutionCondition, ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Privileges.isRoot()) {
            return ConditionEvaluationResult.enabled("running as root");
        }
        if (Privileges.underCi()) {
            throw new IllegalStateException("CI=true but integration tests cannot run: " + Privileges.whyNot()
                    + ". Under CI a skipped integration test is a failure.");
        }
        return ConditionEvaluationResult.disabled("skipped: " + Privileges.whyNot());
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == TestNamespaces.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(STORE).getOrComputeIfAbsent("nss", k -> new TestNamespaces(e.getUniqueId()), TestNamespaces.class);
    }

    @Override
    public void afterEach(ExtensionContext e) throws java.io.IOException {
        TestNamespaces nss = e.getStore(STORE).remove("nss", TestNamespaces.class);
        if (nss != null) {
            nss.close();
        }
    }
}
