package dev.rowan.http;

import dev.rowan.records.RecordService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;

/** The records of a table: pages, single records, changes, foreign-key helpers and CSV export. */
final class RecordRoutes {
    private static final String TABLE = "/api/v1/databases/{db}/tables/{table}";
    private static final String RECORDS = TABLE + "/records";

    private final Supplier<? extends Backend> backend;
    private final HttpSecurity security;

    RecordRoutes(Supplier<? extends Backend> backend, HttpSecurity security) {
        this.backend = backend;
        this.security = security;
    }

    void register(Javalin app) {
        app.get(RECORDS, ctx -> {
            security.requireSession(ctx);
            json(ctx, 200, records().page(Params.database(ctx), Params.table(ctx), ctx::queryParam));
        });
        app.post(RECORDS, ctx -> {
            security.requireSession(ctx);
            json(ctx, 201, records().insert(Params.database(ctx), Params.table(ctx), ctx.body()));
        });
        app.post(RECORDS + "/delete", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, records().deleteMany(Params.database(ctx), Params.table(ctx), ctx.body()));
        });
        app.get(RECORDS + "/{pk}", ctx -> {
            security.requireSession(ctx);
            json(ctx, 200, records().record(Params.database(ctx), Params.table(ctx), ctx.pathParam("pk")));
        });
        app.patch(RECORDS + "/{pk}", ctx -> {
            security.requireSession(ctx);
            json(ctx, 200, records().update(Params.database(ctx), Params.table(ctx), ctx.pathParam("pk"), ctx.body()));
        });
        app.delete(RECORDS + "/{pk}", ctx -> {
            security.requireSession(ctx);
            records().delete(Params.database(ctx), Params.table(ctx), ctx.pathParam("pk"));
            ctx.status(204);
        });
        app.get(RECORDS + "/{pk}/referrers", ctx -> {
            security.requireSession(ctx);
            json(ctx, 200, records().referrers(Params.database(ctx), Params.table(ctx), ctx.pathParam("pk")));
        });
        app.get(TABLE + "/filter-operators", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, records().filterOperators(Params.database(ctx), Params.table(ctx)));
        });
        app.get(TABLE + "/columns/{column}/candidates", ctx -> {
            security.requireSession(ctx);
            json(ctx, 200, records().candidates(Params.database(ctx), Params.table(ctx), Params.column(ctx), ctx::queryParam));
        });
        app.get(TABLE + "/export.csv", ctx -> {
            security.requireSession(ctx);
            try {
                records().export(Params.database(ctx), Params.table(ctx), ctx::queryParam, (fileName, disposition) -> {
                    ctx.status(200).contentType("text/csv; charset=utf-8").header("Content-Disposition", disposition);
                    return ctx.outputStream();
                });
            } catch (UncheckedIOException broken) {
                // The CSV was under way when the client went away or the database failed (logged by the export): the
                // connection is cut without the response's proper end, so that the download fails instead of looking complete.
                Request.getBaseRequest(ctx.req()).getHttpChannel().abort(broken.getCause());
            }
        });
    }

    private RecordService records() {
        return backend.get().records();
    }

    /** A JSON document PostgreSQL and the records service already wrote: sent as it is. */
    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }
}
