package dev.rowan.auth;

import dev.rowan.Problem;
import dev.rowan.UserFacingException;
import dev.rowan.config.Options;
import dev.rowan.config.Settings;
import dev.rowan.internal.InternalDatabase;
import dev.rowan.internal.LoginFailureStore;
import dev.rowan.internal.Session;
import dev.rowan.internal.SessionStore;
import dev.rowan.internal.User;
import dev.rowan.internal.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Setup, sign-in, sessions and sign-out, with no HTTP in sight. */
public final class AuthService {
    /** A new session: the cookie token goes to the browser only, the CSRF token with every change. */
    public record SignedIn(String sessionToken, String username, String csrfToken, Duration lifetime) {
        @Override
        public String toString() {
            return "SignedIn[" + username + "]";
        }
    }

    private static final long EXTEND_AFTER_MILLIS = 60_000;

    private final UserStore users;
    private final SessionStore sessions;
    private final LoginFailureStore failures;
    private final Duration lifetime;
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    /** Sign-ins and setup, the argon2 work anyone can ask for before signing in, pass it: a few at once, a short line, the rest 503 busy. */
    private final Argon2Gate gate = Argon2Gate.forThisMachine();

    public AuthService(InternalDatabase db, Settings settings, Clock clock) {
        this.users = new UserStore(db);
        this.sessions = new SessionStore(db);
        this.failures = new LoginFailureStore(db);
        this.lifetime = settings.get(Options.SESSION_LIFETIME);
        this.maxFailures = settings.get(Options.LOGIN_MAX_FAILURES);
        this.window = settings.get(Options.LOGIN_WINDOW);
        this.clock = clock;
    }

    public boolean setupRequired() {
        return !users.isSetUp();
    }

    /** A fresh one-time setup token; valid (with any earlier ones) until the administrator exists. */
    public String issueSetupToken() {
        String token = Tokens.random();
        users.addSetupToken(Tokens.hash(token), clock.millis());
        return token;
    }

    public SignedIn setup(String token, String username, String password) {
        if (!setupRequired()) {
            throw alreadySetUp();
        }
        if (token == null || token.isBlank()) {
            throw tokenInvalid();
        }
        validate(username, password);
        String passwordHash = gate.run(() -> Passwords.hash(password));
        switch (users.createFirstAdmin(Tokens.hash(token), username, passwordHash, clock.millis())) {
            case ALREADY_SET_UP -> throw alreadySetUp();
            case TOKEN_INVALID -> throw tokenInvalid();
            default -> {
                return startSession(users.findByUsername(username).orElseThrow());
            }
        }
    }

    /**
     * Creates the administrator from configuration (automation) when no one is set up yet.
     * Returns true when it did; an unacceptable name or password stops start-up.
     */
    public boolean bootstrapAdmin(String username, String password) {
        if (!setupRequired()) {
            return false;
        }
        PasswordRules.checkUsername(username).or(() -> PasswordRules.checkPassword(password, username)).ifPresent(rule -> {
            throw new UserFacingException("Configuration error: " + Options.ADMIN_USERNAME.key() + "/" + Options.ADMIN_PASSWORD.key()
                    + " cannot create the administrator: " + rule);
        });
        return users.createFirstAdmin(null, username, Passwords.hash(password), clock.millis()) == UserStore.SetupOutcome.CREATED;
    }

    public SignedIn login(String username, String password, String clientAddress) {
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            throw new Problem(422, "missing_credentials", "User name and password are required",
                    "Send both a user name and a password.", null);
        }
        return gate.run(() -> checkedLogin(username, password, clientAddress));
    }

    private SignedIn checkedLogin(String username, String password, String clientAddress) {
        String key = username.toLowerCase(Locale.ROOT) + "|" + clientAddress;
        long now = clock.millis();
        // Counted before the check, in one statement: parallel guesses cannot all read "under the limit".
        LoginFailureStore.Attempts attempts = failures.countAttempt(key, now, window.toMillis());
        if (attempts.count() > maxFailures) {
            throw rateLimited(attempts.windowStart() + window.toMillis() - now);
        }
        Optional<User> user = users.findByUsername(username);
        boolean ok = user.isPresent() ? Passwords.verify(password, user.get().passwordHash()) : verifyNothing(password);
        if (!ok) {
            throw new Problem(401, "invalid_credentials", "Wrong user name or password",
                    "The user name or the password is not right.",
                    "An administrator can reset a password with `rowan admin reset-password`.");
        }
        failures.clear(key);
        return startSession(user.get());
    }

    private static boolean verifyNothing(String password) {
        Passwords.verifyNothing(password);
        return false;
    }

    /** The session behind a cookie token, extended when in use. */
    public Optional<Session> session(String sessionToken) {
        if (sessionToken == null || sessionToken.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        String hash = Tokens.hash(sessionToken);
        Optional<Session> session = sessions.find(hash, now);
        session.filter(s -> now - s.lastSeenAt() > EXTEND_AFTER_MILLIS)
                .ifPresent(s -> sessions.extend(hash, now, now + lifetime.toMillis()));
        return session;
    }

    public void logout(String sessionToken) {
        if (sessionToken != null) {
            sessions.delete(Tokens.hash(sessionToken));
        }
    }

    public Duration sessionLifetime() {
        return lifetime;
    }

    private SignedIn startSession(User user) {
        String token = Tokens.random();
        String csrf = Tokens.random();
        long now = clock.millis();
        sessions.create(Tokens.hash(token), user.id(), csrf, now, now + lifetime.toMillis());
        return new SignedIn(token, user.username(), csrf, lifetime);
    }

    private static void validate(String username, String password) {
        PasswordRules.checkUsername(username).ifPresent(rule -> {
            throw new Problem(422, "invalid_username", "This user name cannot be used", rule, null);
        });
        PasswordRules.checkPassword(password, username).ifPresent(rule -> {
            throw new Problem(422, "weak_password", "This password is too weak", rule,
                    "Use a long passphrase of several unrelated words.");
        });
    }

    private static Problem alreadySetUp() {
        return new Problem(409, "already_set_up", "Rowan is already set up",
                "The administrator account exists; setup cannot run again.", "Sign in instead.");
    }

    private static Problem tokenInvalid() {
        return new Problem(403, "setup_token_invalid", "The setup link is not valid",
                "Setup needs the one-time token from the setup link, and this one is missing or wrong.",
                "Open the link Rowan printed at start (the line containing setup?token=) in its console or log.");
    }

    private static Problem rateLimited(long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new Problem(429, "rate_limited", "Too many failed sign-ins",
                "Sign-in is paused for this user name from your address after too many failed attempts.",
                "Try again in " + (seconds >= 120 ? (seconds + 59) / 60 + " minutes" : seconds + " seconds") + ".",
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /** For `rowan admin reset-password`. */
    public void resetPassword(String username, String password) {
        User user = users.findByUsername(username).orElseThrow(() -> new UserFacingException(
                "There is no user named \"" + username + "\"."));
        PasswordRules.checkPassword(password, user.username()).ifPresent(rule -> {
            throw new UserFacingException(rule);
        });
        users.changePassword(user.id(), Passwords.hash(password), clock.millis());
    }
}
