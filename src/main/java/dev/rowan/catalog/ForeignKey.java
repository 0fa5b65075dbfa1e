package dev.rowan.catalog;

import java.util.List;

/**
 * A foreign key of a table: its columns, and the table and columns they refer to. Actions: no_action, restrict,
 * cascade, set_null, set_default. oid is the constraint's (the same as its {@link Constraint}'s).
 */
public record ForeignKey(String name, List<Integer> attnums, List<String> columns, long referencedOid, String referencedSchema,
                         String referencedTable, List<Integer> referencedAttnums, List<String> referencedColumns,
                         String onDelete, String onUpdate, long oid) {
}
