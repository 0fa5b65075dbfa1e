package dev.rowan.http;

import dev.rowan.imports.ImportJobs;
import dev.rowan.imports.UploadForm;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

/** CSV/TSV imports: preview a file, start an import, follow it. Bodies are streamed to disk, never read into memory here. */
final class ImportRoutes {
    private final Supplier<? extends Backend> backend;
    private final HttpSecurity security;

    ImportRoutes(Supplier<? extends Backend> backend, HttpSecurity security) {
        this.backend = backend;
        this.security = security;
    }

    void register(Javalin app) {
        app.post("/api/v1/databases/{db}/imports/preview", ctx -> {
            requireSessionForUpload(ctx);
            long db = Params.database(ctx);
            ImportJobs imports = backend.get().imports();
            Json.write(ctx, 200, imports.preview(db, imports.receivePreview(ctx.req().getInputStream(), ctx.contentType(),
                    ctx.req().getContentLengthLong())));
        });
        app.post("/api/v1/databases/{db}/imports", ctx -> {
            requireSessionForUpload(ctx);
            long db = Params.database(ctx);
            ImportJobs imports = backend.get().imports();
            long id = imports.start(db, receive(ctx, imports));
            ctx.header("Location", "/api/v1/databases/" + db + "/imports/" + id);
            Json.write(ctx, 202, Map.of("id", id));
        });
        app.get("/api/v1/databases/{db}/imports", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().imports().list(Params.database(ctx)));
        });
        app.get("/api/v1/databases/{db}/imports/{id}", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, backend.get().imports().status(Params.database(ctx), Params.importId(ctx)));
        });
    }

    /** Uploads stream to disk under the imports' own size limit, so the signed-in body limit does not apply. */
    private void requireSessionForUpload(Context ctx) {
        security.requireSession(ctx);
        BodyLimit.lift(ctx);
    }

    private static UploadForm receive(Context ctx, ImportJobs imports) throws IOException {
        return imports.receive(ctx.req().getInputStream(), ctx.contentType(), ctx.req().getContentLengthLong());
    }
}
