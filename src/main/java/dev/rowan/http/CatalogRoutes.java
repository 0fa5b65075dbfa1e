package dev.rowan.http;

import dev.rowan.catalog.Catalog;
import dev.rowan.catalog.Table;
import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What a connected database holds: its schemas, their tables, and one table's columns, keys and references. */
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
            long oid = Params.table(ctx);
            Map<String, Object> body = backend.get().databases().withConnection(Params.database(ctx), c -> {
                Table t = Catalog.table(c, oid);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("oid", t.oid());
                m.put("schema", t.schema());
                m.put("name", t.name());
                m.put("kind", t.kind());
                m.put("comment", t.comment());
                m.put("estimatedRows", Catalog.estimatedRows(c, oid));
                m.put("primaryKey", t.primaryKey().stream().map(col -> col.name()).toList());
                m.put("columns", t.columns());
                m.put("constraints", t.constraints());
                m.put("foreignKeys", t.foreignKeys());
                m.put("referencedBy", Catalog.referencesTo(c, oid));
                m.put("canInsert", t.canInsert() && !t.isView());
                m.put("canUpdate", t.canUpdate() && !t.isView() && !t.primaryKey().isEmpty());
                m.put("canDelete", t.canDelete() && !t.isView() && !t.primaryKey().isEmpty());
                return m;
            });
            Json.write(ctx, 200, body);
        });
    }
}
