package dev.rowan.http;

import dev.rowan.Version;
import dev.rowan.auth.AuthService;
import dev.rowan.internal.Session;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Supplier;

/** Setup, sign-in, session and sign-out: the API routes that work before anyone is signed in. */
final class AuthRoutes {
    record SetupRequest(String token, String username, String password) {
    }

    record LoginRequest(String username, String password) {
    }

    private final Supplier<AuthService> auth;
    private final HttpSecurity security;

    AuthRoutes(Supplier<AuthService> auth, HttpSecurity security) {
        this.auth = auth;
        this.security = security;
    }

    void register(Javalin app) {
        app.get("/api/v1/setup", ctx -> Json.write(ctx, 200, Map.of("setupRequired", auth.get().setupRequired())));
        app.post("/api/v1/setup", this::setup);
        app.post("/api/v1/auth/login", this::login);
        app.get("/api/v1/auth/session", this::session);
        app.post("/api/v1/auth/logout", this::logout);
        app.get("/api/v1/server", ctx -> {
            security.requireSession(ctx);
            Json.write(ctx, 200, Map.of("version", Version.current()));
        });
    }

    private void setup(Context ctx) {
        SetupRequest req = Json.body(ctx, SetupRequest.class);
        signedIn(ctx, 201, auth.get().setup(req.token(), req.username(), req.password()));
    }

    private void login(Context ctx) {
        LoginRequest req = Json.body(ctx, LoginRequest.class);
        signedIn(ctx, 200, auth.get().login(req.username(), req.password(), HttpSecurity.client(ctx).address()));
    }

    private void signedIn(Context ctx, int status, AuthService.SignedIn s) {
        security.setSessionCookie(ctx, s.sessionToken(), s.lifetime());
        Json.write(ctx, status, Map.of("username", s.username(), "csrfToken", s.csrfToken()));
    }

    private void session(Context ctx) {
        Session s = security.requireSession(ctx);
        Json.write(ctx, 200, Map.of("username", s.username(), "csrfToken", s.csrfToken(), "admin", s.admin()));
    }

    private void logout(Context ctx) {
        auth.get().logout(ctx.cookie(HttpSecurity.SESSION_COOKIE));
        security.clearSessionCookie(ctx);
        ctx.status(204);
    }
}
