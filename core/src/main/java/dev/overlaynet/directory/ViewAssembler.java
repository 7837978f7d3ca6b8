package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns key-value changes into {@link DirectoryView}s: the part every
 * {@link Directory} implementation shares, so that they parse, check and skip
 * records alike. A record is applied only if it parses strictly and agrees with
 * its key (the host named in hosts/NAME, the IP in endpoints/IP); otherwise it
 * is logged once per key and value and left out. Not thread-safe: one watch
 * owns one.
 *
 * <pre>{@code
 * ViewAssembler a = new ViewAssembler(KeyLayout.of("/overlaynet", "prod"));
 * for (KeyValue kv : listed) a.apply(kv.key(), kv.value());
 * DirectoryView v = a.view(listedRevision);
 * }</pre>
 */
public final class ViewAssembler {
    private static final Logger log = LoggerFactory.getLogger(ViewAssembler.class);

    private final KeyLayout keys;
    private Overlay spec;
    private final Map<String, HostRecord> hosts = new HashMap<>();
    private final Map<InetAddress, EndpointRecord> endpoints = new LinkedHashMap<>();
    private final Map<InetAddress, String> allocations = new LinkedHashMap<>();
    private final Map<String, String> rejected = new HashMap<>();
    private final Map<String, String> rawRejected = new HashMap<>();

    /**
     * An empty assembler for the overlay {@code keys} lays out.
     *
     * @param keys the overlay's key layout
     */
    public ViewAssembler(KeyLayout keys) {
        this.keys = keys;
    }

    /** Forgets everything (before a re-list). */
    public void clear() {
        spec = null;
        hosts.clear();
        endpoints.clear();
        allocations.clear();
        rejected.clear();
        rawRejected.clear();
    }

    /**
     * Applies a put ({@code value != null}) or a delete of {@code key}.
     *
     * @param key the full key
     * @param value the stored text, or null for a delete
     */
    public void apply(String key, String value) {
        KeyLayout.Kind kind = keys.kind(key);
        if (kind == KeyLayout.Kind.UNKNOWN) {
            if (value != null) {
                reject(key, value, "unknown key under " + keys.prefix());
            } else {
                rejected.remove(key);
                rawRejected.remove(key);
            }
            return;
        }
        remove(kind, key);
        rejected.remove(key);
        if (value == null) {
            rawRejected.remove(key);
            return;
        }
        try {
            put(kind, key, value);
            rawRejected.remove(key);
        } catch (MalformedRecordException e) {
            reject(key, value, e.getMessage());
        }
    }

    private void remove(KeyLayout.Kind kind, String key) {
        switch (kind) {
            case SPEC -> spec = null;
            case HOST -> hosts.remove(keys.leaf(key));
            // By address, not by scanning: a list of 10,000 endpoints applies 10,000 keys.
            // A leaf that is not a canonical address was never applied, so there is nothing to remove.
            case ENDPOINT -> leafAddress(key).ifPresent(endpoints::remove);
            case ALLOCATION -> leafAddress(key).ifPresent(allocations::remove);
            default -> { }
        }
    }

    private void put(KeyLayout.Kind kind, String key, String value) throws MalformedRecordException {
        String leaf = keys.leaf(key);
        switch (kind) {
            case SPEC -> spec = RecordFormat.decodeSpec(value);
            case HOST -> {
                HostRecord h = RecordFormat.decodeHost(value);
                if (!h.name().equals(leaf)) {
                    throw new MalformedRecordException("host record names \"" + h.name() + "\" under key " + key);
                }
                hosts.put(leaf, h);
            }
            case ENDPOINT -> {
                EndpointRecord e = RecordFormat.decodeEndpoint(value);
                if (!Ip.text(e.ip()).equals(leaf)) {
                    throw new MalformedRecordException("endpoint record for " + Ip.text(e.ip()) + " under key " + key);
                }
                endpoints.put(e.ip(), e);
            }
            case ALLOCATION -> {
                InetAddress ip = parseLeafIp(key, leaf);
                allocations.put(ip, RecordFormat.decodeAllocation(value, ip));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private java.util.Optional<InetAddress> leafAddress(String key) {
        try {
            return java.util.Optional.of(parseLeafIp(key, keys.leaf(key)));
        } catch (MalformedRecordException e) {
            return java.util.Optional.empty();
        }
    }

    private static InetAddress parseLeafIp(String key, String leaf) throws MalformedRecordException {
        try {
            InetAddress ip = Ip.parse("key", leaf);
            if (!Ip.text(ip).equals(leaf)) {
                throw new MalformedRecordException("key " + key + " does not spell its address canonically");
            }
            return ip;
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("key " + key + ": " + e.getMessage());
        }
    }

    private void reject(String key, String value, String reason) {
        rejected.put(key, reason);
        if (!value.equals(rawRejected.put(key, value))) {
            log.warn("directory: skipping {}: {}", key, reason);
        }
    }

    /**
     * {@return the view of everything applied so far, stamped with {@code revision}}
     *
     * @param revision the store revision the view is as of
     */
    public DirectoryView view(long revision) {
        return new DirectoryView(revision, Optional.ofNullable(spec), hosts, endpoints, allocations, rejected);
    }
}
