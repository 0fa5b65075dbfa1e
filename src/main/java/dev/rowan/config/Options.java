package dev.rowan.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every configuration option Rowan has, declared once. Flags, environment variables, config-file
 * keys, validation, {@code rowan config show} and docs/configuration.md are all derived from this list.
 */
public final class Options {
    private Options() {
    }

    public static final Option<Path> DATA_DIR = Option.builder("data.dir", ValueType.PATH)
            .category("Storage")
            .computedDefault("`$XDG_DATA_HOME/rowan`, or `~/.local/share/rowan` when XDG_DATA_HOME is unset")
            .description("Where Rowan keeps everything it writes: its own config file (with the generated secret key), "
                    + "the SQLite internal database, and the built-in PostgreSQL server's data (`postgres/`, only once a database is created there or `database.default` is `builtin`). "
                    + "Created owner-only (mode 0700) when Rowan creates it.")
            .scope(Option.Scope.NOT_IN_DATA_DIR_FILE)
            .build();

    public static final Option<Path> CONFIG_FILE = Option.builder("config.file", ValueType.PATH)
            .category("Storage")
            .description("An extra config file read before the data directory's own `rowan.conf` (for example "
                    + "`/etc/rowan/rowan.conf`). Its settings win over `rowan.conf`; flags and environment variables win over both.")
            .scope(Option.Scope.FLAG_AND_ENV_ONLY)
            .build();

    public static final Option<DatabaseUrl> DATABASE_URL = Option.builder("database.url", ValueType.DATABASE_URL)
            .category("Storage")
            .computedDefault("as `database.default` says: the SQLite file `<data.dir>/rowan.db` unless it is `builtin`")
            .description("The internal database, where Rowan keeps its users, sessions and settings: a PostgreSQL URL. "
                    + "Unset means the database `database.default` names (a SQLite file in the data directory unless changed). Set it before first use: changing it later "
                    + "points Rowan at a different, empty database (Rowan notices and refuses to start).")
            .platformEnv("DATABASE_URL")
            .secret()
            .build();

    public static final Option<String> DATABASE_DEFAULT = Option.builder("database.default", ValueType.oneOf("sqlite", "builtin"))
            .category("Storage")
            .defaultValue("sqlite")
            .description("The internal database when `database.url` is unset: `sqlite`, the file `rowan.db` in the data directory; "
                    + "or `builtin`, a database `rowan` on the built-in PostgreSQL server (data in `<data.dir>/postgres`), which then "
                    + "starts and stops with Rowan. The Docker image sets `builtin`. A `database.url` always wins; the built-in server "
                    + "then starts only for databases created on it. Set it before first use: Rowan refuses to start when it changes later.")
            .build();

    public static final Option<String> SECRET_KEY = Option.builder("secret.key", ValueType.SECRET_KEY)
            .category("Security")
            .computedDefault("generated on first start (256 random bits) and stored in `<data.dir>/rowan.conf`")
            .description("The key from which Rowan derives the keys that encrypt stored database passwords. Keep it "
                    + "safe and never change it casually: Rowan refuses to start with a different key than the one it was installed with.")
            .secret()
            .build();

    public static final Option<String> HTTP_HOST = Option.builder("http.host", ValueType.TEXT)
            .category("HTTP")
            .defaultValue("0.0.0.0")
            .description("The address Rowan listens on. `0.0.0.0` means every IPv4 interface; use `127.0.0.1` to accept local connections only.")
            .build();

    public static final Option<Integer> HTTP_PORT = Option.builder("http.port", ValueType.PORT)
            .category("HTTP")
            .defaultValue("8000")
            .description("The TCP port Rowan listens on.")
            .platformEnv("PORT")
            .build();

    public static final Option<URI> PUBLIC_URL = Option.builder("public.url", ValueType.HTTP_URL)
            .category("HTTP")
            .description("The address people use to reach Rowan, e.g. `https://rowan.example.org`. Its host is allowed "
                    + "automatically, links Rowan prints use it, and with `https` session cookies are marked Secure.")
            .build();

