package dev.overlaynet.directory;

import dev.overlaynet.Ip;
import dev.overlaynet.MacAddress;
import dev.overlaynet.overlay.Overlay;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stable, versioned text encoding of directory records: one flat JSON
 * object per record, whose {@code "format"} field names the record kind and
 * its version ({@code "overlaynet.host/v1"}). Encoding is canonical (fixed
 * field order, addresses as iproute2 prints them), so equal records are equal
 * strings. Decoding is strict: every field of the format must be present with
 * the right type, no other field is allowed, and values are validated as the
 * builders validate them; anything else is a {@link MalformedRecordException}.
 *
 * <pre>{@code
 * String text = RecordFormat.encode(new HostRecord("h1", Ip.parse("172.16.1.11"), mac));
 * // {"format":"overlaynet.host/v1","name":"h1","underlay":"172.16.1.11","vtepMac":"0a:58:ac:10:01:0b"}
 * HostRecord back = RecordFormat.decodeHost(text);
 * }</pre>
 */
public final class RecordFormat {
    /** The format of {@link HostRecord}s. */
    public static final String HOST_V1 = "overlaynet.host/v1";
    /** The format of {@link EndpointRecord}s. */
    public static final String ENDPOINT_V1 = "overlaynet.endpoint/v1";
    /** The format of an overlay's {@link Overlay spec}. */
    public static final String SPEC_V1 = "overlaynet.spec/v1";
    /** The format of an IP allocation: which host holds an overlay address. */
    public static final String ALLOCATION_V1 = "overlaynet.allocation/v1";

    private RecordFormat() {}

    /**
     * {@return the text of a host record}
     *
     * @param h the record
     */
    public static String encode(HostRecord h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", HOST_V1);
        m.put("name", h.name());
        m.put("underlay", Ip.text(h.underlay()));
        m.put("vtepMac", h.vtepMac().toString());
        return FlatJson.write(m);
    }

