package dev.rowan.http;

import dev.rowan.Problem;
import dev.rowan.auth.AuthService;
import dev.rowan.config.IpRange;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.Session;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every request passes before it reaches a route: the Host allow-list, the same-origin check,
 * CSRF tokens on state-changing API requests, and the session behind the cookie.
 */
final class HttpSecurity {
    static final String SESSION_COOKIE = "rowan_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    /** Requests that start a session, so cannot carry its CSRF token; they must be JSON instead. */
    private static final Set<String> SESSION_STARTERS = Set.of("/api/v1/setup", "/api/v1/auth/login");

    private final Supplier<AuthService> auth;
    private final HostAllowList hosts;
    private final List<IpRange> trustedProxies;
    private final boolean publicUrlIsHttps;

    HttpSecurity(Settings settings, Supplier<AuthService> auth) {
        this.auth = auth;
        this.hosts = new HostAllowList(settings);
        this.trustedProxies = settings.get(Options.TRUSTED_PROXIES);
        this.publicUrlIsHttps = settings.find(Options.PUBLIC_URL).map(URI::getScheme).map("https"::equalsIgnoreCase).orElse(false);
    }

    void before(Context ctx) {
        ClientInfo client = ClientInfo.of(ctx, trustedProxies);
        ctx.attribute("client", client);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        if (ctx.path().startsWith("/health/")) {
            return;
        }
        if (!hosts.allows(client.hostName())) {
            throw new HostNotAllowed(client.hostName());
        }
        if (!ctx.path().startsWith("/api/") || !STATE_CHANGING.contains(ctx.method())) {
            return;
        }
        checkSameOrigin(ctx, client);
        if (SESSION_STARTERS.contains(ctx.path())) {
            String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json")) {
                throw new Problem(415, "unsupported_media_type", "The request must be JSON",
                        "Send the body with Content-Type: application/json.", null);
            }
            return;
        }
        String csrf = ctx.header(CSRF_HEADER);
        if (csrf == null || csrf.isEmpty()) {
            throw new Problem(403, "csrf_token_missing", "The CSRF token is missing",
                    "Requests that change something must carry the header " + CSRF_HEADER + ".",
                    "Take csrfToken from GET /api/v1/auth/session and send it in the " + CSRF_HEADER + " header.");
        }
        Session session = requireSession(ctx);
        if (!dev.rowan.auth.Tokens.constantTimeEquals(csrf, session.csrfToken())) {
            throw new Problem(403, "csrf_token_invalid", "The CSRF token is not valid",
                    "The " + CSRF_HEADER + " header does not match this session.",
                    "Reload the page, or take csrfToken from GET /api/v1/auth/session again.");
        }
    }

    private static void checkSameOrigin(Context ctx, ClientInfo client) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String expected = client.scheme() + "://" + (client.host() == null ? "" : client.host().toLowerCase(Locale.ROOT));
        if (!origin.toLowerCase(Locale.ROOT).equals(expected) && !sameHostIgnoringDefaultPort(origin, expected)) {
            throw new Problem(403, "cross_origin_refused", "Cross-site request refused",
                    "This request came from " + origin + ", not from Rowan's own pages.", null);
        }
    }

    private static boolean sameHostIgnoringDefaultPort(String origin, String expected) {
        try {
            URI a = URI.create(origin.toLowerCase(Locale.ROOT));
            URI b = URI.create(expected);
            return a.getScheme() != null && a.getScheme().equals(b.getScheme()) && a.getHost() != null
                    && a.getHost().equals(b.getHost()) && effectivePort(a) == effectivePort(b);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    /** The request's session, or empty; looked up once per request. */
    Optional<Session> session(Context ctx) {
        Optional<Session> cached = ctx.attribute("session");
        if (cached == null) {
            cached = auth.get().session(ctx.cookie(SESSION_COOKIE));
            ctx.attribute("session", cached);
            if (cached.isPresent()) {
                BodyLimit.signedIn(ctx);
            }
        }
        return cached;
    }

    Session requireSession(Context ctx) {
        return session(ctx).orElseThrow(() -> new Problem(401, "not_signed_in", "Not signed in",
                "This request needs a signed-in user.", "Sign in first (POST /api/v1/auth/login)."));
    }

    /** The session of a signed-in administrator; anyone else signed in gets 403 with {@code why} as the detail. */
    Session requireAdmin(Context ctx, String why) {
        Session session = requireSession(ctx);
        if (!session.admin()) {
            throw new Problem(403, "admin_only", "Only an administrator can do this", why, null);
        }
        return session;
    }

    void setSessionCookie(Context ctx, String token, Duration lifetime) {
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=" + token + "; Path=/; Max-Age=" + lifetime.toSeconds()
                + "; HttpOnly; SameSite=Lax" + (isSecure(ctx) ? "; Secure" : ""));
    }

    void clearSessionCookie(Context ctx) {
        ctx.res().addHeader("Set-Cookie", SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (isSecure(ctx) ? "; Secure" : ""));
    }

    private boolean isSecure(Context ctx) {
        ClientInfo client = ctx.attribute("client");
        return publicUrlIsHttps || (client != null && "https".equals(client.scheme()));
    }

    static ClientInfo client(Context ctx) {
        return ctx.attribute("client");
    }

    List<String> allowedHosts() {
        return hosts.hosts();
    }

    /** A request for a host that is not on the allow-list. */
    static final class HostNotAllowed extends RuntimeException {
        final String host;

        HostNotAllowed(String host) {
            super(null, null, false, false);
            this.host = host;
        }
    }
}
