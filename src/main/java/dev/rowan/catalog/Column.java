package dev.rowan.catalog;

import java.util.List;

/**
 * A column: {@code type} is PostgreSQL's own spelling (e.g. {@code character varying(20)},
 * {@code rowan_types.email}); {@code kind} is how Rowan treats it (filters, editors, casts).
 * {@code identity} is null, "always" or "by_default"; {@code enumValues} is set for enum columns.
 */
public record Column(int attnum, String name, String type, long typeOid, ColumnKind kind, List<String> enumValues,
                     boolean nullable, String defaultExpression, String identity, boolean generated,
                     boolean primaryKey, boolean unique, String comment, boolean canInsert, boolean canUpdate) {
}
