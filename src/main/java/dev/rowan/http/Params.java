package dev.rowan.http;

import dev.rowan.Problem;
import io.javalin.http.Context;

/** Path and query parameters shared by the data routes, each parsed in one place with one wording for bad input. */
final class Params {
    private Params() {
    }

    /** {@code {db}}: Rowan's id of a connected database. */
    static long database(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("db"));
        } catch (NumberFormatException e) {
            throw new Problem(404, "database_not_found", "No such database", "\"" + ctx.pathParam("db") + "\" is not a database id.", null);
        }
    }

    /** {@code {table}}: a table's OID. */
    static long table(Context ctx) {
        String raw = ctx.pathParam("table");
        try {
            long oid = Long.parseLong(raw);
            if (oid > 0) return oid;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Problem(404, "table_not_found", "No such table", "\"" + raw + "\" is not a table id.",
                "Tables are addressed by the oid that the list of tables gives.");
    }

    /** An optional non-negative integer query parameter, at most {@code max}. */
    static Integer intQuery(Context ctx, String name, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return null;
        try {
            int value = Integer.parseInt(raw);
            if (value >= 0 && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new Problem(400, "invalid_parameter", "Invalid parameter \"" + name + "\"",
                "\"" + name + "\" must be a whole number from 0 to " + max + ", not \"" + raw + "\".", null);
    }
}
