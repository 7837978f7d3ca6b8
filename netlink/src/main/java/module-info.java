/**
 * Netlink for Java over jnr-ffi: network namespaces ({@link dev.overlaynet.netlink.NetNs})
 * and the errors netlink reports ({@link dev.overlaynet.netlink.NetlinkException}).
 * The socket, codec, uapi constants and nftables wire types are internal: they are
 * exported only to overlaynet's own modules.
 */
// "module": the qualified exports name dev.overlaynet.core (built after this module) and
// dev.overlaynet.testkit (the test kit, which uses the codec to capture and forge messages).
// "requires-automatic": jnr-ffi, jffi and jnr-constants ship no module-info (see below).
@SuppressWarnings({"module", "requires-automatic"})
module dev.overlaynet.netlink {
    requires org.jnrproject.ffi;
    // jnr-ffi is an automatic module: it reads every module in the graph but pulls none in.
    // It generates its call stubs with ASM and loads libjffi from the native jar, so both
    // must be resolved; without these an application on the module path fails with
    // NoClassDefFoundError: org/objectweb/asm/ClassVisitor (checked by smoke-modulepath).
    requires org.objectweb.asm;
    requires org.jnrproject.jffi.nativelibs;
    requires org.jnrproject.constants;
    requires org.slf4j;

    exports dev.overlaynet.netlink;
    // The libc binding interface only. jnr-ffi defines its implementation in an unnamed
    // module of its own class loader, which a qualified export can not name; without this,
    // IllegalAccessError "superinterface check failed" (checked by smoke-modulepath).
    exports dev.overlaynet.netlink.internal.ffi;

    exports dev.overlaynet.netlink.internal to dev.overlaynet.core, dev.overlaynet.testkit;
    exports dev.overlaynet.netlink.internal.codec to dev.overlaynet.core, dev.overlaynet.testkit;
    exports dev.overlaynet.netlink.internal.uapi to dev.overlaynet.core, dev.overlaynet.testkit;
    exports dev.overlaynet.netlink.internal.route to dev.overlaynet.core, dev.overlaynet.testkit;
    exports dev.overlaynet.netlink.internal.nftables to dev.overlaynet.core, dev.overlaynet.testkit;
}
