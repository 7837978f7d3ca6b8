package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.IpPrefix;
import dev.overlaynet.overlay.Overlay;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks candidate overlay addresses for allocation, for {@link Directory}
 * implementations. Candidates start at a random offset, so that hosts
 * allocating at the same moment mostly try different addresses and their
 * compare-and-swaps rarely collide; the compare-and-swap, not this class, is
 * what makes an allocation unique.
 *
 * <pre>{@code
 * InetAddress candidate = new AddressPool(spec).pick(alreadyAllocated);
 * }</pre>
 */
public final class AddressPool {
    private final long first;
    private final long size;
    private final InetAddress gateway;

    /**
     * The pool of {@code spec}'s CIDR less network, broadcast and gateway.
     *
     * @param spec the overlay whose subnet and gateway define the pool
     */
    public AddressPool(Overlay spec) {
        IpPrefix cidr = spec.cidr();
        if (!Ip.isV4(cidr.address())) {
            throw new IllegalArgumentException("only IPv4 overlays allocate addresses so far");
        }
        long base = new BigInteger(1, cidr.address().getAddress()).longValue() & ~((1L << (32 - cidr.length())) - 1);
        // Leave out the network and broadcast addresses.
        this.first = base + 1;
        this.size = (1L << (32 - cidr.length())) - 2;
        this.gateway = spec.gateway();
    }

    /**
     * A free address not in {@code taken}, or null when the pool is exhausted.
     * Scans from a random start, wrapping around once.
     *
     * @param taken addresses already allocated
     * @return a free address, or null
     */
    public InetAddress pick(Set<InetAddress> taken) {
        if (size <= 0) {
            return null;
        }
        long start = ThreadLocalRandom.current().nextLong(size);
        for (long k = 0; k < size; k++) {
            InetAddress a = address(first + (start + k) % size);
            if (!a.equals(gateway) && !taken.contains(a)) {
                return a;
            }
        }
        return null;
    }

    /**
     * {@return whether {@code ip} may be allocated at all (in the CIDR, not network/broadcast/gateway)}
     *
     * @param ip the address
     */
    public boolean allocatable(InetAddress ip) {
        if (!Ip.isV4(ip) || ip.equals(gateway)) {
            return false;
        }
        long v = new BigInteger(1, ip.getAddress()).longValue();
        return v >= first && v < first + size;
    }

    private static InetAddress address(long v) {
        return Ip.of(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }
}
