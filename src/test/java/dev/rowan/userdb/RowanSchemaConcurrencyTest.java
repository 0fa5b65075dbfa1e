package dev.rowan.userdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.migrations.Migrations;
import dev.rowan.testing.PostgresVersions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Installs that overlap or die midway, on every supported PostgreSQL major. Each test arranges the
 * overlap with a lock held from another connection instead of hoping two threads collide.
 */
class RowanSchemaConcurrencyTest {
    private static final String MAJORS = "dev.rowan.testing.PostgresVersions#majors";
    /** How many versions a fresh install applies: every migration this Rowan knows. */
    private static final int LATEST = new Migrations(RowanSchema.FOLDER, "postgresql", RowanSchema.HISTORY_TABLE, RowanSchema.LOCK_KEY).latestKnown();

    private final RowanSchema schema = new RowanSchema();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void twoInstallsAtOnceBothReturnAndOnlyOneAppliesTheMigrations(int major) throws Exception {
        String database = PostgresVersions.newDatabase(major);
        try (Connection gate = PostgresVersions.connect(major, database);
             Connection a = PostgresVersions.connect(major, database);
             Connection b = PostgresVersions.connect(major, database)) {
            advisoryLock(gate, "pg_advisory_lock");
            Future<Integer> first = threads.submit(() -> schema.install(a, "a"));
            Future<Integer> second = threads.submit(() -> schema.install(b, "b"));
            waitUntil(gate, "SELECT count(*) = 2 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
            advisoryLock(gate, "pg_advisory_unlock");

            List<Integer> applied = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));

            assertEquals(LATEST, applied.stream().mapToInt(Integer::intValue).sum(), "applied: " + applied);
            assertTrue(applied.contains(0), "applied: " + applied);
            assertEquals(IntStream.rangeClosed(1, LATEST).mapToObj(Integer::toString).toList(),
                    Sql.column(gate, "SELECT version FROM rowan.schema_history ORDER BY version"));
        }
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource(MAJORS)
    void anInstallKilledMidwayLeavesNothingAndALaterInstallSucceeds(int major) throws Exception {
        String database = PostgresVersions.newDatabase(major);
        try (Connection blocker = PostgresVersions.connect(major, database);
             Connection victim = PostgresVersions.connect(major, database)) {
            // An uncommitted CREATE SCHEMA rowan_types makes the install wait inside its transaction,
            // after it has created schema rowan and the history table.
            blocker.setAutoCommit(false);
            Sql.run(blocker, "CREATE SCHEMA rowan_types");
            String pid = Sql.one(victim, "SELECT pg_backend_pid()");
            Future<Integer> install = threads.submit(() -> schema.install(victim, "victim"));
            waitUntil(blocker, "SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = " + Integer.parseInt(pid));

            // What PostgreSQL sees when Rowan is killed -9 mid-install: the backend goes away with its transaction.
            assertEquals("t", Sql.one(blocker, "SELECT pg_terminate_backend(" + Integer.parseInt(pid) + ")"));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> install.get(30, TimeUnit.SECONDS));
            assertInstanceOf(SQLException.class, failed.getCause());
            blocker.rollback();
            blocker.setAutoCommit(true);

            assertEquals(List.of(), RowanSchemaTest.rowanLeftovers(blocker));
            try (Connection later = PostgresVersions.connect(major, database)) {
                assertEquals(LATEST, schema.install(later, "later"));
                assertEquals(RowanSchemaStatus.State.CURRENT, schema.status(later).state());
            }
        }
    }

    private static void advisoryLock(Connection c, String function) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + function + "(?)")) {
            p.setLong(1, RowanSchema.LOCK_KEY);
            p.execute();
        }
    }

    private static void waitUntil(Connection c, String condition) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"t".equals(Sql.one(c, condition))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + condition);
            }
            Thread.sleep(20);
        }
    }
}
