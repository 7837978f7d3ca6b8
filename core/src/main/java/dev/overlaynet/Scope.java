package dev.overlaynet;

/**
 * An address or route scope ({@code rtm_scope} / {@code ifa_scope}, 0..255),
 * with the kernel's named values as constants. Other values (from
 * {@code /etc/iproute2/rt_scopes}) are kept as numbers.
 *
 * <pre>{@code
 * Route r = Route.builder().dst("10.8.0.0/24").dev("br0").scope(Scope.LINK).build();
 * Scope.parse("host") == Scope.HOST; // true
 * }</pre>
 *
 * @param value the scope number, 0..255
 */
public record Scope(int value) {
    /** RT_SCOPE_UNIVERSE: everywhere ("global"). */
    public static final Scope UNIVERSE = new Scope(0);
    /** RT_SCOPE_SITE. */
    public static final Scope SITE = new Scope(200);
    /** RT_SCOPE_LINK: on-link only. */
    public static final Scope LINK = new Scope(253);
    /** RT_SCOPE_HOST: this host only. */
    public static final Scope HOST = new Scope(254);
    /** RT_SCOPE_NOWHERE: the destination does not exist (also "any" in route deletion). */
    public static final Scope NOWHERE = new Scope(255);

    /**
     * Checks the range.
     *
     * @param value the RT_SCOPE_* number, 0..255
     */
    public Scope {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("scope " + value + " out of range [0..255]");
        }
    }

    /**
     * {@return the scope with this number}
     *
     * @param value 0..255
     */
    public static Scope of(int value) {
        switch (value) {
            case 0: return UNIVERSE;
            case 200: return SITE;
            case 253: return LINK;
            case 254: return HOST;
            case 255: return NOWHERE;
            default: return new Scope(value);
        }
    }

    /**
     * Parses an iproute2 name ({@code global}, {@code universe}, {@code site}, {@code link}, {@code host}, {@code nowhere}) or a number.
     *
     * @param s the name or number
     * @return the scope
     */
    public static Scope parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("scope must not be empty");
        }
        switch (s) {
            case "global": case "universe": return UNIVERSE;
            case "site": return SITE;
            case "link": return LINK;
            case "host": return HOST;
            case "nowhere": return NOWHERE;
            default:
                if (s.length() <= 3 && s.chars().allMatch(Character::isDigit)) {
                    return of(Integer.parseInt(s));
                }
                throw new IllegalArgumentException("scope \"" + s + "\" is not global, site, link, host, nowhere or 0..255");
        }
    }

    /** The iproute2 name ({@code global} for UNIVERSE, as {@code ip -j} prints it), or the number. */
    @Override
    public String toString() {
        switch (value) {
            case 0: return "global";
            case 200: return "site";
            case 253: return "link";
            case 254: return "host";
            case 255: return "nowhere";
            default: return Integer.toString(value);
        }
    }
}
