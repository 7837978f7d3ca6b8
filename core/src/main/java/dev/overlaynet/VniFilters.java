package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The VNI filter table of external vxlan devices with {@code vnifilter}
 * ({@code bridge vni add|del|show}, RTM_NEWTUNNEL / RTM_DELTUNNEL /
 * RTM_GETTUNNEL, Linux 5.18+). Obtain it from {@link Netlink#vniFilters()}.
 *
 * <pre>{@code
 * nl.links().add(Vxlan.builder().name("vx0").external(true).vnifilter(true).build());
 * nl.vniFilters().add(VniEntry.of("vx0", 100));
 * nl.vniFilters().add(VniEntry.builder().dev("vx0").vni(200).end(210).build());
 * List<VniEntry> all = nl.vniFilters().list("vx0");     // bridge vni show dev vx0
 * nl.vniFilters().delete(VniEntry.builder().dev("vx0").vni(205).end(207).build());
 * }</pre>
 *
 * <p>Adding a VNI that is already there replaces its group; deleting one
 * that is not there is an error from the kernel (ENOENT).
 */
public final class VniFilters {
    private final Netlink nl;

    VniFilters(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Adds {@code e} (or sets the group of the VNIs it covers).
     *
     * @param e the VNI or range, with its vxlan device
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(VniEntry e) throws NetlinkException {
        send(RtNetlink.RTM_NEWTUNNEL, List.of(Objects.requireNonNull(e, "entry")));
    }

    /**
     * Deletes the VNIs {@code e} covers.
     *
     * @param e the VNI or range, with its vxlan device
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(VniEntry e) throws NetlinkException {
        send(RtNetlink.RTM_DELTUNNEL, List.of(Objects.requireNonNull(e, "entry")));
    }

    /**
     * Adds every entry in one RTM_NEWTUNNEL per device (the kernel applies
     * the entries of one message in order and stops at the first failure).
     *
     * @param entries the entries
     * @throws NetlinkException at the first entry the kernel refuses; the earlier entries of that device stay
     */
    public void addAll(List<VniEntry> entries) throws NetlinkException {
        send(RtNetlink.RTM_NEWTUNNEL, entries);
    }

    /**
     * Deletes every entry, in one RTM_DELTUNNEL per device.
     *
     * @param entries the entries
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void deleteAll(List<VniEntry> entries) throws NetlinkException {
        send(RtNetlink.RTM_DELTUNNEL, entries);
    }

    private void send(int type, List<VniEntry> entries) throws NetlinkException {
        Objects.requireNonNull(entries, "entries");
        // one message per device, in first-seen order
        java.util.LinkedHashMap<String, List<VniEntry>> byDev = new java.util.LinkedHashMap<>();
        for (VniEntry e : entries) {
            Objects.requireNonNull(e, "entry");
            byDev.computeIfAbsent(e.dev(), d -> new ArrayList<>()).add(e);
        }
        for (var g : byDev.entrySet()) {
            int index = nl.ifindex(g.getKey());
            MessageWriter w = nl.writer();
            try {
                VniFilterCodec.encode(w, type, index, g.getValue());
                nl.socket().request(w);
            } finally {
                nl.release(w);
            }
        }
    }

    /**
     * {@return every device's VNI filter entries ({@code bridge vni show})}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<VniEntry> list() throws NetlinkException {
        return list(null);
    }

    /**
     * {@return the entries of {@code dev}, or of every device when null ({@code bridge vni show dev DEV})}
     *
     * @param dev the vxlan device's name, or null for every device
     * @throws NetlinkException if the dump fails
     */
    public List<VniEntry> list(String dev) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        List<VniEntry> out = new ArrayList<>();
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            VniFilterCodec.encodeDump(w, index);
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWTUNNEL) {
                    VniFilterCodec.decode(m, links::name, a, out::add);
                }
            });
        } finally {
            nl.release(w);
        }
        return out;
    }
}
