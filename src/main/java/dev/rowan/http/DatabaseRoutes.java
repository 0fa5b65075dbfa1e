package dev.rowan.http;

import dev.rowan.Problem;
import dev.rowan.userdb.ConnectionSpec;
import dev.rowan.userdb.PreflightResult;
import dev.rowan.userdb.UserDatabases;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Connected databases: list, test a connection, connect or create, removal preview, remove. */
final class DatabaseRoutes {
    /** A connection given as one URL or as separate fields; or, with builtin, a new database on the built-in server. */
    record ConnectRequest(String name, String url, String host, Integer port, String database, String username, String password,
                          String sslMode, Boolean builtin, Boolean sample, Boolean createDatabase) {
        ConnectionSpec spec() {
            try {
                if (url != null && !url.isBlank()) {
                    return ConnectionSpec.fromUrl(url);
                }
                return new ConnectionSpec(host, port == null ? 5432 : port, database, username, password, sslMode);
            } catch (IllegalArgumentException e) {
                throw new Problem(400, "invalid_connection", "The connection details are incomplete or malformed",
                        capitalize(e.getMessage()) + ".", "Give a postgres:// URL, or host, port, database, user name and password.");
            }
        }
    }

    private final Supplier<UserDatabases> databases;
    private final HttpSecurity security;

    DatabaseRoutes(Supplier<UserDatabases> databases, HttpSecurity security) {
        this.databases = databases;
        this.security = security;
    }

    void register(Javalin app) {
        app.get("/api/v1/databases", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, databases.get().list());
        });
        app.post("/api/v1/databases/test", ctx -> {
            requireAdmin(ctx);
            PreflightResult result = databases.get().test(Json.body(ctx, ConnectRequest.class).spec());
            if (!result.ok()) {
                throw UserDatabases.asProblem(result);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ok", true);
            body.put("serverVersion", result.serverVersion());
            body.put("checks", UserDatabases.checks(result));
            Json.write(ctx, 200, body);
        });
        app.post("/api/v1/databases", ctx -> {
            requireAdmin(ctx);
            ConnectRequest req = Json.body(ctx, ConnectRequest.class);
            UserDatabases.View view = Boolean.TRUE.equals(req.builtin())
                    ? databases.get().createBuiltin(req.name(), !Boolean.FALSE.equals(req.sample()))
                    : databases.get().connect(req.name(), req.spec(), Boolean.TRUE.equals(req.createDatabase()));
            Json.write(ctx, 201, view);
        });
        app.get("/api/v1/databases/{db}", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, databases.get().get(Params.database(ctx)));
        });
        app.get("/api/v1/databases/{db}/removal-preview", ctx -> {
            requireAdmin(ctx);
            Json.write(ctx, 200, Map.of("columns", databases.get().removalPreview(Params.database(ctx))));
        });
        app.delete("/api/v1/databases/{db}", ctx -> {
            requireAdmin(ctx);
            databases.get().remove(Params.database(ctx), Boolean.parseBoolean(ctx.queryParam("keepSchemas")));
            ctx.status(204);
        });
    }

    private void requireAdmin(Context ctx) {
        security.requireAdmin(ctx, "Managing databases needs an administrator.");
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? "The connection is malformed" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
