package dev.rowan.http;

import dev.rowan.catalog.Catalog;
import io.javalin.Javalin;
import java.util.function.Supplier;

/**
 * What a connected database holds: its schemas, their tables, and one table's columns (in the order
 * people arranged them, with their widths), keys and references.
 */
final class CatalogRoutes {
    private final Supplier<? extends Backend> backend;
    private final HttpSecurity security;

    CatalogRoutes(Supplier<? extends Backend> backend, HttpSecurity security) {
        this.backend = backend;
        this.security = security;
    }

    void register(Javalin app) {
        app.get("/api/v1/databases/{db}/schemas", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().databases().withConnection(Params.database(ctx), Catalog::schemas));
        });
        app.get("/api/v1/databases/{db}/tables", ctx -> {
            security.requireSession(ctx);
            String schema = ctx.queryParam("schema");
            Json.write(ctx, 200, backend.get().databases().withConnection(Params.database(ctx),
                    c -> Catalog.tables(c, schema == null || schema.isEmpty() ? null : schema)));
        });
        app.get("/api/v1/databases/{db}/tables/{table}", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().structure().describe(Params.database(ctx), Params.table(ctx)));
        });
    }
}
