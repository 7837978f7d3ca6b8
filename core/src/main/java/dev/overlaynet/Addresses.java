package dev.overlaynet;

import dev.overlaynet.netlink.NetlinkException;
import dev.overlaynet.netlink.internal.codec.AttrReader;
import dev.overlaynet.netlink.internal.codec.MessageWriter;
import dev.overlaynet.netlink.internal.codec.Nlmsg;
import dev.overlaynet.netlink.internal.uapi.RtNetlink;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * IPv4 and IPv6 interface addresses of one namespace ({@code ip addr}).
 * Obtain it from {@link Netlink#addresses()}.
 *
 * <pre>{@code
 * nl.addresses().add("br0", "10.233.0.1/16");
 * for (Address a : nl.addresses().list("br0")) {
 *     log.info(a); // 10.233.0.1/16 dev br0 scope global label br0 permanent
 * }
 * nl.addresses().delete("br0", "10.233.0.1/16");
 * }</pre>
 *
 * <p>Errors are {@link NetlinkException}s with the kernel's text, e.g.
 * adding an address twice gives {@code EEXIST} with "ipv4: Address already assigned.".
 */
public final class Addresses {
    private final Netlink nl;

    Addresses(Netlink nl) {
        this.nl = nl;
    }

    /**
     * Adds {@code a}; EEXIST if the link already has it.
     *
     * @param a the address, with its link
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(Address a) throws NetlinkException {
        modify(RtNetlink.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_EXCL, a);
    }

    /**
     * Adds {@code cidr} (e.g. {@code 10.233.0.1/16}) to link {@code dev}.
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @param cidr address and prefix length; a bare address means /32 or /128
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void add(String dev, String cidr) throws NetlinkException {
        add(Address.of(dev, cidr));
    }

    /**
     * Adds {@code a}, or updates its attributes (lifetimes, flags, ...) if present: idempotent.
     *
     * @param a the address, with its link
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void replace(Address a) throws NetlinkException {
        modify(RtNetlink.RTM_NEWADDR, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_REPLACE, a);
    }

    /**
     * Makes the link have {@code a}: absent, it is added (CREATED); present
     * with every field {@code a} sets as the kernel keeps it, nothing is sent
     * (UNCHANGED); otherwise one replace updates it (CHANGED). A lifetime is
     * compared as finite or forever, since the kernel reports what remains.
     * The kernel keeps an IPv4 address's flags on replace: differing flags
     * there are an IllegalStateException, and nothing is sent.
     *
     * <pre>{@code
     * nl.addresses().ensure(Address.of("br0", "10.233.0.1/16"));   // CREATED, then UNCHANGED
     * }</pre>
     *
     * @param a the address, with its link
     * @return what was done, as {@link EnsureResult} names it
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public EnsureResult ensure(Address a) throws NetlinkException {
        Objects.requireNonNull(a, "address");
        Address found = null;
        for (Address have : a.link() != null ? list(a.link()) : list()) {
            if ((a.index() == null || a.index().equals(have.index())) && EnsureDiffs.sameKey(a, have)) {
                found = have;
                break;
            }
        }
        if (found == null) {
            add(a);
            return EnsureResult.CREATED;
        }
        List<String> diffs = EnsureDiffs.differences(a, found);
        if (diffs.isEmpty()) {
            return EnsureResult.UNCHANGED;
        }
        if (diffs.contains("flags") && a.prefix().isV4()) {
            // inet_rtm_newaddr with NLM_F_REPLACE updates an IPv4 address's lifetimes, never its flags.
            throw new IllegalStateException(a.prefix() + " on " + (a.link() != null ? a.link() : "ifindex " + a.index())
                    + ": flags are " + found.flags() + ", want " + a.flags()
                    + "; the kernel does not change an IPv4 address's flags in place: delete the address first");
        }
        replace(a);
        return EnsureResult.CHANGED;
    }


    /**
     * Deletes {@code a} (matched by link, local address, prefix length and peer); EADDRNOTAVAIL if absent.
     *
     * @param a the address, with its link
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(Address a) throws NetlinkException {
        modify(RtNetlink.RTM_DELADDR, 0, a);
    }

    /**
     * Deletes {@code cidr} from link {@code dev}.
     *
     * @param dev the link's name, e.g. {@code vxlan0}
     * @param cidr address and prefix length, e.g. {@code 10.233.0.1/16}
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public void delete(String dev, String cidr) throws NetlinkException {
        delete(Address.of(dev, cidr));
    }

    private void modify(int type, int flags, Address a) throws NetlinkException {
        Objects.requireNonNull(a, "address");
        int index = a.index() != null ? a.index() : nl.ifindex(a.link());
        MessageWriter w = nl.writer();
        try {
            AddressCodec.encode(w, type, flags, a, index);
            nl.socket().request(w);
        } finally {
            nl.release(w);
        }
    }

    /**
     * {@return all IPv4 and IPv6 addresses of the namespace}
     *
     * @throws NetlinkException if the kernel refuses the request (errno and ext-ack text in the message)
     */
    public List<Address> list() throws NetlinkException {
        return list(null);
    }

    /**
     * {@return the addresses of link {@code dev} (filtered by the kernel), or all when {@code dev} is null}
     *
     * @param dev the link's name, or null for every link
     * @throws NetlinkException if the dump fails
     */
    public List<Address> list(String dev) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index);
        try {
            return nl.socket().dumpList(w, m -> m.type() == RtNetlink.RTM_NEWADDR
                    ? AddressCodec.decode(m, links::name, a) : null, 3);
        } finally {
            nl.release(w);
        }
    }

    /**
     * Streams the addresses of {@code dev} (all when null) to {@code action}
     * one message at a time. The action runs while the dump is in progress:
     * it must not use this handle.
     *
     * @param dev the link's name, or null for every link
     * @param action called once per decoded object, on the calling thread
     * @throws NetlinkException if the dump fails
     */
    public void forEach(String dev, Consumer<? super Address> action) throws NetlinkException {
        LinkIndex links = new LinkIndex(nl);
        int index = links.forDump(dev);
        AttrReader a = new AttrReader();
        MessageWriter w = dumpRequest(index);
        try {
            nl.socket().dump(w, m -> {
                if (m.type() == RtNetlink.RTM_NEWADDR) {
                    Address addr = AddressCodec.decode(m, links::name, a);
                    if (addr != null) {
                        action.accept(addr);
                    }
                }
            });
        } finally {
            nl.release(w);
        }
    }


    private MessageWriter dumpRequest(int index) {
        MessageWriter w = nl.writer();
        AddressCodec.encodeDump(w, index);
        return w;
    }
}
