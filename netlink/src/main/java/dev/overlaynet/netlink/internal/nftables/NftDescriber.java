package dev.overlaynet.netlink.internal.nftables;
import dev.overlaynet.netlink.internal.uapi.Netfilter;
import dev.overlaynet.netlink.internal.uapi.NfNetlink;
import dev.overlaynet.netlink.internal.uapi.NfTablesUapi;

import dev.overlaynet.netlink.RequestDescriber;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Names nfnetlink requests in error messages, e.g.
 * {@code NFT_MSG_NEWRULE ip overlaynet postrouting}.
 *
 * <pre>{@code
 * NetlinkSocketOptions o = NetlinkSocketOptions.builder().describer(NftDescriber.INSTANCE).build();
 * }</pre>
 */
public final class NftDescriber implements RequestDescriber {
    public static final NftDescriber INSTANCE = new NftDescriber();

    private static final String[] MSGS = {"NEWTABLE", "GETTABLE", "DELTABLE", "NEWCHAIN", "GETCHAIN", "DELCHAIN",
        "NEWRULE", "GETRULE", "DELRULE", "NEWSET", "GETSET", "DELSET", "NEWSETELEM", "GETSETELEM", "DELSETELEM",
        "NEWGEN", "GETGEN", "TRACE", "NEWOBJ", "GETOBJ", "DELOBJ", "GETOBJ_RESET", "NEWFLOWTABLE", "GETFLOWTABLE",
        "DELFLOWTABLE"};

    private NftDescriber() {}

    /** {@code ip}, {@code ip6}, {@code inet}, ... as nft spells families. */
    public static String familyName(int family) {
        switch (family) {
            case Netfilter.NFPROTO_IPV4: return "ip";
            case Netfilter.NFPROTO_IPV6: return "ip6";
            case Netfilter.NFPROTO_INET: return "inet";
            case Netfilter.NFPROTO_ARP: return "arp";
            case Netfilter.NFPROTO_BRIDGE: return "bridge";
            case Netfilter.NFPROTO_NETDEV: return "netdev";
            default: return "family " + family;
        }
    }

    @Override
    public String describe(ByteBuffer buf, int off, int len) {
        ByteBuffer b = buf.order() == ByteOrder.nativeOrder() ? buf : buf.duplicate().order(ByteOrder.nativeOrder());
        int type = b.getShort(off + 4) & 0xffff;
        if (type == NfNetlink.NFNL_MSG_BATCH_BEGIN) {
            return "NFNL_MSG_BATCH_BEGIN";
        }
        if (type == NfNetlink.NFNL_MSG_BATCH_END) {
            return "NFNL_MSG_BATCH_END";
        }
        int subsys = type >>> 8;
        int msg = type & 0xff;
        if (subsys != NfNetlink.NFNL_SUBSYS_NFTABLES || msg >= MSGS.length) {
            return "nfnetlink subsys " + subsys + " msg " + msg;
        }
        StringBuilder sb = new StringBuilder("NFT_MSG_").append(MSGS[msg]);
        if (len < 20) {
            return sb.toString();
        }
        sb.append(' ').append(familyName(b.get(off + 16) & 0xff));
        String table = null, second = null;
        Long handle = null;
        try {
            AttrReader a = new AttrReader(b, off + 20, off + len);
            while (a.next()) {
                int t = a.type();
                if (t == 1) {
                    table = a.string(); // NFTA_{TABLE_NAME,CHAIN_TABLE,RULE_TABLE}
                } else if ((msg >= 3 && msg <= 5 && t == NfTablesUapi.NFTA_CHAIN_NAME)
                        || (msg >= 6 && msg <= 8 && t == NfTablesUapi.NFTA_RULE_CHAIN)) {
                    second = a.string();
                } else if (msg >= 6 && msg <= 8 && t == NfTablesUapi.NFTA_RULE_HANDLE && a.payloadLength() == 8) {
                    handle = a.be64();
                }
            }
        } catch (RuntimeException e) {
            // describe what we could read
        }
        if (table != null) {
            sb.append(' ').append(table);
        }
        if (second != null) {
            sb.append(' ').append(second);
        }
        if (handle != null) {
            sb.append(" handle ").append(handle);
        }
        return sb.toString();
    }
}
