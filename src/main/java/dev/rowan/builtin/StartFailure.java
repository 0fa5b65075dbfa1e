package dev.rowan.builtin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/** Reads what initdb, pg_ctl and PostgreSQL printed while the built-in server failed to start. */
final class StartFailure {
    /** Below this much free space PostgreSQL cannot initialise or start (its write-ahead log alone takes 16 MB segments). */
    private static final long DISK_NEARLY_FULL = 32L * 1024 * 1024;

    enum Cause { DISK_FULL, ROOT, PORT_TAKEN, OTHER }

    /** What pg_ctl prints when the server it started exited instead of accepting connections. */
    private static final String PG_CTL_GAVE_UP = "pg_ctl: could not start server";

    private StartFailure() {
    }

    /**
     * Starts the server. The library then waits for connections for its whole start-up wait (a minute, which a
     * first start or a long crash recovery may need), even after pg_ctl said that the server exited: here the
     * start-up output is watched, and the wait is cut short (by interrupting it) as soon as pg_ctl says so.
     */
    static EmbeddedPostgres startOrFail(EmbeddedPostgres.Builder builder, Path startLog) throws IOException {
        Thread starting = Thread.currentThread();
        AtomicBoolean gaveUp = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    if (Files.exists(startLog) && Files.readString(startLog, StandardCharsets.UTF_8).contains(PG_CTL_GAVE_UP)) {
                        gaveUp.set(true);
                        starting.interrupt();
                        return;
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException unreadable) {
                    // read again on the next round
                }
            }
        }, "rowan-builtin-postgres-start-watch");
        watcher.setDaemon(true);
        watcher.start();
        EmbeddedPostgres server;
        try {
            server = builder.start();
        } finally {
            watcher.interrupt();
            while (watcher.isAlive()) {
                Thread.onSpinWait();
            }
        }
        if (gaveUp.get()) {
            Thread.interrupted(); // the interrupt was ours, to end the library's wait
            closeDead(server); // releases the library's lock on the data directory
            throw new IOException("the server exited while starting");
        }
        return server;
    }

    /**
     * Forgets a server whose process has gone: the library's stop (pg_ctl) fails on it and says so at length,
     * with a stack trace, and only its lock on the data directory needs releasing. Rowan has said what happened.
     */
    static void closeDead(EmbeddedPostgres dead) throws IOException {
        ch.qos.logback.classic.Logger library = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.zonky");
        ch.qos.logback.classic.Level level = library.getLevel();
        library.setLevel(ch.qos.logback.classic.Level.OFF);
        try {
            dead.close();
        } finally {
            library.setLevel(level);
        }
    }

    static Cause classify(String output, Path dataDirectory) {
        String said = output.toLowerCase(Locale.ROOT);
        if (said.contains("no space left on device") || said.contains("disk full") || nearlyFull(dataDirectory)) {
            return Cause.DISK_FULL;
        }
        if (said.contains("cannot be run as root") || said.contains("unshare")) {
            return Cause.ROOT;
        }
        if (said.contains("address already in use") || said.contains("could not bind")) {
            return Cause.PORT_TAKEN;
        }
        return Cause.OTHER;
    }

    /** The last line that states an error, without the program's name and level, or null when none does. */
    static String lastError(String output) {
        List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            String lower = line.toLowerCase(Locale.ROOT);
            for (String marker : List.of("fatal:", "panic:", "error:", "unshare:")) {
                int at = lower.indexOf(marker);
                if (at >= 0) {
                    String rest = line.substring(at + (marker.equals("unshare:") ? 0 : marker.length())).strip();
                    return rest.isEmpty() ? null : rest;
                }
            }
        }
        return null;
    }

    private static boolean nearlyFull(Path dataDirectory) {
        Path existing = dataDirectory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing != null && Files.getFileStore(existing).getUsableSpace() < DISK_NEARLY_FULL;
        } catch (IOException | RuntimeException unknown) {
            return false;
        }
    }
}
