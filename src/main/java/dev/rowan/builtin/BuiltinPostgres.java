package dev.rowan.builtin;

import dev.rowan.UserFacingException;
import dev.rowan.secret.SecretKeys;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

    private final Path dataDirectory;
    private final Supplier<String> superuserPassword;
    private EmbeddedPostgres server;

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

    /** Starts the server if it is not running (the first time, initialises its data directory); returns its port. */
    public synchronized int start() {
        if (server != null) {
            return server.getPort();
        }
        stopLeftOver();
        String password = superuserPassword.get();
        Path passwordFile = dataDirectory.resolveSibling(".postgres-initial-password");
        boolean fresh = !isInitialised();
        long started = System.nanoTime();
        try {
            if (fresh) {
                Files.createDirectories(dataDirectory.getParent());
                Files.deleteIfExists(passwordFile);
                Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            }
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // initdb: the superuser gets the random password, and every connection must present it
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setServerConfig("listen_addresses", "localhost")
                    .setConnectConfig("password", password)
                    .start();
            LOG.info("Built-in PostgreSQL started on localhost:{} in {} ms ({})", server.getPort(),
                    (System.nanoTime() - started) / 1_000_000, fresh ? "new data directory " + dataDirectory : dataDirectory);
            return server.getPort();
        } catch (IOException | RuntimeException e) {
            server = null;
            throw cannotStart(e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // best effort: the file is owner-only, and the password is kept where the supplier keeps it
            }
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
            orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
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
        return postmasterLine(1).flatMap(pid -> {
            try {
                return ProcessHandle.of(Long.parseLong(pid));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).filter(ProcessHandle::isAlive).filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false));
    }

    /** Line n (from 1) of postmaster.pid: 1 is the server's process id, 4 its port. */
    private Optional<String> postmasterLine(int n) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() < n ? Optional.empty() : Optional.of(lines.get(n - 1).strip());
        } catch (IOException | RuntimeException missingOrUnreadable) {
            return Optional.empty();
        }
    }

    private UserFacingException cannotStart(Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean root = "root".equals(System.getProperty("user.name"));
        return new UserFacingException("The built-in PostgreSQL server could not start (" + reason + "). "
                + (root ? "Rowan runs as root: PostgreSQL refuses to, so Rowan runs it in a user namespace (unshare -U), "
                        + "which this system may not allow (e.g. Docker's default seccomp profile). Run Rowan as an ordinary user, or "
                        : "Check that " + dataDirectory + " is writable and the disk is not full, or ")
                + "connect an existing PostgreSQL server instead.");
    }

    /** Stops the server if it runs; it starts again when next needed. */
    @Override
    public synchronized void close() {
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