    public static final Option<List<String>> ALLOWED_HOSTS = Option.builder("allowed.hosts", ValueType.HOST_LIST)
            .category("HTTP")
            .defaultValue("localhost,127.0.0.1,[::1]")
            .description("Host names Rowan answers to (the Host header). Requests for any other host get a 400 page. "
                    + "This protects against DNS rebinding; the host of `public.url` is always added.")
            .build();

    public static final Option<List<IpRange>> TRUSTED_PROXIES = Option.builder("trusted.proxies", ValueType.IP_RANGES)
            .category("HTTP")
            .defaultValue("")
            .description("Reverse proxies whose X-Forwarded-For, X-Forwarded-Proto and X-Forwarded-Host headers Rowan believes. "
                    + "Empty means none: the headers are ignored and the connecting address is the client.")
            .build();

    public static final Option<Duration> SESSION_LIFETIME = Option.builder("session.lifetime", ValueType.DURATION)
            .category("Security")
            .defaultValue("14d")
            .description("How long a sign-in lasts without use. Each use extends it.")
            .build();

    public static final Option<Integer> LOGIN_MAX_FAILURES = Option.builder("login.max-failures", ValueType.integer(1, 1000))
            .category("Security")
            .defaultValue("10")
            .description("Failed sign-ins allowed per user name and client address within `login.window` before "
                    + "further attempts are refused with 429 until the window ends.")
            .build();

    public static final Option<Duration> LOGIN_WINDOW = Option.builder("login.window", ValueType.DURATION)
            .category("Security")
            .defaultValue("15m")
            .description("The period over which failed sign-ins are counted.")
            .build();

    public static final Option<String> ADMIN_USERNAME = Option.builder("admin.username", ValueType.TEXT)
            .category("Automation")
            .description("With `admin.password`: create this administrator at start when no user exists yet, "
                    + "instead of the one-time setup link. Ignored once any user exists.")
            .build();

    public static final Option<String> ADMIN_PASSWORD = Option.builder("admin.password", ValueType.TEXT)
            .category("Automation")
            .description("The password for `admin.username`; prefer `ROWAN_ADMIN_PASSWORD_FILE`. Must follow the password rules "
                    + "(at least 10 characters, at least 4 different ones, not mostly the user name, not a common password).")
            .secret()
            .build();

    public static final Option<Integer> RECORDS_EXACT_COUNT_LIMIT = Option.builder("records.exact-count-limit", ValueType.integer(0, 100_000_000))
            .category("Records")
            .defaultValue("10000")
            .description("Counts up to this many matching rows exactly; beyond it, the planner's estimate is given and marked "
                    + "`countIsEstimate`. Counting stops after this many rows, so a page of a table with millions of rows costs "
                    + "about what a page of a small one costs; 0 means always estimate unless the whole result fits on the first page.")
            .build();

    public static final Option<String> LOG_LEVEL = Option.builder("log.level", ValueType.oneOf("error", "warn", "info", "debug", "trace"))
            .category("General")
            .defaultValue("info")
            .description("How much Rowan logs. Secrets are never logged at any level.")
            .build();

    public static final List<Option<?>> ALL = List.of(
            DATA_DIR, CONFIG_FILE, DATABASE_URL, DATABASE_DEFAULT, SECRET_KEY,
            HTTP_HOST, HTTP_PORT, PUBLIC_URL, ALLOWED_HOSTS, TRUSTED_PROXIES,
            SESSION_LIFETIME, LOGIN_MAX_FAILURES, LOGIN_WINDOW,
            ADMIN_USERNAME, ADMIN_PASSWORD, RECORDS_EXACT_COUNT_LIMIT, LOG_LEVEL);

    public static Optional<Option<?>> byKey(String key) {
        return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
    }
}
