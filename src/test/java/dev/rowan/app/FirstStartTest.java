package dev.rowan.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rowan.UserFacingException;
import dev.rowan.Version;
import dev.rowan.migrations.Migrations;
import dev.rowan.testing.TestRowan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartTest {
    @TempDir
    Path tmp;

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void zeroConfigurationStartCreatesAnOwnerOnlyDataDirectoryWithSecretAndSqliteDatabase() throws IOException {
        Path data = tmp.resolve("nested/rowan");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertEquals("rwx------", perms(data));
            assertEquals("rw-------", perms(data.resolve("rowan.conf")));
            assertEquals("rw-------", perms(data.resolve("rowan.db")));
            String conf = Files.readString(data.resolve("rowan.conf"));
            assertTrue(conf.matches("(?s).*\nsecret\\.key = [A-Za-z0-9_-]{43}\n"), conf);
            String console = rowan.console();
            assertTrue(console.contains("Data directory:    " + data), console);
            assertTrue(console.contains("Internal database: SQLite " + data.resolve("rowan.db")), console);
            assertTrue(console.contains("generated now and stored in " + data.resolve("rowan.conf")), console);
            assertTrue(console.contains(rowan.baseUrl() + "/setup?token="), console);
            String key = conf.substring(conf.indexOf("secret.key = ") + 13).strip();
            assertFalse(console.contains(key), "the console must never show the secret key");
            assertEquals(200, rowan.get("/health/ready").statusCode());
            assertEquals(200, rowan.get("/health/live").statusCode());
        }
    }

    @Test
    void aSecondStartReusesTheKeyAndDatabaseAndNeverRewritesTheConfigFile() throws IOException {
        Path data = tmp.resolve("data");
        String firstConf;
        String firstFingerprint;
        try (TestRowan rowan = TestRowan.start(data)) {
            firstConf = Files.readString(data.resolve("rowan.conf"));
            firstFingerprint = fingerprint(rowan.console());
            assertEquals(201, rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken()
                    + "\",\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
        }
        try (TestRowan again = TestRowan.start(data)) {
            assertEquals(firstConf, Files.readString(data.resolve("rowan.conf")));
            assertEquals(firstFingerprint, fingerprint(again.console()));
            assertTrue(again.console().contains("from config file " + data.resolve("rowan.conf")), again.console());
            assertNull(again.setupLink(), "setup is done: no new setup link");
            assertFalse(again.console().contains("setup?token="), again.console());
            assertEquals(200, again.post("/api/v1/auth/login", "{\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
        }
    }

    private static String fingerprint(String console) {
        int i = console.indexOf("fingerprint ");
        return console.substring(i + 12, i + 31);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsOneClearSentence() throws IOException {
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(file.resolve("data")));
        assertTrue(e.getMessage().startsWith("Rowan cannot use the data directory " + file.resolve("data")), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir or ROWAN_DATA_DIR"), e.getMessage());
    }

    @Test
    void aDataDirectoryThatIsAFileIsRefused() throws IOException {
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(file));
        assertTrue(e.getMessage().contains("Rowan cannot use the data directory " + file), e.getMessage());
    }

    @Test
    void aPortInUseNamesTheSettingAndHowToChangeIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            UserFacingException e = assertThrows(UserFacingException.class,
                    () -> TestRowan.start(tmp.resolve("d"), Map.of("http.port", Integer.toString(taken.getLocalPort())), Map.of()));
            assertTrue(e.getMessage().startsWith("Configuration error: http.port (from command-line flag --http-port) is " + taken.getLocalPort()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("ROWAN_HTTP_PORT"), e.getMessage());
        }
    }

    @Test
    void aChangedSqliteLocationIsDetectedInsteadOfStartingFresh() throws IOException {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertNotEquals(null, rowan.setupToken());
        }
        Files.move(data.resolve("rowan.db"), tmp.resolve("moved.db"));
        Files.deleteIfExists(data.resolve("rowan.db-wal"));
        Files.deleteIfExists(data.resolve("rowan.db-shm"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(data));
        assertTrue(e.getMessage().contains("is empty. Rowan will not start as if freshly installed"), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + data.resolve("installation.properties")), e.getMessage());
    }

    @Test
    void aUsedInstallationWhoseKeyLineIsGoneIsRefusedWithoutWritingANewKey() throws IOException {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertEquals(201, rowan.post("/api/v1/setup", "{\"token\":\"" + rowan.setupToken()
                    + "\",\"username\":\"admin\",\"password\":\"correct horse battery\"}").statusCode());
        }
        Path conf = data.resolve("rowan.conf");
        Files.writeString(conf, Files.readString(conf).replaceAll("(?m)^secret\\.key = .*\n", "") + "log.level = info\n");
        byte[] before = Files.readAllBytes(conf);
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(data));
        assertTrue(e.getMessage().startsWith("No secret key is configured, but this data directory (" + data + ") belongs to an installation"),
                e.getMessage());
        assertTrue(e.getMessage().contains("secret.key = ...` in " + conf), e.getMessage());
        assertTrue(e.getMessage().contains("rowan secret adopt"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(conf), "rowan.conf is left exactly as it was");
    }

    @Test
    void aDatabaseUpdatedByAnotherBuildWithTheSameVersionNumberIsExplainedByItsSchemaVersions() throws Exception {
        Path data = tmp.resolve("data");
        try (TestRowan rowan = TestRowan.start(data)) {
            assertNotEquals(null, rowan.setupToken());
        }
        int latest = new Migrations("db/internal", "sqlite", "rowan_schema_history", 0).latestKnown();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("rowan.db"));
             PreparedStatement insert = c.prepareStatement("INSERT INTO rowan_schema_history (version, description, checksum, rowan_version, applied_at) "
                     + "VALUES (?, 'a later migration', 'abc', ?, 0)")) {
            insert.setInt(1, latest + 1);
            insert.setString(2, Version.current());
            insert.executeUpdate();
        }
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(data));
        assertTrue(e.getMessage().contains("was updated to schema version " + (latest + 1) + " by another build of Rowan " + Version.current()
                + "; this build knows schema versions only up to " + latest + ", so it is an older build that carries the same version number"),
                e.getMessage());
        assertFalse(e.getMessage().contains("start Rowan " + Version.current() + " or newer"), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
    }

    @Test
    void badAdminBootstrapPasswordStopsStartup() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> TestRowan.start(tmp.resolve("d"), Map.of(),
                Map.of("ROWAN_ADMIN_USERNAME", "admin", "ROWAN_ADMIN_PASSWORD", "short")));
        assertTrue(e.getMessage().contains("at least 10 characters"), e.getMessage());
        assertFalse(e.getMessage().contains("short\""), e.getMessage());
    }
}
