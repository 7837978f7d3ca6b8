package dev.overlaynet;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Nftables#deleteTable()} did: how many owned tables went whole,
 * how many of the library's rules, chains and named sets went (inside those
 * tables or one by one), and the objects that are not the library's and kept
 * an owned table in place.
 *
 * <pre>{@code
 * TableDeletion d = nl.nftables().deleteTable();
 * if (!d.complete()) {
 *     log.warn("table kept for objects overlaynet does not own: " + d.foreign());
 * }
 * }</pre>
 *
 * @param tablesDeleted owned tables deleted whole (they held only the library's objects)
 * @param rulesDeleted  the library's rules deleted, those inside deleted tables included
 * @param chainsDeleted the library's chains deleted, those inside deleted tables included
 * @param setsDeleted   the library's named sets deleted, those inside deleted tables included
 * @param foreign       objects without the library's ownership that were left, with the owned table(s)
 *                      holding them; empty when every owned table went
 */
public record TableDeletion(int tablesDeleted, int rulesDeleted, int chainsDeleted, int setsDeleted,
                            List<ForeignObject> foreign) {
    /**
     * Copies {@code foreign}.
     *
     * @param tablesDeleted owned tables deleted whole
     * @param rulesDeleted the library's rules deleted
     * @param chainsDeleted the library's chains deleted
     * @param setsDeleted the library's named sets deleted
     * @param foreign objects not the library's that were left
     */
    public TableDeletion {
        foreign = List.copyOf(foreign);
    }

    /** {@return whether anything was deleted} */
    public boolean changed() {
        return tablesDeleted + rulesDeleted + chainsDeleted + setsDeleted > 0;
    }

    /** {@return whether no owned table is left: none held anything that is not the library's} */
    public boolean complete() {
        return foreign.isEmpty();
    }

    /**
     * An object in an owned table that the library did not make, and so
     * never deletes: a chain other than its NAT base chains, a rule in one of
     * its chains that is not one of the {@link NatRule} shapes, a set or map
     * without the ownership comment, a stateful object or a flowtable.
     *
     * <pre>{@code
     * // ForeignObject[kind=chain, family=ip, table=overlaynet, chain=null, name=audit, handle=4]
     * // prints as: chain ip overlaynet audit
     * }</pre>
     *
     * @param kind   {@code chain}, {@code rule}, {@code set}, {@code map}, {@code flowtable}, or an object
     *               type as nft names it ({@code counter}, {@code quota}, ...)
     * @param family the table's family as nft names it ({@code ip}, {@code ip6}, {@code inet})
     * @param table  the table's name
     * @param chain  the chain of a rule, else null
     * @param name   the object's name; null for a rule
     * @param handle the kernel handle of a rule or chain, else -1
     */
    public record ForeignObject(String kind, String family, String table, String chain, String name, long handle) {
        /**
         * Checks the names.
         *
         * @param kind the object's kind
         * @param family the table's family name
         * @param table the table's name
         * @param chain the chain of a rule, else null
         * @param name the object's name, null for a rule
         * @param handle the kernel handle, or -1
         */
        public ForeignObject {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(table, "table");
        }

        /** {@return the object as nft would name it, e.g. {@code rule ip overlaynet postrouting handle 7}} */
        @Override
        public String toString() {
            String where = kind + " " + family + " " + table;
            return chain != null ? where + " " + chain + " handle " + handle : where + " " + name;
        }
    }
}
