package dev.overlaynet;

/**
 * A set the library was asked to change or delete exists in its table but
 * was not made by it (it lacks the ownership comment, e.g. it was added with
 * {@code nft add set}), so the library refuses to touch it.
 *
 * <pre>{@code
 * try {
 *     nl.nftables().sets().delete("excluded");
 * } catch (SetNotOwnedException e) {
 *     log.warn("{} belongs to someone else", e.set());
 * }
 * }</pre>
 */
public final class SetNotOwnedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    /** The set's name. */
    private final String set;

    /**
     * A set of that name exists without overlaynet's ownership comment.
     *
     * @param family the table's family, e.g. {@code ip}
     * @param table the table's name
     * @param set the set's name
     * @param foundComment the comment the set has, or null
     */
    public SetNotOwnedException(String family, String table, String set, String foundComment) {
        super("set " + set + " in table " + family + " " + table + " exists but is not owned by overlaynet (comment "
                + (foundComment == null ? "none" : "\"" + foundComment + "\"") + "); refusing to modify it");
        this.set = set;
    }

    /** {@return the set's name} */
    public String set() {
        return set;
    }
}
