package dev.rowan.catalog;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How Rowan treats a column's type: which filter operators apply, which editor the grid shows, how
 * values travel in JSON. Domains count as their base type, except Rowan's own email, uri and money.
 * Everything Rowan has no special handling for is {@link #OTHER}: shown and edited as PostgreSQL's
 * text form of the value.
 */
public enum ColumnKind {
    TEXT, INTEGER, NUMBER, BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, UUID, JSON,
    EMAIL, URI, MONEY, ENUM, ARRAY, OTHER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values of this kind are JSON numbers, booleans or JSON documents in API answers (all others are strings). */
    public boolean nativeJson() {
        return this == INTEGER || this == NUMBER || this == BOOLEAN || this == JSON || this == MONEY;
    }

    static ColumnKind of(String typeSchema, String typeName, String typtype, String category, String baseTypeName) {
        if ("rowan_types".equals(typeSchema)) {
            switch (typeName) {
                case "email": return EMAIL;
                case "uri": return URI;
                case "money": return MONEY;
                default: return OTHER;
            }
        }
        if ("d".equals(typtype) && baseTypeName != null) {
            return byName(baseTypeName, null, null);
        }
        return byName(typeName, typtype, category);
    }

    private static ColumnKind byName(String name, String typtype, String category) {
        if ("e".equals(typtype)) return ENUM;
        if ("A".equals(category)) return ARRAY;
        return switch (name) {
            case "text", "varchar", "bpchar", "name", "citext" -> TEXT;
            case "int2", "int4", "int8" -> INTEGER;
            case "numeric", "float4", "float8" -> NUMBER;
            case "bool" -> BOOLEAN;
            case "date" -> DATE;
            case "time", "timetz" -> TIME;
            case "timestamp" -> TIMESTAMP;
            case "timestamptz" -> TIMESTAMPTZ;
            case "interval" -> INTERVAL;
            case "uuid" -> UUID;
            case "json", "jsonb" -> JSON;
            default -> name.startsWith("_") ? ARRAY : OTHER;
        };
    }
}
