package dev.rowan.postgres;

/**
 * The one place where Rowan turns a name into SQL. Every schema, table, column, function and type
 * name that reaches a user database goes through {@link #quote}, so odd names (quotes, spaces,
 * reserved words, upper case, Unicode) mean exactly themselves and cannot inject SQL. Values never
 * come here: they are bound as parameters.
 */
public final class Identifiers {
    private Identifiers() {
    }

    /** {@code my "table"} becomes {@code "my ""table"""}. */
    public static String quote(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new IllegalArgumentException("an SQL identifier cannot be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("an SQL identifier cannot contain a NUL character");
        }
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A name in a schema, {@code "schema"."name"}. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }
}
