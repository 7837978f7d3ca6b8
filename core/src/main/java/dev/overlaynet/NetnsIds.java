package dev.overlaynet;

import dev.overlaynet.netlink.NetNs;
import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.uapi.NetNsa;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The ids this handle's namespace gives other namespaces (netns ids,
 * {@code ip netns set NAME ID} and {@code ip netns list-id}; RTM_NEWNSID /
 * RTM_GETNSID). A link whose peer or parent lives in another namespace
 * reports that namespace by this id ({@link Link#linkNetnsId()}, what
 * {@code ip -d link} prints as {@code link-netns} / {@code link-netnsid}).
 * Obtain it from {@link Netlink#netnsIds()}.
 *
 * <pre>{@code
 * try (NetNs peer = NetNs.open("c1")) {
 *     nl.netnsIds().set(peer, 7);                 // ip netns set c1 7
 *     OptionalInt id = nl.netnsIds().get(peer);   // 7
 * }
 * Map<Integer, String> ids = nl.netnsIds().listNamed(); // {7=c1}, as ip netns list-id
 * }</pre>
 *
 * <p>An id once given stays until the peer namespace is gone; the kernel
 * refuses a second one (EEXIST) and offers no way to take one back.
 */
public final class NetnsIds {
    /** Largest id; ids are non-negative s32. */
    public static final int MAX_ID = Integer.MAX_VALUE;

    private final Netlink nl;

    NetnsIds(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Gives {@code peer} the id {@code nsid} (0..{@link #MAX_ID}) in this namespace.
     *
     * @param peer the other namespace
     * @param nsid the id
     * @throws NetlinkException EEXIST if {@code peer} already has an id or {@code nsid} is taken
     */
    public void set(NetNs peer, int nsid) throws NetlinkException {
        Objects.requireNonNull(peer, "peer");
        if (nsid < 0) {
            throw new IllegalArgumentException("nsid " + nsid + " out of range [0.." + MAX_ID
                    + "] (use assign(peer) to let the kernel pick one)");
        }
        send(peer, nsid);
    }

    /**
     * As {@link #set(NetNs, int)} for the named namespace {@code /run/netns/NAME}.
     *
     * @param peerName the name under {@code /run/netns}
     * @param nsid the id
     * @throws NetlinkException EEXIST if the namespace already has an id or {@code nsid} is taken
     */
    public void set(String peerName, int nsid) throws NetlinkException {
        NetNs.validateName(peerName);
        try (NetNs peer = NetNs.open(peerName)) {
            set(peer, nsid);
        }
    }

    /**
     * Gives {@code peer} an id the kernel picks ({@code ip netns set NAME auto})
     * unless it has one, and returns the id.
     *
     * @param peer the other namespace
     * @return its id in this namespace
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public int assign(NetNs peer) throws NetlinkException {
        Objects.requireNonNull(peer, "peer");
        OptionalInt have = get(peer);
        if (have.isPresent()) {
            return have.getAsInt();
        }
        send(peer, NetNsa.NETNSA_NSID_NOT_ASSIGNED);
        return get(peer).orElseThrow(() -> new IllegalStateException("kernel assigned no nsid to " + peer));
    }

    private void send(NetNs peer, int nsid) throws NetlinkException {
        MessageWriter w = nl.writer();
        try {
            NetnsIdCodec.encodeSet(w, peer.fd(), nsid);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /**
     * {@return the id of {@code peer} in this namespace, or empty when it has none}
     *
     * @param peer the other namespace
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public OptionalInt get(NetNs peer) throws NetlinkException {
        Objects.requireNonNull(peer, "peer");
        int fd = peer.fd();
        Optional<Integer> id = Fetch.one(nl, w -> NetnsIdCodec.encodeGet(w, fd),
                dev.overlaynet.netlink.internal.uapi.RtNetlink.RTM_NEWNSID, NetnsIdCodec::decodeNsid);
        return id.isEmpty() || id.get() < 0 ? OptionalInt.empty() : OptionalInt.of(id.get());
    }

    /**
     * As {@link #get(NetNs)} for {@code /run/netns/NAME}.
     *
     * @param peerName the name under {@code /run/netns}
     * @return its id, or empty when it has none
     * @throws NetlinkException if the name cannot be opened or the kernel refuses
     */
    public OptionalInt get(String peerName) throws NetlinkException {
        NetNs.validateName(peerName);
        try (NetNs peer = NetNs.open(peerName)) {
            return get(peer);
        }
    }

    /**
     * {@return every id this namespace has given, ascending}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<Integer> list() throws NetlinkException {
        List<Integer> out = new ArrayList<>();
        AttrReader a = new AttrReader();
        MessageWriter w = nl.writer();
        try {
            NetnsIdCodec.encodeDump(w);
            nl.socket().dump(w, m -> {
                Integer id = NetnsIdCodec.decodeNsid(m, a);
                if (id != null && id >= 0) {
                    out.add(id);
                }
            });
        } finally {
            nl.release(w);
        }
        out.sort(null);
        return out;
    }

    /**
     * Every id with the {@code /run/netns} name of its namespace where one has
     * it (null otherwise), as {@code ip netns list-id} prints them: each named
     * namespace is opened and asked for its id.
     *
     * @return names by id; null where the namespace has no name
     * @throws NetlinkException if the dump fails
     */
    public Map<Integer, String> listNamed() throws NetlinkException {
        Map<Integer, String> out = new TreeMap<>();
        for (int id : list()) {
            out.put(id, null);
        }
        if (out.isEmpty()) {
            return out;
        }
        List<String> names;
        try {
            names = NetNs.list();
        } catch (java.io.IOException e) {
            throw new NetlinkException("list " + NetNs.RUN_NETNS, e.toString());
        }
        for (String n : names) {
            try (NetNs peer = NetNs.open(n)) {
                OptionalInt id = get(peer);
                if (id.isPresent() && out.containsKey(id.getAsInt()) && out.get(id.getAsInt()) == null) {
                    out.put(id.getAsInt(), n);
                }
            } catch (NetlinkException e) {
                // a namespace deleted while we walk the directory has no id to report
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        return out;
    }

    /**
     * {@return the {@code /run/netns} name of the namespace with id {@code nsid}, if any has it}
     *
     * @param nsid the id
     * @throws NetlinkException if the dump fails
     */
    public Optional<String> name(int nsid) throws NetlinkException {
        return Optional.ofNullable(listNamed().get(nsid));
    }
}
