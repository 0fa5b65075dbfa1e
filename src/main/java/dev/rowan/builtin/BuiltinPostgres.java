package dev.rowan.builtin;

import dev.rowan.UserFacingException;
import dev.rowan.secret.SecretKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server whose binaries ship inside Rowan. Its data lives in {@code <data-dir>/postgres};
 * it starts only when a database on it is used, listens on localhost only, requires the superuser's
 * (random) password, and stops when Rowan stops.
 */
public final class BuiltinPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BuiltinPostgres.class);
    public static final String SUPERUSER = "postgres";
    /** Beside {@code postgres/}: the superuser's password when the server holds the internal database. */
    public static final String PASSWORD_FILE = "postgres.password";

    /** Waits between restart attempts after the server died: quick at first, then every 15 s. */
    private static final long[] RESTART_DELAYS_MS = {200, 1_000, 2_000, 4_000, 8_000, 15_000};
    /** How often the watchdog looks at the server's process. */
    private static final long WATCH_INTERVAL_MS = 500;
    /** Where the server's start-up output goes (initdb, pg_ctl, messages before its own log takes over). */
    private static final String START_LOG = "postgres-start.log";

    private final Path dataDirectory;
    private final Supplier<String> superuserPassword;
    private EmbeddedPostgres server;
    /** The port of the first start, kept: a restarted server answers where the pools already connect. */
    private int port;
    /** Non-null while the server has died unexpectedly and is being restarted. */
    private volatile Outage outage;
    private ScheduledExecutorService watchdog;
    private ScheduledFuture<?> watching;

    /**
     * Since when the server has been down after dying unexpectedly, how many restarts were tried, and the
     * last failure's reason (null before the first attempt).
     */
    public record Outage(Instant since, int attempts, String lastFailure) {
        /** One sentence for signed-in people: the Databases page, the problem of a request on its databases. */
        public String describe() {
            return describe(true);
        }

        /**
         * The same without the last failure's words, which name paths on this machine: for /health/ready, which
         * answers anyone who can reach it.
         */
        public String summary() {
            return describe(false);
        }

        private String describe(boolean withFailure) {
            return "The built-in PostgreSQL server stopped unexpectedly at " + since.truncatedTo(ChronoUnit.SECONDS)
                    + " and Rowan is restarting it" + (attempts == 0 ? "." : " (" + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + " so far" + (lastFailure == null || !withFailure ? "" : "; the last one failed: " + lastFailure) + ").");
        }
    }

    /**
     * @param superuserPassword gives the password, creating (and storing) a new random one the first time;
     *                          called only when the server is started
     */
    public BuiltinPostgres(Path rowanDataDir, Supplier<String> superuserPassword) {
        this.dataDirectory = dataDirectory(rowanDataDir);
        this.superuserPassword = superuserPassword;
    }

    /** Where the server keeps its data in Rowan's data directory. */
    public static Path dataDirectory(Path rowanDataDir) {
        return rowanDataDir.resolve("postgres");
    }

    /** True when a server has been initialised in Rowan's data directory (it may be stopped). */
    public static boolean isInitialised(Path rowanDataDir) {
        return Files.exists(dataDirectory(rowanDataDir).resolve("PG_VERSION"));
    }

    /**
     * The server that holds the internal database itself. Its password cannot be kept in the database it
     * protects, so it lives in an owner-only file beside the server's data ({@value #PASSWORD_FILE}), on the
     * same disk or volume: whoever can read that file can read the server's files anyway. Unlike a password
     * derived from the secret key, it survives `rowan secret rotate` and `secret adopt` unchanged, and a
     * wrong secret key is still explained by its fingerprint rather than by a failed sign-in to PostgreSQL.
     */
    public static BuiltinPostgres withPasswordFile(Path rowanDataDir) {
        return new BuiltinPostgres(rowanDataDir, () -> readOrCreatePassword(rowanDataDir));
    }

    private static String readOrCreatePassword(Path rowanDataDir) {
        Path file = rowanDataDir.resolve(PASSWORD_FILE);
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!password.isEmpty()) return password;
        } catch (NoSuchFileException e) {
            // created below, unless the server already exists
        } catch (IOException e) {
            throw new UserFacingException("Rowan cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "), the password of the built-in PostgreSQL server. Give the user running Rowan access to it.");
        }
        if (isInitialised(rowanDataDir)) {
            throw new UserFacingException("The built-in PostgreSQL server in " + dataDirectory(rowanDataDir) + " was set up with the password kept in "
                    + file + ", which is missing or empty. Restore that file from a backup of the data directory.");
        }
        String password = SecretKeys.generate();
        try {
            // written whole under another name, then renamed: a crash never leaves half a password behind
            Path partial = Files.createTempFile(file.getParent(), ".postgres-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, password + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserFacingException("Rowan cannot write " + file + " (" + e.getClass().getSimpleName()
                    + "), the password of the built-in PostgreSQL server. Check that the data directory is writable.");
        }
        return password;
    }

    /** The superuser's password (created the first time, as the constructor's supplier does it). */
    public String superuserPassword() {
        return superuserPassword.get();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** True when the server has been initialised in the data directory (it may be stopped). */
    public boolean isInitialised() {
        return isInitialised(dataDirectory.getParent());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Present while the server has died unexpectedly and Rowan is restarting it. */
    public Optional<Outage> outage() {
        return Optional.ofNullable(outage);
    }

    /**
     * For maintenance commands (`rowan check`, `rowan admin …`) while Rowan may be running: the port of the
     * server a running Rowan started on this data directory, used without taking it over (closing this object
     * leaves it running); otherwise the server is started as by {@link #start()}.
     */
    public synchronized int joinOrStart() {
        if (server == null) {
            Optional<Integer> port = runningServer().flatMap(running -> postmasterLine(4)).map(Integer::valueOf);
            if (port.isPresent()) return port.get();
        }
        return start();
    }

    /**
     * Starts the server if it is not running (the first time, initialises its data directory); returns its port.
     * While a server that died is being restarted, this does not start another attempt of its own: it says so
     * at once, and the request that asked can be retried.
     */
    public synchronized int start() {
        if (server != null) {
            return server.getPort();
        }
        Outage down = outage;
        if (down != null) {
            throw new UserFacingException(down.describe());
        }
        startServer();
        return server.getPort();
    }

    /** Starts the server process and begins watching it; the caller holds the lock and server is null. */
    private void startServer() {
        stopLeftOver();
        String password = superuserPassword.get();
        Path passwordFile = dataDirectory.resolveSibling(".postgres-initial-password");
        Path startLog = dataDirectory.resolveSibling(START_LOG);
        boolean fresh = !isInitialised();
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDirectory.getParent());
            if (fresh) {
                Files.deleteIfExists(passwordFile);
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            }
            Files.deleteIfExists(startLog);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // what initdb and the server say while starting, to explain a failure (a full disk, a refused root)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(startLog.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(startLog.toFile()))
                    // initdb: the superuser gets the random password, and every connection must present it
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setServerConfig("listen_addresses", "localhost")
                    .setConnectConfig("password", password);
            durable(builder);
            if (port != 0) {
                requireFree(port);
                builder.setPort(port);
            }
            server = StartFailure.startOrFail(builder, startLog);
            port = server.getPort();
            LOG.info("Built-in PostgreSQL started on localhost:{} in {} ms ({})", port,
                    (System.nanoTime() - started) / 1_000_000, fresh ? "new data directory " + dataDirectory : dataDirectory);
            watch();
        } catch (UserFacingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            server = null;
            throw cannotStart(e, startLog);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // best effort: the file is owner-only, and the password is kept where the supplier keeps it
            }
        }
    }

    /**
     * The embedding library starts PostgreSQL for tests: fsync off ({@code -F}) and asynchronous commit, so an
     * acknowledged write can be lost when the server is killed and the cluster corrupted by a power loss. The
     * built-in server holds real data: these settings come after {@code -F} on the server's command line and
     * win, restoring PostgreSQL's durable defaults. Its own log is kept in {@code log/} in its data directory,
     * one file per weekday, each overwritten a week later.
     */
    static void durable(EmbeddedPostgres.Builder builder) {
        builder.setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", "log")
                .setServerConfig("log_filename", "postgresql-%a.log")
                .setServerConfig("log_rotation_age", "1d")
                .setServerConfig("log_rotation_size", "0")
                .setServerConfig("log_truncate_on_rotation", "on");
    }

    /**
     * A restarted server must answer on its old port, where the pools connect. When another program took it
     * meanwhile, this says so at once instead of waiting a minute for a server that cannot listen.
     */
    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // bound (Java binds server sockets with SO_REUSEADDR, so connections of the dead server do not count)
        } catch (IOException e) {
            throw new UserFacingException("Another program now uses port " + port + " on localhost, where the built-in PostgreSQL server "
                    + "must answer. Stop that program; Rowan keeps trying.");
        }
    }

    /** Looks at the server's process every {@value #WATCH_INTERVAL_MS} ms; when it is gone without being stopped, restarts it. */
    private void watch() {
        if (watchdog == null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rowan-builtin-postgres-watchdog");
                t.setDaemon(true);
                return t;
            });
        }
        // parsed as everywhere else here: a NumberFormatException would leave the just-started server running but forgotten
        long pid = postmasterLine(1).flatMap(BuiltinPostgres::parsePid).orElse(-1L);
        EmbeddedPostgres watched = server;
        watching = watchdog.scheduleWithFixedDelay(() -> {
            if (pid > 0 && !Processes.isRunning(pid)) {
                died(watched, pid);
            }
        }, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private synchronized void died(EmbeddedPostgres watched, long pid) {
        if (server != watched) {
            return; // stopped or replaced meanwhile
        }
        outage = new Outage(Instant.now(), 0, null);
        LOG.error("The built-in PostgreSQL server (pid {}) stopped unexpectedly; Rowan restarts it on port {}", pid, port);
        watching.cancel(false);
        try {
            // orphans first: once they are gone the stale postmaster.pid goes too, and the library's stop of the dead
            // server (in release) ends at once instead of waiting on it
            killOrphans();
            release();
        } catch (RuntimeException e) {
            // a restart must be scheduled whatever went wrong here: the executor would swallow this silently
            server = null;
            LOG.error("Clearing up after the built-in PostgreSQL server failed; restarting it anyway", e);
        }
        scheduleRestart(0);
    }

    /** Schedules restart attempt {@code attempt + 1}; returns how long it waits, in ms. */
    private long scheduleRestart(int attempt) {
        long delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)];
        watching = watchdog.schedule(() -> restart(attempt + 1), delay, TimeUnit.MILLISECONDS);
        return delay;
    }

    private synchronized void restart(int attempt) {
        Outage down = outage;
        if (down == null || server != null) {
            return; // closed meanwhile
        }
        try {
            killOrphans();
            startServer();
            outage = null;
            LOG.warn("The built-in PostgreSQL server is back on port {}, {} ms after it stopped ({} restart {})", port,
                    Duration.between(down.since(), Instant.now()).toMillis(), attempt, attempt == 1 ? "attempt" : "attempts");
        } catch (RuntimeException e) {
            outage = new Outage(down.since(), attempt, e.getMessage());
            long next = scheduleRestart(attempt);
            LOG.error("Restarting the built-in PostgreSQL server failed (attempt {}); trying again in {} ms: {}", attempt, next, e.getMessage());
        }
    }

    /**
     * Server processes whose postmaster was killed go on for a while (a query under way finishes first) and
     * keep its shared memory: PostgreSQL refuses to start beside them. Their postmaster is gone, so they can
     * only be stopped; the new server recovers from its write-ahead log as after any crash. Then a postmaster.pid
     * naming a dead process, or one never reaped (a zombie, where Rowan runs as PID 1 in a container), is removed:
     * PostgreSQL itself would take a zombie for a running server.
     */
    private void killOrphans() {
        List<ProcessHandle> orphans = Processes.postgresIn(dataDirectory);
        if (!orphans.isEmpty()) {
            LOG.warn("Stopping {} server processes left by the built-in PostgreSQL server that died", orphans.size());
            orphans.forEach(ProcessHandle::destroyForcibly);
            // polled: the exit of a process that is not Rowan's child is noticed late, and a zombie's never
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (orphans.stream().anyMatch(p -> Processes.isRunning(p.pid())) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break; // the start that follows says what is still in the way
                }
            }
        }
        Optional<Long> pid = postmasterLine(1).flatMap(BuiltinPostgres::parsePid);
        if (pid.isPresent() && !Processes.isRunning(pid.get())) {
            // the lock of its Unix socket names the same process, in the socket directory postmaster.pid gives
            Optional<Path> socketLock = postmasterLine(5).filter(dir -> !dir.isEmpty())
                    .flatMap(dir -> postmasterLine(4).map(p -> Path.of(dir, ".s.PGSQL." + p + ".lock")));
            socketLock.filter(lock -> firstLine(lock).flatMap(BuiltinPostgres::parsePid).equals(pid)).ifPresent(this::removeStale);
            removeStale(dataDirectory.resolve("postmaster.pid"));
        }
    }

    private void removeStale(Path lockFile) {
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException e) {
            LOG.warn("Could not remove the stale {}: {}", lockFile, e.getMessage());
        }
    }

    private static Optional<String> firstLine(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return Optional.ofNullable(r.readLine()).map(String::strip);
        } catch (IOException | RuntimeException missingOrUnreadable) {
            return Optional.empty();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * A Rowan that was killed (SIGKILL, out of memory) cannot stop its server, which then keeps the data
     * directory locked and would refuse every later start. The server named in postmaster.pid is that
     * orphan when it still runs on this data directory: asked to shut down (SIGTERM, PostgreSQL's "smart"
     * shutdown, which finishes cleanly; its clients died with the old Rowan) before starting anew.
     */
    private void stopLeftOver() {
        ProcessHandle orphan = runningServer().orElse(null);
        if (orphan == null) return;
        long pid = orphan.pid();
        LOG.warn("A built-in PostgreSQL server left running by an earlier Rowan (pid {}) holds {}; stopping it first", pid, dataDirectory);
        orphan.destroy();
        try {
            orphan.onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UserFacingException("A PostgreSQL server (pid " + pid + ") left running by an earlier Rowan still holds " + dataDirectory
                    + " and did not stop within 30 seconds. Stop it (kill " + pid + "), then retry.");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("Interrupted while waiting for an earlier built-in PostgreSQL server to stop.");
        }
    }

    /** The PostgreSQL process named in postmaster.pid when it still runs: PostgreSQL itself judges a stale or damaged file. */
    private Optional<ProcessHandle> runningServer() {
        return postmasterLine(1).flatMap(BuiltinPostgres::parsePid)
                .filter(Processes::isRunning)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    }

    /** Line n (from 1) of postmaster.pid: 1 is the server's process id, 4 its port, 5 its socket directory. */
    private Optional<String> postmasterLine(int n) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() < n ? Optional.empty() : Optional.of(lines.get(n - 1).strip());
        } catch (IOException | RuntimeException missingOrUnreadable) {
            return Optional.empty();
        }
    }

    /**
     * Why the server could not start, from what initdb and PostgreSQL printed: a full disk is named as such, and
     * the user namespace that Rowan needs as root is blamed only when PostgreSQL refused to run as root.
     */
    private UserFacingException cannotStart(Exception e, Path startLog) {
        String output = "";
        try {
            output = Files.exists(startLog) ? Files.readString(startLog, StandardCharsets.UTF_8) : "";
        } catch (IOException | RuntimeException unreadable) {
            // explained without it
        }
        String said = StartFailure.lastError(output);
        String reason = said != null ? said : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String advice = switch (StartFailure.classify(output, dataDirectory)) {
            case DISK_FULL -> "The disk holding " + dataDirectory + " is full: free some space (or give the volume more), and Rowan starts it again.";
            case ROOT -> "Rowan runs as root: PostgreSQL refuses to, so Rowan runs it in a user namespace (unshare -U), which this system "
                    + "does not allow (e.g. Docker's default seccomp profile). Run Rowan as an ordinary user.";
            // no port yet on a first start: the library chose a free one, which another program took meanwhile
            case PORT_TAKEN -> port == 0 ? "Another program took the free port chosen for it while it started; try again."
                    : "Another program now uses port " + port + ", where the server must answer; stop it.";
            case OTHER -> "Check that " + dataDirectory + " is writable; the server's own words are in " + startLog + ".";
        };
        return new UserFacingException("The built-in PostgreSQL server could not start (" + reason + "). " + advice
                + " Or connect an existing PostgreSQL server instead.");
    }

    /** Forgets the server object (and its lock on the data directory) of a server whose process has gone. */
    private void release() {
        EmbeddedPostgres dead = server;
        server = null;
        try {
            StartFailure.closeDead(dead);
        } catch (IOException e) {
            LOG.debug("Releasing the stopped built-in PostgreSQL server: {}", e.getMessage());
        }
    }

    /** Stops the server if it runs; it starts again when next needed. A restart under way is abandoned. */
    @Override
    public synchronized void close() {
        if (watching != null) {
            watching.cancel(false);
            watching = null;
        }
        if (watchdog != null) {
            watchdog.shutdownNow();
            watchdog = null;
        }
        outage = null;
        if (server == null) {
            return;
        }
        try {
            server.close();
            LOG.info("Built-in PostgreSQL stopped");
        } catch (IOException e) {
            LOG.warn("The built-in PostgreSQL did not stop cleanly: {}", e.getMessage());
        } finally {
            server = null;
        }
    }
}
