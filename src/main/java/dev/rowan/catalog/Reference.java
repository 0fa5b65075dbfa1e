package dev.rowan.catalog;

import java.util.List;

/** A foreign key elsewhere that points at a table: records of {@code tableOid} refer through {@code columns} to {@code referencedColumns}. */
public record Reference(String name, long tableOid, String schema, String table, List<String> columns, List<String> referencedColumns) {
}