    /**
     * {@return the text of an endpoint record}
     *
     * @param e the record
     */
    public static String encode(EndpointRecord e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ENDPOINT_V1);
        m.put("ip", Ip.text(e.ip()));
        m.put("mac", e.mac().toString());
        m.put("host", e.host());
        return FlatJson.write(m);
    }

    /**
     * {@return the text of an overlay spec}
     *
     * @param o the spec
     */
    public static String encode(Overlay o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", SPEC_V1);
        m.put("cidr", o.cidr().toString());
        m.put("vni", (long) o.vni());
        m.put("dstPort", (long) o.dstPort());
        m.put("mode", o.mode() == Overlay.Mode.MULTICAST ? "multicast" : "unicast");
        m.put("group", o.group() == null ? null : Ip.text(o.group()));
        m.put("gateway", Ip.text(o.gateway()));
        m.put("nat", o.nat());
        m.put("mtu", o.mtu() == null ? null : (long) o.mtu());
        m.put("vxlanName", o.vxlanName());
        m.put("bridgeName", o.bridgeName());
        m.put("tag", o.tag());
        return FlatJson.write(m);
    }

    /**
     * {@return the text of an allocation of {@code ip} to {@code host}}
     *
     * @param ip the allocated address
     * @param host the host holding it
     */
    public static String encodeAllocation(InetAddress ip, String host) {
        HostRecord.requireValidName("host", host);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", ALLOCATION_V1);
        m.put("ip", Ip.text(ip));
        m.put("host", host);
        return FlatJson.write(m);
    }

    /**
     * Parses a host record, strictly.
     *
     * @param text the stored text
     * @return the record
     * @throws MalformedRecordException if a field is missing, unknown or invalid
     */
    public static HostRecord decodeHost(String text) throws MalformedRecordException {
        Fields f = Fields.of(text, HOST_V1, Set.of("name", "underlay", "vtepMac"));
        try {
            return new HostRecord(f.string("name"), Ip.parse("underlay", f.string("underlay")),
                    mac(f.string("vtepMac")));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException(HOST_V1 + ": " + e.getMessage());
        }
    }

    /**
     * Parses an endpoint record, strictly.
     *
     * @param text the stored text
     * @return the record
     * @throws MalformedRecordException if a field is missing, unknown or invalid
     */
    public static EndpointRecord decodeEndpoint(String text) throws MalformedRecordException {
        Fields f = Fields.of(text, ENDPOINT_V1, Set.of("ip", "mac", "host"));
        try {
            return new EndpointRecord(Ip.parse("ip", f.string("ip")), mac(f.string("mac")), f.string("host"));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException(ENDPOINT_V1 + ": " + e.getMessage());
        }
    }

    /**
     * Parses an allocation record into the host that holds it; {@code ip} must match.
     *
     * @param text the stored text
     * @param ip the address the key names
     * @return the host's name
     * @throws MalformedRecordException if the text is invalid or names another address
     */
    public static String decodeAllocation(String text, InetAddress ip) throws MalformedRecordException {
        Fields f = Fields.of(text, ALLOCATION_V1, Set.of("ip", "host"));
        try {
            InetAddress got = Ip.parse("ip", f.string("ip"));
            if (!got.equals(ip)) {
                throw new MalformedRecordException(ALLOCATION_V1 + ": ip " + Ip.text(got)
                        + " does not match its key " + Ip.text(ip));
            }
            String host = f.string("host");
            HostRecord.requireValidName("host", host);
            return host;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException(ALLOCATION_V1 + ": " + e.getMessage());
        }
    }

    /**
     * Parses an overlay spec, strictly.
     *
     * @param text the stored text
     * @return the spec
     * @throws MalformedRecordException if a field is missing, unknown or invalid
     */
    public static Overlay decodeSpec(String text) throws MalformedRecordException {
        Fields f = Fields.of(text, SPEC_V1, Set.of("cidr", "vni", "dstPort", "mode", "group", "gateway", "nat",
                "mtu", "vxlanName", "bridgeName", "tag"));
        try {
            Overlay.Builder b = Overlay.builder()
                    .cidr(f.string("cidr"))
                    .vni(f.integer("vni"))
                    .dstPort(f.integer("dstPort"))
                    .gateway(f.string("gateway"))
                    .nat(f.bool("nat"))
                    .vxlanName(f.string("vxlanName"))
                    .bridgeName(f.string("bridgeName"))
                    .tag(f.string("tag"));
            String mode = f.string("mode");
            String group = f.nullableString("group");
            switch (mode) {
                case "multicast" -> {
                    if (group == null) {
                        throw new MalformedRecordException(SPEC_V1 + ": mode multicast needs a group");
                    }
                    b.multicastGroup(group);
                }
                case "unicast" -> {
                    if (group != null) {
                        throw new MalformedRecordException(SPEC_V1 + ": mode unicast must not have a group");
                    }
                    b.unicast();
                }
                default -> throw new MalformedRecordException(SPEC_V1 + ": mode \"" + mode
                        + "\" is not multicast or unicast");
            }
            Integer mtu = f.nullableInteger("mtu");
            if (mtu != null) {
                b.mtu(mtu);
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRecordException(SPEC_V1 + ": " + e.getMessage());
        }
    }

    private static MacAddress mac(String s) {
        MacAddress m = MacAddress.parse(s);
        if (!m.toString().equals(s)) {
            // One spelling per value, so that equal records are equal text.
            throw new IllegalArgumentException("mac \"" + s + "\" is not in canonical form " + m);
        }
        return m;
    }

    /** The fields of one record, checked against its format's field set. */
    private record Fields(Map<String, Object> map, String format) {
        static Fields of(String text, String format, Set<String> names) throws MalformedRecordException {
            Map<String, Object> m = FlatJson.parse(text);
            Object got = m.get("format");
            if (!(got instanceof String g)) {
                throw new MalformedRecordException("record has no \"format\" string; expected " + format);
            }
            if (!g.equals(format)) {
                throw new MalformedRecordException("record format \"" + g + "\" is not " + format);
            }
            for (String k : m.keySet()) {
                if (!k.equals("format") && !names.contains(k)) {
                    throw new MalformedRecordException(format + ": unknown field \"" + k + "\"");
                }
            }
            for (String n : names) {
                if (!m.containsKey(n)) {
                    throw new MalformedRecordException(format + ": missing field \"" + n + "\"");
                }
            }
            return new Fields(m, format);
        }

        String string(String name) throws MalformedRecordException {
            Object v = map.get(name);
            if (!(v instanceof String s)) {
                throw new MalformedRecordException(format + ": field \"" + name + "\" must be a string");
            }
            return s;
        }

        String nullableString(String name) throws MalformedRecordException {
            return map.get(name) == null ? null : string(name);
        }

        int integer(String name) throws MalformedRecordException {
            Object v = map.get(name);
            if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                throw new MalformedRecordException(format + ": field \"" + name + "\" must be an integer");
            }
            return (int) (long) l;
        }

        Integer nullableInteger(String name) throws MalformedRecordException {
            return map.get(name) == null ? null : integer(name);
        }

        boolean bool(String name) throws MalformedRecordException {
            Object v = map.get(name);
            if (!(v instanceof Boolean b)) {
                throw new MalformedRecordException(format + ": field \"" + name + "\" must be true or false");
            }
            return b;
        }
    }
}
