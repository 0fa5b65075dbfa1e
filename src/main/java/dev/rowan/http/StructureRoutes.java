package dev.rowan.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rowan.Problem;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.Supplier;

/**
 * Changing what a connected database holds: schemas, tables, columns, foreign keys and other
 * constraints, column types (with a dry run), and how a table's columns are arranged in the grid.
 * Everything is addressed by number (schema and table OIDs, column attnums, constraint OIDs), so
 * names with any character in them never travel in a URL.
 */
final class StructureRoutes {
    private static final String DB = "/api/v1/databases/{db}";
    private static final String TABLE = DB + "/tables/{table}";
    private static final String COLUMN = TABLE + "/columns/{column}";

    private final Supplier<? extends Backend> backend;
    private final HttpSecurity security;

    StructureRoutes(Supplier<? extends Backend> backend, HttpSecurity security) {
        this.backend = backend;
        this.security = security;
    }

    void register(Javalin app) {
        app.post(DB + "/schemas", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 201, backend.get().structure().createSchema(Params.database(ctx), body(ctx)));
        });
        app.patch(DB + "/schemas/{schema}", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().updateSchema(Params.database(ctx), Params.schema(ctx), body(ctx)));
        });
        app.delete(DB + "/schemas/{schema}", ctx -> {
            security.requireSession(ctx);
            backend.get().structure().dropSchema(Params.database(ctx), Params.schema(ctx), cascade(ctx));
            ctx.status(204);
        });

        app.post(DB + "/tables", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 201, backend.get().structure().createTable(Params.database(ctx), body(ctx)));
        });
        app.patch(TABLE, ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().updateTable(Params.database(ctx), Params.table(ctx), body(ctx)));
        });
        app.delete(TABLE, ctx -> {
            security.requireSession(ctx);
            backend.get().structure().dropTable(Params.database(ctx), Params.table(ctx), cascade(ctx));
            ctx.status(204);
        });
        app.put(TABLE + "/display", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().arrange(Params.database(ctx), Params.table(ctx), body(ctx)));
        });

        app.post(TABLE + "/columns", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 201, backend.get().structure().addColumn(Params.database(ctx), Params.table(ctx), body(ctx)));
        });
        app.patch(COLUMN, ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().updateColumn(Params.database(ctx), Params.table(ctx), Params.column(ctx), body(ctx)));
        });
        app.delete(COLUMN, ctx -> {
            security.requireSession(ctx);
            backend.get().structure().dropColumn(Params.database(ctx), Params.table(ctx), Params.column(ctx), cascade(ctx));
            ctx.status(204);
        });
        app.post(COLUMN + "/type-check", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().checkType(Params.database(ctx), Params.table(ctx), Params.column(ctx), body(ctx)));
        });

        app.post(TABLE + "/foreign-keys", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 201, backend.get().structure().addForeignKey(Params.database(ctx), Params.table(ctx), body(ctx)));
        });
        app.delete(TABLE + "/constraints/{constraint}", ctx -> {
            security.requireSession(ctx);
            backend.get().structure().dropConstraint(Params.database(ctx), Params.table(ctx),
                    Params.constraint(ctx), cascade(ctx));
            ctx.status(204);
        });
    }

    private static JsonNode body(Context ctx) {
        return Json.body(ctx, JsonNode.class);
    }

    /** {@code ?cascade=true}: also drop what depends on the thing dropped (the UI asks first). */
    private static boolean cascade(Context ctx) {
        String raw = ctx.queryParam("cascade");
        if (raw == null || raw.isEmpty() || raw.equals("false")) return false;
        if (raw.equals("true")) return true;
        throw new Problem(400, "invalid_parameter", "Invalid parameter \"cascade\"", "\"cascade\" must be true or false, not \"" + raw + "\".", null);
    }
}
