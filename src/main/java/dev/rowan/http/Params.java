package dev.rowan.http;

import dev.rowan.Problem;
import io.javalin.http.Context;

/**
 * The numbers that address things in API paths ({@code {db}}, {@code {schema}}, {@code {table}},
 * {@code {column}}, {@code {constraint}}, import {@code {id}}), each parsed in one place: anything that
 * is not such a number is a 404 problem saying so, as it names nothing that exists.
 */
final class Params {
    private Params() {
    }

    /** {@code {db}}: Rowan's id of a connected database. */
    static long database(Context ctx) {
        return positive(ctx, "db", "database_not_found", "No such database", "database id", null);
    }

    /** {@code {schema}}: a schema's OID. */
    static long schema(Context ctx) {
        return positive(ctx, "schema", "schema_not_found", "No such schema", "schema id",
                "Schemas are addressed by the oid that the list of schemas gives.");
    }

    /** {@code {table}}: a table's OID. */
    static long table(Context ctx) {
        return positive(ctx, "table", "table_not_found", "No such table", "table id",
                "Tables are addressed by the oid that the list of tables gives.");
    }

    /** {@code {column}}: a column's number (attnum) within its table. */
    static int column(Context ctx) {
        long attnum = positive(ctx, "column", "column_not_found", "No such column", "column number",
                "Columns are addressed by the attnum the table description gives.");
        if (attnum > Short.MAX_VALUE) {
            throw new Problem(404, "column_not_found", "No such column", "\"" + attnum + "\" is not a column number.", null);
        }
        return (int) attnum;
    }

    /** {@code {constraint}}: a constraint's OID. */
    static long constraint(Context ctx) {
        return positive(ctx, "constraint", "constraint_not_found", "No such constraint", "constraint id",
                "Constraints are addressed by the oid the table description gives.");
    }

    /** {@code {id}} of an import. */
    static long importId(Context ctx) {
        return positive(ctx, "id", "import_not_found", "No such import", "import id", null);
    }

    private static long positive(Context ctx, String param, String code, String title, String what, String hint) {
        String raw = ctx.pathParam(param);
        try {
            long value = Long.parseLong(raw);
            if (value > 0) return value;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Problem(404, code, title, "\"" + raw + "\" is not a " + what + ".", hint);
    }
}
