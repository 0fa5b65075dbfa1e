package dev.rowan.structure;

import dev.rowan.catalog.ColumnType;
import dev.rowan.postgres.Identifiers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** A new column as a request describes it: {@code {name, type, nullable?, default? | defaultExpression?, unique?, comment?}}. */
record ColumnSpec(String name, ColumnType type, boolean nullable, DefaultValue defaultValue, boolean unique, String comment) {

    static ColumnSpec from(Body body) {
        String name = Names.require(body.optionalString("name"), "column");
        String type = body.optionalString("type");
        if (type == null) {
            throw body.invalid("type", "is required (a column type such as text, integer or date)");
        }
        Boolean nullable = body.optionalBoolean("nullable");
        Boolean unique = body.optionalBoolean("unique");
        return new ColumnSpec(name, ColumnType.byId(type), nullable == null || nullable, DefaultValue.from(body),
                Boolean.TRUE.equals(unique), body.optionalString("comment"));
    }

    /** The column as CREATE TABLE and ADD COLUMN write it. */
    String definition(Change change) throws SQLException {
        List<String> parts = new ArrayList<>(List.of(Identifiers.quote(name), type.sql()));
        String defaultSql = defaultValue == null ? null : defaultValue.sql(change, type.fromText("?"));
        if (defaultSql != null) parts.add("DEFAULT " + defaultSql);
        if (!nullable) parts.add("NOT NULL");
        if (unique) parts.add("UNIQUE");
        return String.join(" ", parts);
    }
}
