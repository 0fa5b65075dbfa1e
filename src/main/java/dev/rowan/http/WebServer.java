package dev.rowan.http;

import dev.rowan.Problem;
import dev.rowan.UserFacingException;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabaseException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.util.JavalinBindException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.jetty.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP server: security checks, the API routes, health, and the web interface's files. */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    private static final String WEB_ROOT = "/web";

    private final Javalin app;
    private final List<String> routes;

    private WebServer(Javalin app, List<String> routes) {
        this.app = app;
        this.routes = routes;
    }

    /** Every route as "METHOD /path" (with {params}), in registration order: what the OpenAPI test compares with the document. */
    public List<String> routes() {
        return routes;
    }

    /**
     * Starts serving. The services may still be starting (Rowan opens its database meanwhile):
     * requests that need them wait, and /health/ready answers {@code notReady}'s problem (503) while it gives one.
     */
    public static WebServer start(Settings settings, Supplier<? extends Backend> backend, Supplier<Optional<Problem>> notReady) {
        HttpSecurity security = new HttpSecurity(settings, () -> backend.get().auth());
        boolean hasWebUi = WebServer.class.getResource(WEB_ROOT + "/index.html") != null;
        List<String> routes = new ArrayList<>();
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.events.handlerAdded(h -> routes.add(h.getHttpMethod() + " " + h.getPath()));
            config.startupWatcherEnabled = false;
            // BodyLimit counts every body as it is read; Javalin's own check sees only Content-Length.
            config.http.maxRequestSize = Long.MAX_VALUE;
            config.jetty.modifyServletContextHandler(handler ->
                    handler.addFilter(new FilterHolder(new BodyLimit()), "/*", EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MalformedRequests.MAX_HEADER_BYTES));
            config.jetty.modifyServer(server -> server.setErrorHandler(new MalformedRequests()));
            config.pvt.javaLangErrorHandler(WebServer::fatal);
            if (hasWebUi) {
                config.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = WEB_ROOT;
                    files.location = Location.CLASSPATH;
                });
            }
        });
        app.before(security::before);
        app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.cached()));
        app.get("/health/live", ctx -> Json.write(ctx, 200, Map.of("status", "live")));
        app.get("/health/ready", ctx -> notReady.get().ifPresentOrElse(
                problem -> Json.problem(ctx, problem),
                () -> Json.write(ctx, 200, Map.of("status", "ready"))));
        new AuthRoutes(() -> backend.get().auth(), security).register(app);
        new DatabaseRoutes(() -> backend.get().databases(), security).register(app);
        new CatalogRoutes(backend, security).register(app);
        new StructureRoutes(backend, security).register(app);
        new RecordRoutes(backend, security).register(app);
        new ImportRoutes(backend, security).register(app);
        new SettingsRoutes(settings, security).register(app);
        if (!hasWebUi) {
            app.get("/", ctx -> ctx.contentType("text/plain").result(
                    "Rowan is running, but this build has no web interface (it was built with -DskipWeb). The API is under /api/v1."));
        }

        app.exception(Problem.class, (e, ctx) -> Json.problem(ctx, e));
        app.exception(HttpSecurity.HostNotAllowed.class, (e, ctx) -> hostNotAllowed(ctx, e.host, security));
        app.exception(InternalDatabaseException.class, (e, ctx) -> {
            LOG.error("Internal database error on {} {}", ctx.method(), ctx.path(), e);
            Json.problem(ctx, new Problem(503, "internal_database_unavailable", "Rowan's internal database is unavailable",
                    "Rowan could not read or write its own database.", "See Rowan's log; the request can be retried."));
        });
        app.exception(Exception.class, (e, ctx) -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("Unexpected error {} on {} {}", reference, ctx.method(), ctx.path(), e);
            Json.problem(ctx, new Problem(500, "internal_error", "Something went wrong inside Rowan",
                    "The request failed unexpectedly (reference " + reference + ").", "See Rowan's log for the reference."));
        });
        byte[] indexHtml = hasWebUi ? readIndexHtml() : null;
        app.error(404, ctx -> {
            if (ctx.attribute(Json.PROBLEM_WRITTEN) != null) {
                return; // a route's own 404 (no such table, no such database), already explained
            }
            if (ctx.path().startsWith("/api/") || ctx.path().equals("/api") || ctx.path().startsWith("/health")) {
                Json.problem(ctx, new Problem(404, "not_found", "Not found", "There is no " + ctx.method() + " " + ctx.path() + ".", null));
            } else if (indexHtml != null && ctx.method() == HandlerType.GET && !ctx.path().startsWith("/assets/")) {
                // A page of the web interface (e.g. /setup): the single-page app routes it in the browser.
                ctx.status(200).contentType("text/html; charset=utf-8").header("Cache-Control", "no-cache").result(indexHtml);
            }
        });

        try {
            app.start(settings.get(Options.HTTP_HOST), settings.get(Options.HTTP_PORT));
        } catch (JavalinBindException e) {
            app.stop();
            throw new UserFacingException("Configuration error: http.port (from " + settings.source(Options.HTTP_PORT).describe() + ") is "
                    + settings.get(Options.HTTP_PORT) + ", but Rowan cannot listen on " + settings.get(Options.HTTP_HOST) + ":"
                    + settings.get(Options.HTTP_PORT) + " (another program probably uses that port). Stop that program, or choose another port with "
                    + Options.HTTP_PORT.flagName() + " or " + Options.HTTP_PORT.envName() + ".");
        }
        return new WebServer(app, List.copyOf(routes));
    }

    /**
     * An Error (out of memory, a stack overflow) in a request: Javalin only hands it to its own logger,
     * which Rowan silences, so without this it would vanish without a trace.
     */
    private static void fatal(HttpServletResponse response, Error error) {
        LOG.error("Fatal {} while answering a request: Rowan may be short of memory (JAVA_OPTS -Xmx sets the heap size)",
                error.getClass().getSimpleName(), error);
        response.setStatus(500);
    }

    private static byte[] readIndexHtml() {
        try (var in = WebServer.class.getResourceAsStream(WEB_ROOT + "/index.html")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void hostNotAllowed(Context ctx, String host, HttpSecurity security) {
        String detail = "Rowan does not answer to the host \"" + host + "\". Allowed: " + String.join(", ", security.allowedHosts()) + ".";
        String hint = "Add it to " + Options.ALLOWED_HOSTS.key() + " (environment variable " + Options.ALLOWED_HOSTS.envName()
                + ", flag " + Options.ALLOWED_HOSTS.flagName() + "), or set " + Options.PUBLIC_URL.key() + " ("
                + Options.PUBLIC_URL.envName() + ") to the address people use, and restart Rowan.";
        if (ctx.path().startsWith("/api/")) {
            Json.problem(ctx, new Problem(400, "host_not_allowed", "Host not allowed", detail, hint));
            return;
        }
        ctx.status(400).contentType("text/html; charset=utf-8").result("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>Host not allowed - Rowan</title></head><body style=\"font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5\">"
                + "<h1>Host not allowed</h1><p>" + escape(detail) + "</p><p>" + escape(hint) + "</p></body></html>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
