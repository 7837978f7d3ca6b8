package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.IfBridge;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Bridge VLAN filtering ({@code bridge vlan}): port membership with pvid
 * and untagged, ranges, VLAN-to-tunnel maps, per-VLAN options and global
 * (per bridge VLAN) multicast options. Obtain it from
 * {@link Netlink#bridgeVlans()}.
 *
 * <pre>{@code
 * nl.bridgeVlans().add(BridgeVlan.builder().dev("vb0").vid(10).pvid(true).untagged(true).build());
 * nl.bridgeVlans().addTunnel(VlanTunnel.builder().dev("vx0").vid(10).tunnelId(1010).build());
 * nl.bridgeVlans().setOptions(BridgeVlanOptions.builder().dev("vb0").vid(10).state(StpState.FORWARDING).build());
 * List<BridgeVlan> vlans = nl.bridgeVlans().list("vb0");          // bridge vlan show dev vb0
 * }</pre>
 *
 * <p>All of it needs a bridge with {@code vlan_filtering 1}; a kernel built
 * without CONFIG_BRIDGE_VLAN_FILTERING refuses the changes and RTM_GETVLAN
 * with EOPNOTSUPP, while the link dump behind {@link #list} still answers
 * (with no VLANs).
 */
public final class BridgeVlans {
    private final Netlink nl;

    BridgeVlans(Netlink nl) {
        this.nl = nl;
    }

    /**
     * {@code bridge vlan add}: RTM_SETLINK (AF_BRIDGE) with IFLA_BRIDGE_VLAN_INFO.
     *
     * @param v the VLAN or range, with its port or bridge
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(BridgeVlan v) throws NetlinkException {
        Objects.requireNonNull(v, "vlan");
        send(w -> BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_SETLINK, v, idx(v.dev())));
    }

    /**
     * {@code bridge vlan del}: RTM_DELLINK (AF_BRIDGE) with IFLA_BRIDGE_VLAN_INFO.
     *
     * @param v the VLAN or range, with its port or bridge
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(BridgeVlan v) throws NetlinkException {
        Objects.requireNonNull(v, "vlan");
        send(w -> BridgeVlanCodec.encodeMembership(w, RtNetlink.RTM_DELLINK, v, idx(v.dev())));
    }

    /**
     * {@code bridge vlan add ... tunnel_info id ID}: map VLANs to tunnel ids on a vlan_tunnel port.
     *
     * @param t the VLAN-to-tunnel-id map, with its port
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void addTunnel(VlanTunnel t) throws NetlinkException {
        Objects.requireNonNull(t, "tunnel");
        send(w -> BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_SETLINK, t, idx(t.dev())));
    }

    /**
     * {@code bridge vlan del ... tunnel_info id ID}.
     *
     * @param t the VLAN-to-tunnel-id map, with its port
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void deleteTunnel(VlanTunnel t) throws NetlinkException {
        Objects.requireNonNull(t, "tunnel");
        send(w -> BridgeVlanCodec.encodeTunnel(w, RtNetlink.RTM_DELLINK, t, idx(t.dev())));
    }

    /**
     * As {@link #add}, through the newer VLAN database API: RTM_NEWVLAN with a
     * BRIDGE_VLANDB_ENTRY (Linux 5.10+). iproute2 6.1 does not send it, so
     * its bytes are checked by the uapi layout only.
     *
     * @param v the VLAN or range, with its port or bridge
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void addEntry(BridgeVlan v) throws NetlinkException {
        Objects.requireNonNull(v, "vlan");
        send(w -> BridgeVlanCodec.encodeEntry(w, RtNetlink.RTM_NEWVLAN, v, idx(v.dev())));
    }

    /**
     * As {@link #delete}, through RTM_DELVLAN with a BRIDGE_VLANDB_ENTRY (Linux 5.10+).
     *
     * @param v the VLAN or range, with its port or bridge
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void deleteEntry(BridgeVlan v) throws NetlinkException {
        Objects.requireNonNull(v, "vlan");
        send(w -> BridgeVlanCodec.encodeEntry(w, RtNetlink.RTM_DELVLAN, v, idx(v.dev())));
    }

    /**
     * {@code bridge vlan set}: per-VLAN STP state and multicast router mode (RTM_NEWVLAN).
     *
     * @param o the options, with their port or bridge and VLANs
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setOptions(BridgeVlanOptions o) throws NetlinkException {
        Objects.requireNonNull(o, "options");
        send(w -> BridgeVlanCodec.encodeOptions(w, o, idx(o.dev())));
    }

    /**
     * {@code bridge vlan global set}: per bridge VLAN multicast options (RTM_NEWVLAN).
     *
     * @param g the options, with their bridge and VLANs
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void setGlobalOptions(BridgeVlanGlobalOptions g) throws NetlinkException {
        Objects.requireNonNull(g, "globalOptions");
        send(w -> BridgeVlanCodec.encodeGlobal(w, g, idx(g.bridge())));
    }

    private int idx(String dev) {
        try {
            return nl.ifindex(dev);
        } catch (NetlinkException e) {
            throw new Unresolved(e);
        }
    }

    /** Carries a name lookup failure out of the encoder lambda. */
    private static final class Unresolved extends RuntimeException {
        Unresolved(NetlinkException e) {
            super(e);
        }
    }

    private void send(Consumer<MessageWriter> encode) throws NetlinkException {
        MessageWriter w = nl.writer();
        try {
            encode.accept(w);
            nl.socket().request(w);
        } catch (Unresolved u) {
            throw (NetlinkException) u.getCause();
        } finally {
            nl.release(w);
        }
    }

    /**
     * {@return every port's and bridge's VLANs ({@code bridge vlan show})}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<BridgeVlan> list() throws NetlinkException {
        return list(null);
    }

    /**
     * {@return the VLANs of {@code dev} (all when null), from the AF_BRIDGE link dump with RTEXT_FILTER_BRVLAN}
     *
     * @param dev the link's name, or null for every link
     * @throws NetlinkException if the dump fails
     */
    public List<BridgeVlan> list(String dev) throws NetlinkException {
        List<BridgeVlan> out = new ArrayList<>();
        linkDump(dev, out::add, t -> { });
        return out;
    }

    /**
     * {@return the VLAN-to-tunnel maps of {@code dev} (all when null) ({@code bridge vlan tunnelshow})}
     *
     * @param dev the link's name, or null for every link
     * @throws NetlinkException if the dump fails
     */
    public List<VlanTunnel> listTunnels(String dev) throws NetlinkException {
        List<VlanTunnel> out = new ArrayList<>();
        linkDump(dev, v -> { }, out::add);
        return out;
    }

    private void linkDump(String dev, Consumer<BridgeVlan> vlans, Consumer<VlanTunnel> tunnels)
            throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        links.loadAll();
        int only = dev == null ? 0 : links.forDump(dev);
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            BridgeVlanCodec.encodeLinkDump(w);
            // the kernel ignores ifi_index in this dump (iproute2 filters itself), so do we
            nl.socket().dump(w, m -> {
                if (only == 0 || (m.length() >= 24 && m.i32(4) == only)) {
                    BridgeVlanCodec.decodeLink(m, links::name, a, vlans, tunnels);
                }
            });
        } finally {
            nl.release(w);
        }
    }

    /**
     * Per-VLAN entries with their options ({@code bridge -d vlan show}, RTM_GETVLAN); dev null for all.
     *
     * @param dev the link's name, or null for every link
     * @return the entries
     * @throws NetlinkException if the dump fails
     */
    public List<BridgeVlanOptions> listOptions(String dev) throws NetlinkException {
        List<BridgeVlanOptions> out = new ArrayList<>();
        vlanDump(dev, 0, out::add, g -> { });
        return out;
    }

    /**
     * Global VLAN options of {@code bridge} (all bridges when null) ({@code bridge vlan global show}).
     *
     * @param bridge the bridge's name, or null for every bridge
     * @return the entries
     * @throws NetlinkException if the dump fails
     */
    public List<BridgeVlanGlobalOptions> listGlobalOptions(String bridge) throws NetlinkException {
        List<BridgeVlanGlobalOptions> out = new ArrayList<>();
        vlanDump(bridge, IfBridge.BRIDGE_VLANDB_DUMPF_GLOBAL, o -> { }, out::add);
        return out;
    }

    private void vlanDump(String dev, int flags, Consumer<BridgeVlanOptions> entries,
                          Consumer<BridgeVlanGlobalOptions> globals) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        if (dev != null) {
            links.loadAll();
        }
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            BridgeVlanCodec.encodeVlanDump(w, index, flags);
            nl.socket().dump(w, m -> BridgeVlanCodec.decodeVlan(m, links::name, a, entries, globals));
        } finally {
            nl.release(w);
        }
    }
}
