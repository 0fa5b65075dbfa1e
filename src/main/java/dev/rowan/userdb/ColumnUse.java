package dev.rowan.userdb;

/**
 * A user column whose type is one of Rowan's (or an array of one): what removing Rowan from the
 * database will convert, shown to the person before they confirm.
 *
 * @param type       the column's type as PostgreSQL prints it, e.g. {@code rowan_types.email[]}
 * @param convertsTo the type it will have afterwards, e.g. {@code text[]}
 */
public record ColumnUse(String schema, String table, String column, String type, String convertsTo) {
}
