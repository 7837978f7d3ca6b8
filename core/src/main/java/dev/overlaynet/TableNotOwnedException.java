package dev.overlaynet;

/**
 * The table the library would write to exists but was not made by it (it
 * lacks the ownership comment), so the library refuses to touch it. Pick
 * another name with {@link Nftables#table(String)} or remove the table.
 *
 * <pre>{@code
 * try {
 *     nl.nftables().apply(rule);
 * } catch (TableNotOwnedException e) {
 *     nl.nftables().table("overlaynet-2").apply(rule);
 * }
 * }</pre>
 */
public final class TableNotOwnedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    /** The table's name. */
    private final String table;

    /**
     * A table of that name exists without overlaynet's ownership comment.
     *
     * @param family the table's family, e.g. {@code ip}
     * @param table the table's name
     * @param foundComment the comment the table has, or null
     */
    public TableNotOwnedException(String family, String table, String foundComment) {
        super("table " + family + " " + table + " exists but is not owned by overlaynet (comment "
                + (foundComment == null ? "none" : "\"" + foundComment + "\"") + "); refusing to modify it");
        this.table = table;
    }

    /** {@return the table's name} */
    public String table() {
        return table;
    }
}
